import FHIRGateTesting
import FHIRModel
import HTTPTransport
import Testing

@testable import FHIRClient

@Suite("URLs, responses, outcomes and redaction")
struct URLAndResponseTests {
    @Test("the base URL: paths join, absolute URLs must stay on its origin")
    func baseURL() throws {
        let base = try FHIRBaseURL("https://EHR.example:443/fhir/")
        #expect(base.url == "https://EHR.example:443/fhir")
        #expect(base.origin == "https://ehr.example:443")
        #expect(try base.resolve("Patient/1") == "https://EHR.example:443/fhir/Patient/1")
        #expect(try base.resolve("/metadata") == "https://EHR.example:443/fhir/metadata")
        #expect(try base.resolve("") == "https://EHR.example:443/fhir")
        #expect(try base.resolve("?_type=Patient") == "https://EHR.example:443/fhir?_type=Patient")
        #expect(
            try base.resolve("Patient?identifier=http://x.example|1")
                == "https://EHR.example:443/fhir/Patient?identifier=http://x.example|1")
        #expect(
            try base.resolve("https://ehr.example/fhir/Patient?page=2") == "https://ehr.example/fhir/Patient?page=2")
        for foreign in [
            "https://evil.example/fhir/Patient", "http://ehr.example/fhir/Patient", "https://ehr.example:8443/fhir",
            "https://ehr.example@evil.example/fhir", "https://evil.example/?x=https://ehr.example", "//evil.example/x",
            "ftp://ehr.example/fhir",
        ] {
            let error = #expect(throws: FHIRClientError.self) { try base.resolve(foreign) }
            #expect(error?.kind == .invalidRequest, "\(foreign)")
        }
        #expect(throws: FHIRClientError.self) { try FHIRBaseURL("ehr.example/fhir") }
        #expect(throws: FHIRClientError.self) { try FHIRBaseURL("https://ehr.example/fhir?x=1") }
        #expect(try FHIRBaseURL("http://127.0.0.1:8080").origin == "http://127.0.0.1:8080")
    }

    @Test("messages show the path without the query")
    func displayPath() throws {
        let base = try FHIRBaseURL("https://ehr.example/fhir")
        #expect(base.displayPath("https://ehr.example/fhir/Patient?identifier=mrn|12345") == "Patient")
        #expect(base.displayPath("https://ehr.example/fhir/Patient/1/_history/2") == "Patient/1/_history/2")
        #expect(base.displayPath("https://ehr.example/fhir") == "[base]")
        #expect(base.displayPath("https://other.example/auth/token?code=x#f") == "/auth/token")
    }

    @Test("search parameters are percent-encoded; a whole query keeps & = and escapes")
    func percentEncoding() {
        #expect(
            FHIRQuery.string([("identifier", "http://clinic.example/mrn|A 1&b=2"), ("_count", "2")])
                == "identifier=http://clinic.example/mrn%7CA%201%26b%3D2&_count=2")
        #expect(FHIRQuery.encode("Zoë+1#%") == "Zo%C3%AB%2B1%23%25")
        #expect(FHIRQuery.encode("date=ge2024-01-01T00:00:00Z") == "date%3Dge2024-01-01T00:00:00Z")
        #expect(FHIRQuery.sanitize("identifier=sys|a b&_count=1&x=%7C") == "identifier=sys%7Ca%20b&_count=1&x=%7C")
        #expect(FHIRQuery.sanitize("a=%zz") == "a=%25zz")
    }

    @Test("ETag, Location and ids of a response")
    func responseParts() throws {
        let response = FHIRResponse(
            status: 201,
            headers: [
                "ETag": #"W/"3""#, "Location": "https://ehr.example/fhir/Patient/abc/_history/3",
                "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT",
            ])
        #expect(response.versionId == "3")
        #expect(response.resourceId == "abc")
        #expect(response.resourceType == "Patient")
        #expect(response.lastModified == "Wed, 21 Oct 2015 07:28:00 GMT")
        #expect(FHIRResponse.version(fromETag: #""7""#) == "7")
        #expect(FHIRResponse.version(fromETag: "W/\"\"") == nil)
        #expect(FHIRResponse.locationParts("Observation/o1")?.id == "o1")
        #expect(FHIRResponse.locationParts("Patient") == nil)
        let content = FHIRResponse(status: 200, headers: ["Content-Location": "Patient/p9/_history/1"])
        #expect(content.resourceId == "p9" && content.versionId == "1")
    }

    @Test(
        "an OperationOutcome is summarised; the error's description leaves the server's text out",
        .enabled(if: TestSupport.hasCorePackage))
    func outcomeSummary() throws {
        let node = try ClientTestSupport.resource(
            #"""
            {"resourceType":"OperationOutcome","issue":[
              {"severity":"error","code":"invalid","details":{"text":"Invalid date 1980-13-45"},
               "diagnostics":"birthDate: bad value 1980-13-45","expression":["Patient.birthDate"]},
              {"severity":"warning","code":"business-rule","details":{"coding":[{"code":"W1"},{"code":"W2"}]},
               "location":["/f:Patient"]}]}
            """#)
        let summary = try #require(OperationOutcomeSummary(node))
        #expect(summary.issues.count == 2)
        #expect(summary.hasErrors)
        #expect(summary.issues[1].detailsText == "W1, W2")
        #expect(summary.issues[1].expression == ["/f:Patient"])
        let lines = summary.description.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines.first
                == "error [invalid] Patient.birthDate: Invalid date 1980-13-45; birthDate: bad value 1980-13-45")
        let error = FHIRClientError(.http, "HTTP 400 on POST Patient", status: 400, outcome: summary)
        #expect(String(describing: error).contains("error [invalid] Patient.birthDate"))
        #expect(!String(describing: error).contains("1980-13-45"))
        #expect(!error.isRetryable)
        #expect(OperationOutcomeSummary(try ClientTestSupport.resource(#"{"resourceType":"Patient"}"#)) == nil)
    }

    @Test("which errors are retryable")
    func retryable() {
        for status in [408, 429, 500, 502, 503, 504] {
            #expect(FHIRClientError(.http, "x", status: status).isRetryable)
        }
        for status in [400, 401, 403, 404, 409, 410, 412, 422, 501] {
            #expect(!FHIRClientError(.http, "x", status: status).isRetryable)
        }
        #expect(FHIRClientError(.auth, "token endpoint", status: 503).isRetryable)
        #expect(!FHIRClientError(.auth, "token endpoint", status: 401, oauthError: "invalid_client").isRetryable)
        #expect(FHIRClientError(.transport, "x", transportKind: .connectionDropped).isRetryable)
        #expect(FHIRClientError(.transport, "x", transportKind: .timeout).isRetryable)
        #expect(FHIRClientError(.transport, "x", transportKind: .connectFailed).isRetryable)
        #expect(!FHIRClientError(.transport, "x", transportKind: .tls).isRetryable)
        #expect(!FHIRClientError(.transport, "x", transportKind: .cancelled).isRetryable)
        #expect(!FHIRClientError(.format, "x", status: 200).isRetryable)
    }

    @Test("credentials never appear in descriptions, debug descriptions or dumps")
    func redaction() async throws {
        let secret = "s3cr3t-T0K3N-value"
        let bearer = BearerTokenAuth(token: secret)
        let basic = BasicAuth(username: "gateway", password: secret)
        for text in [
            String(describing: bearer), String(reflecting: bearer), String(describing: basic),
            String(reflecting: basic), dumped(bearer), dumped(basic),
        ] {
            #expect(!text.contains(secret), "\(text)")
        }
        #expect(String(describing: basic).contains("gateway"))
        var request = HTTPRequest(url: "https://ehr.example/fhir/Patient")
        try await bearer.authorize(&request)
        #expect(request.headers["Authorization"] == "Bearer " + secret)
        try await basic.authorize(&request)
        #expect(request.headers["Authorization"] == "Basic Z2F0ZXdheTpzM2NyM3QtVDBLM04tdmFsdWU=")
        #expect(request.headers.values(for: "Authorization").count == 1)
        #expect(await bearer.invalidate() == false)
        let broken = BearerTokenAuth(token: "abc\r\nX-Admin: 1")
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await broken.authorize(&request)
        }
        #expect(error?.kind == .auth)
        #expect(error.map { !String(describing: $0).contains("X-Admin") } == true)
    }

    private func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}

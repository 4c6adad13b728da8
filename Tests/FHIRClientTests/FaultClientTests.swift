import FHIRAuth
import FHIRClient
import FHIRGateTesting
import FHIRModel
import HTTPTransport
import Testing

/// Faults the reference EHR cannot produce, from a real socket server on 127.0.0.1.
@Suite("FHIR client against a fault server", .enabled(if: TestSupport.hasCorePackage))
struct FaultClientTests {
    static let patient = #"{"resourceType":"Patient","id":"p1","meta":{"versionId":"4"},"active":true}"#
    static let outcome =
        #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient","diagnostics":"busy"}]}"#
    static let expired =
        #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"expired"}]}"#

    /// A client of `server` (plain HTTP on the loopback interface).
    static func client(
        _ server: FaultServer, auth: any AuthProvider = NoAuth(), retry: RetryPolicy? = nil
    ) throws -> (FHIRClient, HTTPTransport) {
        let transport = try HTTPTransport()
        let client = FHIRClient(
            baseURL: server.baseURL + "/fhir", transport: transport, auth: auth, model: try TestSupport.coreModel(),
            retry: retry)
        return (client, transport)
    }

    /// Retries without real waiting: the delay bound is 1 ms.
    static let quickRetry = RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(1), maxDelay: .milliseconds(5))

    @Test("401 once, then 200: the provider is invalidated and the request sent once more with new credentials")
    func unauthorizedOnceThenOK() async throws {
        let server = try FaultServer(
            .script([
                .json(401, Self.expired, headers: [("WWW-Authenticate", "Bearer")]), .json(200, Self.patient),
            ]))
        defer { server.stop() }
        let auth = RotatingTokenAuth()
        let (client, transport) = try Self.client(server, auth: auth)
        let response = try await client.read("Patient", id: "p1")
        await transport.shutdown()
        #expect(response.status == 200)
        #expect(response.resourceId == "p1" && response.versionId == "4")
        #expect(await auth.invalidations == 1)
        let requests = server.requests
        #expect(requests.map(\.target) == ["/fhir/Patient/p1", "/fhir/Patient/p1"])
        #expect(requests.map { $0.header("Authorization") } == ["Bearer token-1", "Bearer token-2"])
        #expect(requests.first?.header("Accept") == "application/fhir+json; fhirVersion=4.0")
    }

    @Test("a 401 that new credentials do not cure is an auth error after exactly one retry")
    func unauthorizedTwice() async throws {
        let server = try FaultServer(.script([.json(401, Self.expired)]))
        defer { server.stop() }
        let auth = RotatingTokenAuth()
        let (client, transport) = try Self.client(server, auth: auth)
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.read("Patient", id: "p1")
        }
        #expect(error?.kind == .auth && error?.status == 401)
        #expect(error?.outcome?.issues.first?.code == "expired")
        #expect(server.requests.count == 2)

        // A static bearer token cannot be renewed: no retry at all.
        let bearer = FHIRClient(
            baseURL: server.baseURL + "/fhir", transport: transport, auth: BearerTokenAuth(token: "tok-XYZ-secret"),
            model: try TestSupport.coreModel())
        let bearerError = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await bearer.read("Patient", id: "p1")
        }
        await transport.shutdown()
        #expect(bearerError?.kind == .auth && bearerError?.status == 401)
        #expect(server.requests.count == 3)
        #expect(bearerError.map { !String(describing: $0).contains("tok-XYZ-secret") } == true)
    }

    @Test("503 with Retry-After: the error carries the wait and is retryable; no retry without a policy")
    func serviceUnavailable() async throws {
        let server = try FaultServer(.script([.json(503, Self.outcome, headers: [("Retry-After", "7")])]))
        defer { server.stop() }
        let (client, transport) = try Self.client(server)
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.search("Patient", [("identifier", "http://clinic.example/mrn|MRN-SECRET-77")])
        }
        await transport.shutdown()
        #expect(error?.kind == .http && error?.status == 503)
        #expect(error?.retryAfter == .seconds(7))
        #expect(error?.isRetryable == true)
        #expect(error?.outcome?.issues.first?.code == "transient")
        // The search value (an identifier) is not in the message; the path is.
        let text = error.map { String(describing: $0) } ?? ""
        #expect(!text.contains("MRN-SECRET-77") && text.contains("GET Patient"), "\(text)")
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.target == "/fhir/Patient?identifier=http://clinic.example/mrn%7CMRN-SECRET-77")
    }

    @Test("a GET is retried under the RetryPolicy (503, 500, then 200); a POST is not")
    func getRetried() async throws {
        let script: [FaultServer.Reply] = [
            .json(503, Self.outcome, headers: [("Retry-After", "0")]), .json(500, Self.outcome),
            .json(200, Self.patient),
        ]
        let server = try FaultServer(.script(script))
        defer { server.stop() }
        let (client, transport) = try Self.client(server, retry: Self.quickRetry)
        let response = try await client.read("Patient", id: "p1")
        #expect(response.status == 200 && response.resourceId == "p1")
        #expect(server.requests.count == 3)

        let postServer = try FaultServer(.script(script))
        defer { postServer.stop() }
        let (poster, postTransport) = try Self.client(postServer, retry: Self.quickRetry)
        let resource = try ClientTestSupport.resource(Self.patient)
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await poster.create(resource)
        }
        #expect(error?.status == 503)
        #expect(postServer.requests.count == 1)
        await transport.shutdown()
        await postTransport.shutdown()
    }

    @Test("retries stop at maxAttempts and the last error is thrown")
    func retriesExhausted() async throws {
        let server = try FaultServer(.script([.json(502, Self.outcome)]))
        defer { server.stop() }
        let (client, transport) = try Self.client(server, retry: Self.quickRetry)
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.capabilities()
        }
        await transport.shutdown()
        #expect(error?.status == 502)
        #expect(server.requests.count == 4)
    }

    @Test("a connection dropped mid-body is a retryable transport error; with a policy the GET succeeds next time")
    func droppedMidBody() async throws {
        let dropped = FaultServer.Reply(
            status: 200, headers: [("Content-Type", "application/fhir+json")],
            body: Array(String(repeating: " ", count: 900).utf8) + Array(Self.patient.utf8), dropAfter: 100)
        let server = try FaultServer(.script([dropped, .json(200, Self.patient)]))
        defer { server.stop() }
        let (plain, plainTransport) = try Self.client(server)
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await plain.read("Patient", id: "p1")
        }
        await plainTransport.shutdown()
        #expect(error?.kind == .transport)
        #expect(error?.transportKind == .connectionDropped)
        #expect(error?.isRetryable == true)

        let again = try FaultServer(.script([dropped, .json(200, Self.patient)]))
        defer { again.stop() }
        let (client, transport) = try Self.client(again, retry: Self.quickRetry)
        let response = try await client.read("Patient", id: "p1")
        await transport.shutdown()
        #expect(response.resource?.childValue("active") == "true")
        #expect(again.requests.count == 2)
    }

    @Test("requests carry the FHIR headers, conditions and preferences; raw queries are made URL-safe")
    func requestShapes() async throws {
        let server = try FaultServer(.script([.json(200, Self.patient)]))
        defer { server.stop() }
        let (client, transport) = try Self.client(server)
        let patient = try ClientTestSupport.resource(Self.patient)
        _ = try await client.create(patient, ifNoneExist: "identifier=http://x.example|1", returnMinimal: true)
        _ = try await client.update(patient, ifMatch: "3")
        _ = try await client.conditionalUpdate(patient, query: "?identifier=http://x.example|1")
        _ = try await client.send(.get, "Patient?identifier=sys|a b&_elements=id", body: nil)
        _ = try await client.history("Patient", id: "p1", since: "2024-01-01T00:00:00+01:00", count: 10)
        _ = try await client.search(nil, [("_type", "Patient")])
        _ = try await client.delete("Patient", id: "p1")
        let bundle = try ClientTestSupport.resource(#"{"resourceType":"Bundle","type":"batch"}"#)
        _ = try await client.batch(bundle)
        let wrongType = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.transaction(bundle)
        }
        #expect(wrongType?.kind == .invalidRequest)
        await transport.shutdown()

        let requests = server.requests
        #expect(
            requests.map { $0.method + " " + $0.target } == [
                "POST /fhir/Patient", "PUT /fhir/Patient/p1",
                "PUT /fhir/Patient?identifier=http://x.example%7C1",
                "GET /fhir/Patient?identifier=sys%7Ca%20b&_elements=id",
                "GET /fhir/Patient/p1/_history?_since=2024-01-01T00:00:00%2B01:00&_count=10",
                "GET /fhir?_type=Patient", "DELETE /fhir/Patient/p1", "POST /fhir",
            ])
        let create = try #require(requests.first)
        #expect(create.header("If-None-Exist") == "identifier=http://x.example|1")
        #expect(create.header("Prefer") == "return=minimal")
        #expect(create.header("Content-Type") == "application/fhir+json; fhirVersion=4.0")
        #expect(String(decoding: create.body, as: UTF8.self).hasPrefix(#"{"resourceType":"Patient","id":"p1""#))
        #expect(requests[1].header("If-Match") == #"W/"3""#)
        #expect(requests[3].header("Content-Type") == nil)
    }

    @Test("a next link on another origin is refused before anything is sent")
    func foreignNextLink() async throws {
        let server = try FaultServer(.script([.json(200, Self.patient)]))
        defer { server.stop() }
        let (client, transport) = try Self.client(server, auth: BearerTokenAuth(token: "t"))
        let bundle = try ClientTestSupport.resource(
            #"{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"https://evil.example/fhir/Patient?page=2"}]}"#
        )
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.nextPage(bundle)
        }
        #expect(error?.kind == .invalidRequest)
        let last = try ClientTestSupport.resource(#"{"resourceType":"Bundle","type":"searchset"}"#)
        #expect(try await client.nextPage(last) == nil)
        await transport.shutdown()
        #expect(server.requests.isEmpty)
    }

    @Test("bad ids, types and bodies are refused or reported without their content")
    func invalidRequestsAndBodies() async throws {
        let server = try FaultServer(
            .script([
                Reply.raw(200, "application/fhir+json", #"{"resourceType":"Patient","active":tru"#),
                Reply.raw(200, "text/html", "<html>hello</html>"),
            ]))
        defer { server.stop() }
        let (client, transport) = try Self.client(server)
        let badID = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.read("Patient", id: "../Observation/x")
        }
        #expect(badID?.kind == .invalidRequest)
        #expect(badID.map { !$0.message.contains("Observation") } == true)
        let badType = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.read("NotAType", id: "1")
        }
        #expect(badType?.kind == .invalidRequest)
        #expect(server.requests.isEmpty)

        let unreadable = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.read("Patient", id: "p1")
        }
        #expect(unreadable?.kind == .format)
        #expect(unreadable.map { !$0.message.contains("tru") } == true)
        let html = try await client.read("Patient", id: "p1")
        #expect(html.resource == nil && html.format == nil && html.status == 200)
        await transport.shutdown()
    }

    @Test("a SMART token endpoint refusal is an auth error with the OAuth code, never the assertion")
    func tokenEndpointRefusal() async throws {
        let key = try #require(ClientTestSupport.ecKey)
        let server = try FaultServer(
            .script([
                Reply.raw(400, "application/json", #"{"error":"invalid_client","error_description":"unknown key"}"#),
                Reply.raw(503, "application/json", #"{"error":"temporarily_unavailable"}"#),
            ]))
        defer { server.stop() }
        let transport = try HTTPTransport()
        let auth = SMARTBackendAuth(
            fhirBaseURL: server.baseURL + "/fhir", clientID: "clinic-gateway", key: key, scopes: "system/*.rs",
            transport: transport, tokenEndpoint: server.baseURL + "/auth/token")
        let client = FHIRClient(
            baseURL: server.baseURL + "/fhir", transport: transport, auth: auth, model: try TestSupport.coreModel())
        let error = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.read("Patient", id: "p1")
        }
        #expect(error?.kind == .auth && error?.status == 400 && error?.oauthError == "invalid_client")
        #expect(error?.isRetryable == false)
        let sent = try #require(server.requests.first)
        #expect(sent.target == "/auth/token")
        let form = String(decoding: sent.body, as: UTF8.self)
        #expect(form.hasPrefix("grant_type=client_credentials&scope=system/*.rs&client_assertion_type="))
        let assertion = try #require(form.split(separator: "&").last?.split(separator: "=").last)
        #expect(assertion.split(separator: ".").count == 3)
        #expect(!String(describing: try #require(error)).contains(String(assertion)))

        let unavailable = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
            try await client.read("Patient", id: "p1")
        }
        #expect(unavailable?.kind == .auth && unavailable?.status == 503 && unavailable?.isRetryable == true)
        #expect(await auth.tokenRequestCount == 2)
        // Nothing reached the FHIR endpoint without a token.
        #expect(server.requests.allSatisfy { $0.target == "/auth/token" })
        await transport.shutdown()
    }
}

typealias Reply = FaultServer.Reply

extension FaultServer.Reply {
    static func raw(_ status: Int, _ contentType: String, _ text: String) -> FaultServer.Reply {
        FaultServer.Reply(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}

/// An auth provider whose token changes each time it is invalidated (`token-1`, `token-2`...):
/// the client side of an expired token.
actor RotatingTokenAuth: AuthProvider {
    private(set) var invalidations = 0

    nonisolated func authorize(_ request: inout HTTPRequest) async throws(FHIRClientError) {
        let token = await current()
        request.headers.set("Authorization", "Bearer " + token)
    }

    private func current() -> String { "token-\(invalidations + 1)" }

    func invalidate() async -> Bool {
        invalidations += 1
        return true
    }
}

import FHIRClient
import FHIRGateTesting
import HTTPTransport
import Testing

/// Static bearer tokens and TLS verification against the reference EHR.
@Suite(
    "FHIR client against the reference EHR (bearer, TLS)",
    .enabled(if: ClientTestSupport.canUseEHR, Comment(rawValue: ReferenceEHR.unavailableReason)))
struct BearerClientTests {
    @Test(
        "the right bearer token works; a wrong one is a 401 auth error; a CA that is not the server's is not retryable")
    func bearerAndWrongCA() async throws {
        try await ClientTestSupport.withEHR(auth: .bearer) { ehr in
            let model = try TestSupport.coreModel()
            let token = try ClientTestSupport.bearerToken(ehr)
            let transport = try ClientTestSupport.transport(caFile: ehr.caFile)
            let client = FHIRClient(
                baseURL: ehr.baseURL, transport: transport, auth: BearerTokenAuth(token: token), model: model)
            let created = try await client.create(
                try ClientTestSupport.resource(#"{"resourceType":"Patient","active":true}"#))
            #expect(created.status == 201)
            let search = try await client.search("Patient", [("_count", "5")])
            #expect(search.resource?.resourceType == "Bundle")
            #expect(FHIRClient.entryResources(of: try #require(search.resource)).count == 1)

            let wrong = FHIRClient(
                baseURL: ehr.baseURL, transport: transport, auth: BearerTokenAuth(token: "not-" + token), model: model)
            let refused = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await wrong.search("Patient", [])
            }
            #expect(refused?.kind == .auth && refused?.status == 401)
            #expect(refused?.isRetryable == false)
            #expect(refused.map { !String(describing: $0).contains(token) } == true)
            await transport.shutdown()

            // The system's CAs do not include the server's self-signed certificate: a TLS failure,
            // which retrying cannot cure (the policy is not even consulted).
            let untrusted = try HTTPTransport(
                configuration: TransportConfiguration(
                    tls: TLSConfiguration(caFile: "/etc/ssl/certs/ca-certificates.crt")))
            let verifying = FHIRClient(
                baseURL: ehr.baseURL, transport: untrusted, auth: BearerTokenAuth(token: token), model: model,
                retry: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(1)))
            let tls = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await verifying.capabilities()
            }
            await untrusted.shutdown()
            #expect(tls?.kind == .transport && tls?.transportKind == .tls)
            #expect(tls?.isRetryable == false)
        }
    }
}

import FHIRAuth
import FHIRClient
import FHIRGateTesting
import FHIRModel
import HTTPTransport
import Testing

/// The client against the reference EHR (sekmet-fhir) over HTTPS with SMART Backend Services and
/// enforced scopes. One server per test: starting it takes seconds, so each test runs many checks.
@Suite(
    "FHIR client against the reference EHR (SMART)",
    .enabled(if: ClientTestSupport.canUseEHR, Comment(rawValue: ReferenceEHR.unavailableReason)))
struct SMARTClientTests {
    static let system = "http://clinic.example/mrn"

    static func patient(_ mrn: String, family: String = "Client", birthDate: String = "1980-04-02") -> String {
        #"{"resourceType":"Patient","identifier":[{"system":"\#(system)","value":"\#(mrn)"}],"#
            + #""active":true,"name":[{"family":"\#(family)","given":["Test"]}],"birthDate":"\#(birthDate)"}"#
    }

    @Test("REST interactions, JSON and XML, conditional and versioned writes, search, history, transaction, scopes")
    func interactions() async throws {
        let key = try #require(ClientTestSupport.rsaKey)
        try await ClientTestSupport.withEHR(auth: .smart, keys: [key]) { ehr in
            let model = try TestSupport.coreModel()
            let transport = try ClientTestSupport.transport(caFile: ehr.caFile)
            let auth = SMARTBackendAuth(
                fhirBaseURL: ehr.baseURL, clientID: "clinic-gateway", key: key, scopes: "system/*.cruds",
                transport: transport)
            let client = FHIRClient(baseURL: ehr.baseURL, transport: transport, auth: auth, model: model)
            let xmlClient = FHIRClient(
                baseURL: ehr.baseURL, transport: transport, auth: auth, model: model, format: .xml)

            // Metadata.
            let metadata = try await client.capabilities()
            #expect(metadata.status == 200 && metadata.format == .json)
            #expect(metadata.resource?.resourceType == "CapabilityStatement")
            #expect(await auth.tokenEndpoint == ehr.rootURL + "/auth/token")

            // Create: 201, Location, ETag.
            let created = try await client.create(try ClientTestSupport.resource(Self.patient("MRN-1")))
            #expect(created.status == 201)
            let id = try #require(created.resourceId)
            #expect(created.location?.hasPrefix(ehr.baseURL + "/Patient/" + id) == true)
            #expect(created.etag == #"W/"1""# && created.versionId == "1")

            // Read as JSON and as XML.
            let read = try await client.read("Patient", id: id)
            #expect(read.format == .json && read.resource?.childValue("id") == id)
            #expect(read.resource?.childValue("birthDate") == "1980-04-02")
            let readXML = try await xmlClient.read("Patient", id: id)
            #expect(readXML.format == .xml && readXML.headers["Content-Type"]?.contains("fhir+xml") == true)
            #expect(readXML.resource?.resourceType == "Patient" && readXML.resource?.childValue("id") == id)
            #expect(readXML.resource?.childValue("birthDate") == "1980-04-02")

            // Update with the right If-Match, then with the stale one: 412 with an OperationOutcome.
            var changed = try #require(read.resource)
            let active = try #require(changed.children.firstIndex { $0.name == "active" })
            changed.children[active].value = "false"
            let updated = try await client.update(changed, ifMatch: created.versionId)
            #expect(updated.status == 200 && updated.versionId == "2")
            let stale = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await client.update(changed, ifMatch: "1")
            }
            #expect(stale?.kind == .http && stale?.status == 412)
            #expect(stale?.outcome?.issues.isEmpty == false)
            #expect(stale?.isRetryable == false)

            // XML write: update through the XML client (version 3).
            let viaXML = try await xmlClient.update(changed, ifMatch: #"W/"2""#)
            #expect(viaXML.status == 200 && viaXML.versionId == "3")

            // vread of version 1.
            let v1 = try await client.vread("Patient", id: id, version: "1")
            #expect(v1.versionId == "1" && v1.resource?.childValue("active") == "true")

            // History (all versions), then with _since = the last version's lastUpdated.
            let history = try await client.history("Patient", id: id, since: nil)
            let versions = FHIRClient.entryResources(of: try #require(history.resource))
            #expect(versions.count == 3)
            let lastUpdated = try #require(viaXML.resource?.child(named: "meta")?.childValue("lastUpdated"))
            let recent = try await client.history("Patient", id: id, since: lastUpdated)
            let recentVersions = FHIRClient.entryResources(of: try #require(recent.resource))
            #expect(recentVersions.count >= 1 && recentVersions.count < 3)
            #expect(recentVersions.first?.child(named: "meta")?.childValue("versionId") == "3")

            // Conditional create twice: 201, then 200 with the same id; then a conditional update.
            let conditional = try ClientTestSupport.resource(Self.patient("MRN-COND"))
            let query = FHIRQuery.string([("identifier", Self.system + "|MRN-COND")])
            let first = try await client.create(conditional, ifNoneExist: query)
            let second = try await client.create(conditional, ifNoneExist: query)
            #expect(first.status == 201 && second.status == 200)
            #expect(first.resourceId != nil && first.resourceId == second.resourceId)
            let renamed = try ClientTestSupport.resource(Self.patient("MRN-COND", family: "Renamed"))
            let condUpdate = try await client.conditionalUpdate(renamed, query: "identifier=\(Self.system)|MRN-COND")
            #expect(condUpdate.status == 200 && condUpdate.resourceId == first.resourceId)
            #expect(condUpdate.versionId == "2")

            // Paging: 5 patients of one family, 2 per page.
            for n in 1...5 {
                _ = try await client.create(
                    try ClientTestSupport.resource(Self.patient("MRN-PAGE-\(n)", family: "Pagingfamily")),
                    returnMinimal: n == 5)
            }
            let page1 = try await client.search("Patient", [("family", "Pagingfamily"), ("_count", "2")])
            let bundle1 = try #require(page1.resource)
            #expect(FHIRClient.entryResources(of: bundle1).count == 2)
            let nextURL = try #require(FHIRClient.nextLink(of: bundle1))
            #expect(nextURL.hasPrefix(ehr.baseURL))
            let page2 = try #require(try await client.nextPage(bundle1))
            #expect(FHIRClient.entryResources(of: try #require(page2.resource)).count == 2)
            let all = try await client.searchAll("Patient", [("family", "Pagingfamily"), ("_count", "2")])
            #expect(all.count == 5)
            #expect(Set(all.compactMap { $0.childValue("id") }).count == 5)
            let capped = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await client.searchAll("Patient", [("family", "Pagingfamily"), ("_count", "2")], maxPages: 2)
            }
            #expect(capped?.kind == .invalidRequest)
            let posted = try await client.search("Patient", [("family", "Pagingfamily")], usePost: true)
            #expect(FHIRClient.entryResources(of: try #require(posted.resource)).count == 5)
            let byIdentifier = try await client.search("Patient", [("identifier", Self.system + "|MRN-PAGE-3")])
            #expect(FHIRClient.entryResources(of: try #require(byIdentifier.resource)).count == 1)

            // Delete, then read: 410 Gone.
            let deleted = try await client.delete("Patient", id: id)
            #expect((200..<300).contains(deleted.status))
            let gone = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await client.read("Patient", id: id)
            }
            #expect(gone?.kind == .http && gone?.status == 410)

            // A transaction whose Observation refers to its Patient by urn:uuid.
            let transaction = try ClientTestSupport.resource(Self.transactionBundle)
            let result = try await client.transaction(transaction)
            #expect(result.status == 200 && result.resource?.childValue("type") == "transaction-response")
            let responses = (result.resource?.children(named: "entry") ?? []).compactMap {
                $0.child(named: "response")
            }
            #expect(responses.count == 2 && responses.allSatisfy { $0.childValue("status")?.hasPrefix("201") == true })
            let patientID = try #require(
                responses.first?.childValue("location").flatMap(FHIRResponse.locationParts)?.id)
            let observationID = try #require(
                responses.last?.childValue("location").flatMap(FHIRResponse.locationParts)?.id)
            let observation = try await client.read("Observation", id: observationID)
            let subject = observation.resource?.child(named: "subject")?.childValue("reference")
            #expect(subject?.hasSuffix("Patient/" + patientID) == true, "\(subject ?? "none")")

            // Strict validation: a bad date is a 400 with an OperationOutcome.
            let badDate = try ClientTestSupport.resource(Self.patient("MRN-BAD", birthDate: "1980-13-45"))
            let invalid = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await client.create(badDate)
            }
            #expect(invalid?.kind == .http && invalid?.status == 400)
            #expect(invalid?.outcome?.hasErrors == true)
            #expect(invalid.map { !String(describing: $0).contains("1980-13-45") } == true)

            // One token for all of the above, shared by the JSON and XML clients.
            #expect(await auth.tokenRequestCount == 1)
            #expect(await auth.grantedScopes?.allows(resourceType: "Observation", interaction: .create) == true)

            // Concurrent first requests of a new provider share one token request.
            let fresh = SMARTBackendAuth(
                fhirBaseURL: ehr.baseURL, clientID: "clinic-gateway", key: key, scopes: "system/*.rs",
                transport: transport, tokenEndpoint: ehr.rootURL + "/auth/token")
            let freshClient = FHIRClient(baseURL: ehr.baseURL, transport: transport, auth: fresh, model: model)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await freshClient.search("Patient", [("_count", "1")]).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 12 && statuses.allSatisfy { $0 == 200 })
            #expect(await fresh.tokenRequestCount == 1)

            // Scope enforcement: a read-only token gets 403 on create, and its scopes say so beforehand.
            #expect(await fresh.grantedScopes?.allows(resourceType: "Patient", interaction: .create) == false)
            let readOnlyPatient = try ClientTestSupport.resource(Self.patient("MRN-RO"))
            let forbidden = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await freshClient.create(readOnlyPatient)
            }
            #expect(forbidden?.kind == .http && forbidden?.status == 403)
            #expect(forbidden?.outcome?.issues.first?.code == "forbidden")

            // An unregistered key: the token endpoint refuses the client.
            let stranger = SMARTBackendAuth(
                fhirBaseURL: ehr.baseURL, clientID: "clinic-gateway", key: try #require(ClientTestSupport.otherKey),
                scopes: "system/*.rs", transport: transport)
            let strangerClient = FHIRClient(baseURL: ehr.baseURL, transport: transport, auth: stranger, model: model)
            let refused = await ClientTestSupport.clientError { () async throws(FHIRClientError) in
                try await strangerClient.read("Patient", id: "any")
            }
            #expect(
                refused?.kind == .auth && refused?.status == 401 && refused?.oauthError == "invalid_client",
                "\(String(describing: refused))")
            await transport.shutdown()
        }
    }

    @Test("ES384: a token about to expire is renewed before use")
    func tokenRenewal() async throws {
        // Only the EC key is registered: sekmet answers 500 when it tries an ES384 assertion
        // against a registered RSA key first.
        let key = try #require(ClientTestSupport.ecKey)
        try await ClientTestSupport.withEHR(auth: .smart, keys: [key], tokenLifetime: 62) { ehr in
            let transport = try ClientTestSupport.transport(caFile: ehr.caFile)
            let auth = SMARTBackendAuth(
                fhirBaseURL: ehr.baseURL, clientID: "clinic-gateway", key: key, scopes: "system/Patient.rs",
                transport: transport, renewBefore: .seconds(60))
            let client = FHIRClient(
                baseURL: ehr.baseURL, transport: transport, auth: auth, model: try TestSupport.coreModel())
            _ = try await client.search("Patient", [("_count", "1")])
            #expect(await auth.tokenRequestCount == 1)
            #expect(await auth.grantedScopes?.description == "system/Patient.rs")
            // 62 s of life, renewed when fewer than 60 remain: after 3 s the next request renews.
            try await Task.sleep(for: .seconds(3))
            _ = try await client.search("Patient", [("_count", "1")])
            #expect(await auth.tokenRequestCount == 2)
            await transport.shutdown()
        }
    }
}

extension SMARTClientTests {
    static let transactionBundle = #"""
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:6f1c2a9e-0b7d-4c55-9a3e-1d2f3a4b5c6d",
           "resource":{"resourceType":"Patient","identifier":[{"system":"http://clinic.example/mrn","value":"MRN-TX"}],
                       "name":[{"family":"Transaction"}]},
           "request":{"method":"POST","url":"Patient"}},
          {"fullUrl":"urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
           "resource":{"resourceType":"Observation","status":"final",
                       "code":{"coding":[{"system":"http://loinc.org","code":"59408-5"}]},
                       "subject":{"reference":"urn:uuid:6f1c2a9e-0b7d-4c55-9a3e-1d2f3a4b5c6d"},
                       "valueQuantity":{"value":97,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}},
           "request":{"method":"POST","url":"Observation"}}]}
        """#
}

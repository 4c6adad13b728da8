import FHIRGate
import FHIRGateTesting
import Foundation

/// Shared set-up of the sync tests: the sample clinic records, a SMART client on the reference EHR,
/// a fresh outbox store.
enum SyncTestSupport {
    /// The clinic settings `scripts/run.sh` uses for the samples.
    static func translationOptions() throws -> ClinicTranslationOptions {
        guard let time = FHIRInstant("2025-03-01T12:00:00Z") else { throw SetupError("bad instant") }
        return ClinicTranslationOptions(
            translationTime: time, clinicOrganizationId: "ORG-CLINIC", authorPractitionerId: "PR-MD-1")
    }

    static let recipient = DisclosureRecipient.practitioner("PR-REF-05-3")

    /// Every record of `Samples/records`, read strictly.
    static func sampleRecords() throws -> [LocatedRecord] {
        let folder = TestSupport.repoRoot + "/Samples/records"
        var records: [LocatedRecord] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        where file.hasSuffix(".json") || file.hasSuffix(".ndjson") {
            let result = ClinicRecordReader().read(fileAtPath: folder + "/" + file)
            guard !result.issues.contains(where: { $0.severity <= .error }) else {
                throw SetupError("sample records do not read cleanly: \(file)")
            }
            records += result.records
        }
        return records
    }

    /// A new store in a temporary folder (removed by the caller with `TestSupport.removeTree`).
    static func makeStore() throws -> (SQLiteOutboxStore, String) {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-sync")
        return (try SQLiteOutboxStore(path: dir + "/outbox.sqlite"), dir)
    }

    /// Runs `body` with a reference EHR (SMART Backend Services, enforced scopes) and a key it trusts.
    static func withSMARTEHR(
        scopes: String = "system/*.cruds", _ body: (ReferenceEHR, SigningKey) async throws -> Void
    ) async throws {
        let key = try SigningKey.generate(.es384)
        let jwks = String(decoding: key.jwks.json.serialized(), as: UTF8.self)
        let ehr = try ReferenceEHR.start(auth: .smart, jwks: jwks, scopes: scopes)
        defer { ehr.stop() }
        try await body(ehr, key)
    }

    /// A client of the reference EHR with its own transport (shut down by the caller).
    static func client(
        _ ehr: ReferenceEHR, key: SigningKey, model: ModelInfo, format: FHIRFormat = .json
    ) throws -> (FHIRClient, HTTPTransport) {
        let transport = try HTTPTransport(
            configuration: TransportConfiguration(tls: TLSConfiguration(caFile: ehr.caFile)))
        let auth = SMARTBackendAuth(
            fhirBaseURL: ehr.baseURL, clientID: "clinic-gateway", key: key, scopes: "system/*.cruds",
            transport: transport)
        return (
            FHIRClient(baseURL: ehr.baseURL, transport: transport, auth: auth, model: model, format: format), transport
        )
    }

    /// A target on the reference EHR with the capabilities its CapabilityStatement declares (the
    /// transport is shut down by the caller).
    static func serverTarget(
        _ ehr: ReferenceEHR, key: SigningKey, model: ModelInfo, format: FHIRFormat = .json,
        maxBundleEntries: Int? = nil
    ) async throws -> (SyncTarget, HTTPTransport) {
        let (client, transport) = try client(ehr, key: key, model: model, format: format)
        guard let statement = try await client.capabilities().resource else {
            throw SetupError("the server's metadata has no CapabilityStatement")
        }
        var capabilities = try TargetCapabilities(capabilityStatement: statement)
        capabilities.maxBundleEntries = maxBundleEntries
        let target = SyncTarget(
            name: "ehr", client: client, format: format, capabilities: capabilities, recipient: recipient)
        return (target, transport)
    }

    /// How many resources of `type` the server holds (`_summary=count`).
    static func count(_ type: String, on client: FHIRClient) async throws -> Int {
        let response = try await client.search(type, [("_summary", "count")])
        return Int(response.resource?.childValue("total") ?? "") ?? -1
    }

    struct SetupError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

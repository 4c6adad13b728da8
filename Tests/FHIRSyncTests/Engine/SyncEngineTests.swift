import FHIRGate
import FHIRGateTesting
import Foundation
import Testing

/// The sync engine against the real FHIR server (sekmet-fhir) over HTTPS with SMART Backend
/// Services: stage, deliver, re-run.
@Suite(
    "sync engine against the reference EHR", .serialized,
    .enabled(if: ReferenceEHR.isAvailable, Comment(rawValue: ReferenceEHR.unavailableReason)))
struct SyncEngineTests {
    @Test("push the samples with PUT: every resource once; a second run sends nothing new")
    func pushAndRerun() async throws {
        let model = try TestSupport.coreModel()
        let records = try SyncTestSupport.sampleRecords()
        let (store, dir) = try SyncTestSupport.makeStore()
        defer { TestSupport.removeTree(dir) }
        try await SyncTestSupport.withSMARTEHR { ehr, key in
            let (target, transport) = try await SyncTestSupport.serverTarget(ehr, key: key, model: model)
            let client = target.client
            #expect(target.capabilities.writeMode(for: "Patient") == .put)
            let stager = OutboxStager(model: model, translation: try SyncTestSupport.translationOptions())
            let deliverer = OutboxDeliverer(model: model, store: store)

            let first = try stager.stage(
                records, for: target, into: store, runId: "run-1", now: SyncTime.nowMilliseconds())
            #expect(first.queued > 100)
            #expect(first.unchanged == 0)
            let delivered = try await deliverer.deliver(to: target, runId: "run-1")
            #expect(delivered.summary.sent == first.queued, "\(delivered)")
            #expect(delivered.summary.deadLettered == 0)
            #expect(delivered.stillOpen == 0)

            // The server holds each resource once, under our deterministic id.
            let patientID = ResourceIdentity.id("Patient", "MRN-000001")
            let patients = try #require(
                try store.delivered(target: "ehr", resourceType: "Patient", resourceId: patientID))
            #expect(patients.serverId == patients.resourceId)
            #expect(try await SyncTestSupport.count("Patient", on: client) == 3)
            let counts = try store.counts()
            #expect(counts.count(target: "ehr", state: .delivered) == first.queued)

            // The same records again, later: nothing new is queued or sent.
            let second = try stager.stage(
                records, for: target, into: store, runId: "run-2", now: SyncTime.nowMilliseconds() + 60_000)
            #expect(second.queued == 0)
            #expect(second.unchanged == first.queued)
            let again = try await deliverer.deliver(to: target, runId: "run-2")
            #expect(again.summary.sent == 0)
            #expect(try await SyncTestSupport.count("Patient", on: client) == 3)

            // Every disclosure is audited, with no patient data in the audit.
            let audit = try store.auditEvents(target: "ehr", limit: 10_000)
            #expect(audit.filter { $0.action == "disclose" && $0.outcome == "delivered" }.count == first.queued)
            await transport.shutdown()
        }
    }

    @Test("push the samples as per-patient transaction Bundles: the same resources, one request per patient run")
    func pushAsTransactions() async throws {
        let model = try TestSupport.coreModel()
        let records = try SyncTestSupport.sampleRecords()
        let (store, dir) = try SyncTestSupport.makeStore()
        defer { TestSupport.removeTree(dir) }
        try await SyncTestSupport.withSMARTEHR { ehr, key in
            let (target, transport) = try await SyncTestSupport.serverTarget(
                ehr, key: key, model: model, maxBundleEntries: 50)
            let client = target.client
            #expect(target.capabilities.supportsTransaction)
            let stager = OutboxStager(model: model, translation: try SyncTestSupport.translationOptions())
            let staged = try stager.stage(
                records, for: target, into: store, runId: "tx", now: SyncTime.nowMilliseconds())
            let before = transport.statistics
            let report = try await OutboxDeliverer(model: model, store: store).deliver(to: target, runId: "tx")
            #expect(report.summary.sent == staged.queued, "\(report)")
            #expect(report.stillOpen == 0)
            let requests = transport.statistics.completed - before.completed
            #expect(requests < staged.queued / 10, "\(requests) requests for \(staged.queued) resources")
            #expect(try await SyncTestSupport.count("Patient", on: client) == 3)
            let delivered = try CrashSafetyTests.deliveredByType(dir + "/outbox.sqlite")
            for (type, count) in delivered.sorted(by: { $0.key < $1.key }) {
                #expect(try await SyncTestSupport.count(type, on: client) == count, "\(type)")
            }
            await transport.shutdown()
        }
    }

    @Test("a target whose certificate does not verify (wrong CA): the run stops, nothing is dead-lettered or lost")
    func wrongCertificateAuthority() async throws {
        let model = try TestSupport.coreModel()
        let (store, dir) = try SyncTestSupport.makeStore()
        defer { TestSupport.removeTree(dir) }
        try await SyncTestSupport.withSMARTEHR { ehr, key in
            // The system's CAs only: the server's self-signed certificate does not verify.
            let transport = try HTTPTransport()
            let client = FHIRClient(
                baseURL: ehr.baseURL, transport: transport,
                auth: SMARTBackendAuth(
                    fhirBaseURL: ehr.baseURL, clientID: "clinic-gateway", key: key, scopes: "system/*.cruds",
                    transport: transport), model: model)
            let capabilities = TargetCapabilities(resources: [
                ResourceCapability(type: "Patient", interactions: ["update"], updateCreate: true)
            ])
            let target = SyncTarget(name: "ehr", client: client, capabilities: capabilities, recipient: nil)
            _ = try store.enqueue(
                [
                    NewOutboxItem(
                        target: "ehr", group: "p", sequence: 0, resourceType: "Patient", resourceId: "p1",
                        content: Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8), contentHash: "h",
                        disclosure: "test")
                ], now: SyncTime.nowMilliseconds())
            let report = try await OutboxDeliverer(model: model, store: store).deliver(to: target, runId: "ca")
            await transport.shutdown()
            #expect(report.targetFailure != nil)
            #expect(report.summary.deadLettered == 0)
            #expect(report.stillOpen == 1)
        }
    }

    @Test("push to an XML target: every resource as FHIR XML, on the server once")
    func pushAsXML() async throws {
        let model = try TestSupport.coreModel()
        let records = try SyncTestSupport.sampleRecords().filter {
            let file = $0.file ?? ""
            return file.hasSuffix("MRN-000001.json") || file.hasSuffix("directory.json")
        }
        let (store, dir) = try SyncTestSupport.makeStore()
        defer { TestSupport.removeTree(dir) }
        try await SyncTestSupport.withSMARTEHR { ehr, key in
            let (target, transport) = try await SyncTestSupport.serverTarget(
                ehr, key: key, model: model, format: .xml)
            let client = target.client
            let stager = OutboxStager(model: model, translation: try SyncTestSupport.translationOptions())
            let staged = try stager.stage(
                records, for: target, into: store, runId: "xml", now: SyncTime.nowMilliseconds())
            let report = try await OutboxDeliverer(model: model, store: store).deliver(to: target, runId: "xml")
            #expect(staged.queued > 20)
            #expect(report.summary.sent == staged.queued, "\(report)")
            #expect(try await SyncTestSupport.count("Patient", on: client) == 1)
            await transport.shutdown()
        }
    }

    @Test("an Epic-like target (declared capabilities): refused types folded into notes, server ids, nothing twice")
    func pushToEpicLikeTarget() async throws {
        let model = try TestSupport.coreModel()
        let records = try SyncTestSupport.sampleRecords()
        let (store, dir) = try SyncTestSupport.makeStore()
        defer { TestSupport.removeTree(dir) }
        try await SyncTestSupport.withSMARTEHR { ehr, key in
            let (client, transport) = try SyncTestSupport.client(ehr, key: key, model: model)
            let capabilities = try TargetCapabilities.load(
                file: TestSupport.repoRoot + "/Samples/targets/epic-like-capabilities.json", model: model)
            #expect(capabilities.writeMode(for: "MedicationAdministration") == .refused)
            #expect(capabilities.writeMode(for: "Patient") == .create)
            let target = SyncTarget(
                name: "ehr", client: client, capabilities: capabilities, recipient: SyncTestSupport.recipient)
            let stager = OutboxStager(model: model, translation: try SyncTestSupport.translationOptions())
            let staged = try stager.stage(
                records, for: target, into: store, runId: "epic", now: SyncTime.nowMilliseconds())
            #expect(staged.notes > 0)
            #expect(staged.foldedResources > staged.notes)
            let report = try await OutboxDeliverer(model: model, store: store).deliver(to: target, runId: "epic")
            #expect(report.summary.sent == staged.queued, "\(report)")
            #expect(report.summary.deadLettered == 0)
            #expect(try await SyncTestSupport.count("MedicationAdministration", on: client) == 0)
            #expect(try await SyncTestSupport.count("Encounter", on: client) == 0)
            let delivered = try CrashSafetyTests.deliveredByType(dir + "/outbox.sqlite")
            for (type, count) in delivered.sorted(by: { $0.key < $1.key }) {
                #expect(try await SyncTestSupport.count(type, on: client) == count, "\(type)")
            }
            // The server chose the ids; an Observation's subject points to the server's Patient.
            let patientID = ResourceIdentity.id("Patient", "MRN-000001")
            let record = try #require(
                try store.delivered(target: "ehr", resourceType: "Patient", resourceId: patientID))
            #expect(record.serverId != nil && record.serverId != patientID)
            if let serverID = record.serverId {
                let observations = try await client.searchAll("Observation", [("subject", "Patient/" + serverID)])
                #expect(!observations.isEmpty)
            }
            // Again: nothing new.
            let again = try stager.stage(
                records, for: target, into: store, runId: "epic-2", now: SyncTime.nowMilliseconds() + 60_000)
            #expect(again.queued == 0)
            await transport.shutdown()
        }
    }
}

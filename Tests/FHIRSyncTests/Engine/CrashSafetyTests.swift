import FHIRGate
import FHIRGateTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kill -9 of a running `fhirgate push` at random moments, restart, and count what the server
/// holds: every resource once, none lost (issue 6, "Crash-safe").
@Suite(
    "crash safety: kill -9 during push", .serialized,
    .enabled(if: ReferenceEHR.isAvailable, Comment(rawValue: ReferenceEHR.unavailableReason)))
struct CrashSafetyTests {
    static let kills = 20

    @Test("PUT target: 20 kills at random points, then every resource on the server exactly once")
    func killsDuringPutDelivery() async throws {
        try await run(declaredConditionalCreate: false, seed: 0x5eed_0001)
    }

    @Test("conditional-create target (server ids): 20 kills, then every resource exactly once by identifier")
    func killsDuringConditionalCreateDelivery() async throws {
        try await run(declaredConditionalCreate: true, seed: 0x5eed_0002)
    }

    private func run(declaredConditionalCreate: Bool, seed: UInt64) async throws {
        let binary = BinaryRunner.binaryPath
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build fhirgate first: \(binary)")
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-crash")
        defer { TestSupport.removeTree(dir) }
        let generated = try BinaryRunner.run([
            "samples", "generate", "--patients", "5", "--seed", "41", "--format", "json", "-o", dir + "/records",
        ])
        try #require(generated.status == 0, "\(generated.stderr)")

        let key = try SigningKey.generate(.es384)
        try key.writePEM(to: dir + "/key.pem")
        let jwks = String(decoding: key.jwks.json.serialized(), as: UTF8.self)
        let ehr = try ReferenceEHR.start(auth: .smart, jwks: jwks)
        defer { ehr.stop() }
        var capabilities = "  capabilities: {source: server}\n  maxBundleEntries: 5\n"
        if declaredConditionalCreate {
            try Self.conditionalCreateStatement().write(toFile: dir + "/caps.json", atomically: true, encoding: .utf8)
            capabilities = "  capabilities: {source: declared, file: caps.json}\n"
        }
        let config = """
            store: {path: state/outbox.sqlite}
            clinic: {organization: ORG-CLINIC}
            retry: {maxAttempts: 50, initialDelay: 100ms, maxDelay: 1s, multiplier: 2}
            concurrency: 4
            targets:
            - name: ehr
              baseURL: \(ehr.baseURL)
              auth: {type: smart, clientId: clinic-gateway, keyFile: key.pem, scopes: system/*.cruds}
              tls: {caFile: \(ehr.caFile)}

            """ + capabilities
        try config.write(toFile: dir + "/fhirgate.yaml", atomically: true, encoding: .utf8)
        let arguments = [
            "push", dir + "/records", "--config", dir + "/fhirgate.yaml", "--quiet", "--wait-retries", "0",
        ]

        // The outbox, opened here too: the test watches delivery progress in it while a push runs.
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        let store = try SQLiteOutboxStore(path: dir + "/state/outbox.sqlite")
        func deliveredCount() throws -> Int { try store.counts().count(target: "ehr", state: .delivered) }

        // Kills land at random moments of a run. Every other run is killed at a random time after
        // its start (start-up, reading, staging, the first requests); the others are killed a
        // random 0-150 ms after the run's first delivery was recorded (requests in flight, or
        // between a server's answer and the outbox's record of it). Runs that end first are not
        // counted; the loop goes on until 20 runs were killed.
        var random = SplitMix(seed: seed)
        var kills = 0
        var killsDuringDelivery = 0
        var completed = 0
        var runs = 0
        while kills < Self.kills && runs < 10 * Self.kills {
            runs += 1
            let duringDelivery = runs % 2 == 0
            let before = try deliveredCount()
            let child = try SpawnedProcess(executable: binary, arguments: arguments, logPath: dir + "/push.log")
            if duringDelivery {
                let limit = Date().addingTimeInterval(60)
                while child.isRunning && Date() < limit, try deliveredCount() == before { usleep(10_000) }
                usleep(UInt32(150_000 * random.unit()))
            } else {
                let deadline = Date().addingTimeInterval(0.05 + 0.8 * random.unit())
                while child.isRunning && Date() < deadline { usleep(10_000) }
            }
            if child.isRunning {
                child.signal(SIGKILL)
                child.wait()
                kills += 1
                if duringDelivery { killsDuringDelivery += 1 }
            } else {
                completed += 1
            }
        }
        #expect(kills >= Self.kills, "only \(kills) runs could be killed (\(completed) completed first)")
        #expect(killsDuringDelivery >= 5, "only \(killsDuringDelivery) kills landed while delivering")

        // The last run goes to the end.
        let final = try SpawnedProcess(executable: binary, arguments: arguments, logPath: dir + "/push.log")
        let status = final.exitCode()
        let log = (try? String(contentsOfFile: dir + "/push.log", encoding: .utf8)) ?? ""
        #expect(status == 0, "final push exited \(status): \(log.suffix(2000))")

        // The outbox: nothing open, nothing dead; what it delivered is what the server holds.
        #expect(try store.openItemCount(target: "ehr") == 0)
        #expect(try store.deadLetters(target: "ehr").isEmpty)
        let delivered = try Self.deliveredByType(dir + "/state/outbox.sqlite")
        #expect(delivered.values.reduce(0, +) > 300, "\(delivered)")

        let model = try TestSupport.coreModel()
        let (client, transport) = try SyncTestSupport.client(ehr, key: key, model: model)
        for (type, count) in delivered.sorted(by: { $0.key < $1.key }) {
            let onServer = try await SyncTestSupport.count(type, on: client)
            #expect(onServer == count, "\(type): the outbox delivered \(count), the server holds \(onServer)")
        }
        if declaredConditionalCreate {
            // Server ids: every clinic identifier appears once on the server.
            let patients = try await client.searchAll("Patient", [("_count", "100")])
            var identifiers: [String] = []
            for patient in patients {
                for identifier in patient.children(named: "identifier") {
                    if let system = identifier.childValue("system"), let value = identifier.childValue("value") {
                        identifiers.append(system + "|" + value)
                    }
                }
            }
            #expect(Set(identifiers).count == identifiers.count, "a Patient identifier appears twice")
        }
        await transport.shutdown()
    }

    /// How many resources of each type the outbox recorded as delivered (the `delivered` table).
    static func deliveredByType(_ path: String) throws -> [String: Int] {
        let output = try BinaryRunner.run(
            executable: "/usr/bin/sqlite3",
            [path, "SELECT resource_type, count(*) FROM delivered WHERE target = 'ehr' GROUP BY resource_type"])
        var counts: [String: Int] = [:]
        for line in output.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: "|")
            if parts.count == 2, let n = Int(parts[1]) { counts[String(parts[0])] = n }
        }
        return counts
    }

    /// A CapabilityStatement of a target that assigns its own ids: create (with If-None-Exist),
    /// search and read, no update.
    static func conditionalCreateStatement() -> String {
        let types = [
            "Patient", "Practitioner", "Organization", "RelatedPerson", "Encounter", "Procedure", "Observation",
            "MedicationAdministration", "MedicationRequest", "QuestionnaireResponse", "DocumentReference", "Consent",
            "ServiceRequest", "Task", "Provenance",
        ]
        // The reference EHR cannot search QuestionnaireResponse by identifier: the engine then
        // makes the create conditional on a tag with the gateway's id.
        let resources = types.map {
            let search =
                $0 == "QuestionnaireResponse"
                ? #"{"name":"_tag","type":"token"}"# : #"{"name":"identifier","type":"token"}"#
            return """
                {"type":"\($0)","interaction":[{"code":"create"},{"code":"read"},{"code":"search-type"}],\
                "conditionalCreate":true,"searchParam":[\(search)]}
                """
        }
        return """
            {"resourceType":"CapabilityStatement","status":"active","date":"2026-11-21","kind":"instance",\
            "fhirVersion":"4.0.1","format":["json"],"rest":[{"mode":"server","resource":[\
            \(resources.joined(separator: ","))]}]}
            """
    }
}

/// A seeded generator, so that a failing run can be repeated.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

import Foundation
import Testing

@testable import SyncStore

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct StoreDurabilityTests {
    @Test func twoStoresOnOneFileSeeEachOthersWrites() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let writer = temp.store
        let reader = try temp.reopen()
        _ = try writer.enqueue([item("Patient", "p1")], now: 0)
        #expect(try reader.openItemCount(target: "ehr") == 1)
        // The second one claims; the first sees it in flight and cannot claim it again.
        let claimed = try reader.claim(target: "ehr", now: 0, limit: 10)
        #expect(claimed.count == 1)
        #expect(try writer.claim(target: "ehr", now: 0, limit: 10).isEmpty)
        try reader.markDelivered(claimed[0].id, status: 201, serverId: "s1", etag: nil, now: 1)
        #expect(try writer.delivered(target: "ehr", resourceType: "Patient", resourceId: "p1")?.serverId == "s1")
        try writer.setWatermark(target: "ehr", key: "k", value: "v")
        #expect(try reader.watermark(target: "ehr", key: "k") == "v")
    }

    @Test func concurrentClaimsFromTwoStoresNeverHandOutAnItemTwice() async throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let items = (0..<60).map { item("Patient", "p\($0)", group: "g\($0)") }
        _ = try temp.store.enqueue(items, now: 0)
        let stores = [temp.store, try temp.reopen(), try temp.reopen()]
        let claimedIds = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for store in stores {
                group.addTask {
                    var ids: [Int64] = []
                    while true {
                        let batch = try store.claim(target: "ehr", now: 0, limit: 3)
                        if batch.isEmpty { return ids }
                        ids += batch.map(\.id)
                    }
                }
            }
            var all: [Int64] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimedIds.count == 60)
        #expect(Set(claimedIds).count == 60)
    }

    @Test(.enabled(if: !CrashChild.isChild)) func committedWritesSurviveAProcessKilledWithSIGKILL() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let marker = temp.folder + "/committed"
        let status = try CrashChild.run(storePath: temp.path, marker: marker)
        // The child killed itself right after its last commit, without closing the store.
        #expect(CrashChild.killedBySIGKILL(status))
        #expect(FileManager.default.fileExists(atPath: marker))

        let store = try temp.reopen()
        #expect(try store.counts().count(target: "ehr", state: .delivered) == CrashChild.delivered)
        #expect(try store.counts().count(target: "ehr", state: .inFlight) == CrashChild.claimed - CrashChild.delivered)
        #expect(try store.counts().count(target: "ehr", state: .pending) == CrashChild.items - CrashChild.claimed)
        #expect(try store.watermark(target: "ehr", key: "referrals") == "after-crash")
        #expect(try store.auditEvents(target: "ehr", limit: 10).count == 1)
        #expect(try store.recoverInFlight(now: 10) == CrashChild.claimed - CrashChild.delivered)
    }

    @Test func reopeningWithoutACheckpointKeepsTheData() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        do {
            let first = try temp.reopen()
            _ = try first.enqueue([item("Patient", "p1"), item("Patient", "p2", group: "b")], now: 0)
        }
        // The WAL still holds the commits (nothing checkpointed them into the main file).
        #expect(FileManager.default.fileExists(atPath: temp.path + "-wal"))
        let second = try temp.reopen()
        #expect(try second.openItemCount(target: "ehr") == 2)
        try second.checkpoint()
        #expect(try second.claim(target: "ehr", now: 0, limit: 10).count == 2)
    }

    @Test func theStoreFileIsPrivateToItsOwner() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let attributes = try FileManager.default.attributesOfItem(atPath: temp.path)
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
        #expect(mode & 0o077 == 0)
    }

    /// Runs only in the child process started by `committedWritesSurviveAProcessKilledWithSIGKILL`.
    @Test(.enabled(if: CrashChild.isChild)) func crashChild() throws {
        try CrashChild.work()
    }
}

/// The child side of the SIGKILL test: this test binary run again with a filter that selects
/// `crashChild`, and the store path in the environment.
enum CrashChild {
    static let pathVariable = "FHIRGATE_STORE_CRASH_CHILD"
    static let markerVariable = "FHIRGATE_STORE_CRASH_MARKER"
    static let items = 40
    static let claimed = 10
    static let delivered = 6

    static var isChild: Bool { ProcessInfo.processInfo.environment[pathVariable] != nil }

    /// Starts the child and waits for it; returns its wait status.
    static func run(storePath: String, marker: String) throws -> Int32 {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let arguments = [exe, "--testing-library", "swift-testing", "--filter", "StoreDurabilityTests/crashChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[pathVariable] = storePath
        environment[markerVariable] = marker
        let envStrings = environment.map { "\($0.key)=\($0.value)" }

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child's own test output is not wanted in ours.
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, exe, &actions, nil, &argv, &envp)
        guard spawned == 0 else {
            throw StoreError(.database, store: storePath, operation: "spawn child", reason: "errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    static func killedBySIGKILL(_ status: Int32) -> Bool {
        // WIFSIGNALED / WTERMSIG by hand (macros are not imported).
        let signal = status & 0x7f
        return signal != 0 && signal != 0x7f && signal == SIGKILL
    }

    /// In the child: commit a few operations, note that they returned, then die at once.
    static func work() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment[pathVariable], let marker = environment[markerVariable] else { return }
        let store = try SQLiteOutboxStore(path: path)
        _ = try store.enqueue((0..<items).map { item("Patient", "p\($0)", group: "g\($0)") }, now: 0)
        let batch = try store.claim(target: "ehr", now: 0, limit: claimed)
        for claimedItem in batch.prefix(delivered) {
            try store.markDelivered(claimedItem.id, status: 201, serverId: nil, etag: nil, now: 1)
        }
        try store.appendAudit([
            AuditEvent(
                time: 1, target: "ehr", resourceType: "Patient", resourceId: "p0", action: "disclose",
                outcome: "delivered", status: 201, consentDecision: "d", runId: "child")
        ])
        try store.setWatermark(target: "ehr", key: "referrals", value: "after-crash")
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
        kill(getpid(), SIGKILL)
    }
}

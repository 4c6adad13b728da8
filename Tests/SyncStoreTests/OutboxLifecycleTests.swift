import Foundation
import Testing

@testable import SyncStore

@Suite struct OutboxLifecycleTests {
    @Test func recoverInFlightReturnsAnInterruptedBatchToPendingWithoutCountingTheAttempt() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue([item("Patient", "p1", group: "a"), item("Patient", "p2", group: "b")], now: 0)
        let claimed = try store.claim(target: "ehr", now: 0, limit: 10)
        #expect(claimed.count == 2)
        try store.markDelivered(claimed[1].id, status: 201, serverId: nil, etag: nil, now: 1)

        // A new process after a crash: the in-flight item comes back, the delivered one does not.
        let restarted = try temp.reopen()
        #expect(try restarted.recoverInFlight(now: 50) == 1)
        #expect(try restarted.recoverInFlight(now: 50) == 0)
        let again = try restarted.claim(target: "ehr", now: 50, limit: 10)
        #expect(again.references == ["Patient/p1"])
        #expect(again.first?.attempts == 1)
    }

    @Test func retryDeadLettersBringsThemBackByTargetOrId() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue(
            [
                item("Patient", "a", group: "a"), item("Patient", "b", group: "b"),
                item("Patient", "c", group: "c", target: "other"),
            ], now: 0)
        for target in ["ehr", "other"] {
            for claimed in try store.claim(target: target, now: 0, limit: 10) {
                try store.markDeadLetter(claimed.id, status: 400, error: "HTTP 400", outcome: nil, hint: "h", now: 1)
            }
        }
        #expect(try store.counts().total(.deadLetter) == 3)
        #expect(try store.openItemCount(target: nil) == 0)

        let ehrDead = try store.deadLetters(target: "ehr")
        #expect(try store.retryDeadLetters(target: nil, ids: [], now: 2) == 0)
        #expect(try store.retryDeadLetters(target: "other", ids: [ehrDead[0].id], now: 2) == 0)
        #expect(try store.retryDeadLetters(target: nil, ids: [ehrDead[0].id], now: 2) == 1)
        #expect(try store.deadLetters(target: nil).references == ["Patient/b", "Patient/c"])
        #expect(try store.retryDeadLetters(target: "other", ids: nil, now: 3) == 1)
        #expect(try store.deadLetters(target: nil).references == ["Patient/b"])

        let retried = try store.claim(target: "ehr", now: 3, limit: 10)
        #expect(retried.references == ["Patient/a"])
        #expect(retried.first?.attempts == 1)
        #expect(retried.first?.hint == nil)
    }

    @Test func enqueueIsIdempotentAgainstDeliveredAndQueuedContent() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue([item("Patient", "p1")], now: 0)
        #expect(try store.enqueue([item("Patient", "p1")], now: 1) == EnqueueResult(alreadyQueued: 1))
        let claimed = try store.claim(target: "ehr", now: 1, limit: 10)
        try store.markDelivered(claimed[0].id, status: 201, serverId: "srv-p1", etag: "W/\"1\"", now: 2)

        #expect(try store.enqueue([item("Patient", "p1")], now: 3) == EnqueueResult(unchanged: 1))
        // The same resource for another target is new there.
        #expect(try store.enqueue([item("Patient", "p1", target: "other")], now: 3) == EnqueueResult(inserted: 1))
        #expect(try store.openItemCount(target: "ehr") == 0)

        let record = try #require(try store.delivered(target: "ehr", resourceType: "Patient", resourceId: "p1"))
        #expect(record.contentHash == "Patient/p1#1")
        #expect(record.serverId == "srv-p1")
        #expect(record.etag == "W/\"1\"")
        #expect(record.deliveredAt == 2)
        #expect(try store.delivered(target: "ehr", resourceType: "Patient", resourceId: "p2") == nil)

        // Changed content is queued again; once delivered, the record follows it (server id kept).
        #expect(try store.enqueue([item("Patient", "p1", version: 2)], now: 4) == EnqueueResult(inserted: 1))
        let next = try store.claim(target: "ehr", now: 4, limit: 10)
        try store.markDelivered(next[0].id, status: 200, serverId: nil, etag: "W/\"2\"", now: 5)
        let updated = try store.delivered(target: "ehr", resourceType: "Patient", resourceId: "p1")
        #expect(updated?.contentHash == "Patient/p1#2")
        #expect(updated?.serverId == "srv-p1")
        #expect(updated?.etag == "W/\"2\"")
    }

    @Test func newContentReplacesAPendingItemAndSupersedesADeadLetter() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue([item("Patient", "p1", version: 1)], now: 0)
        #expect(try store.enqueue([item("Patient", "p1", version: 2)], now: 1) == EnqueueResult(inserted: 1))
        #expect(try store.counts().count(target: "ehr", state: .pending) == 1)
        let claimed = try store.claim(target: "ehr", now: 1, limit: 10)
        #expect(claimed.first?.contentHash == "Patient/p1#2")
        #expect(claimed.first?.content == item("Patient", "p1", version: 2).content)

        try store.markDeadLetter(claimed[0].id, status: 422, error: "HTTP 422", outcome: nil, hint: nil, now: 2)
        // The same content again would fail the same way: held with the dead letter.
        #expect(try store.enqueue([item("Patient", "p1", version: 2)], now: 3) == EnqueueResult(deadLettered: 1))
        // Fixed content replaces the dead letter.
        #expect(try store.enqueue([item("Patient", "p1", version: 3)], now: 4) == EnqueueResult(inserted: 1))
        #expect(try store.deadLetters(target: nil).isEmpty)
        #expect(try store.claim(target: "ehr", now: 4, limit: 10).first?.contentHash == "Patient/p1#3")
    }

    @Test func emptyAndLargeContentRoundTripByteForByte() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var empty = item("Binary", "empty", group: "a")
        empty.content = []
        var large = item("Binary", "large", group: "b")
        large.content = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        _ = try temp.store.enqueue([empty, large], now: 0)
        let claimed = try temp.store.claim(target: "ehr", now: 0, limit: 10)
        #expect(claimed.map(\.content) == [[], large.content])
        try temp.store.scheduleRetry(claimed[0].id, status: 500, error: "HTTP 500", outcome: [], at: 0, now: 0)
        try temp.store.scheduleRetry(claimed[1].id, status: nil, error: "timeout", outcome: nil, at: 0, now: 0)
        let again = try temp.store.claim(target: "ehr", now: 0, limit: 10)
        #expect(again.map(\.lastOutcome) == [[], nil])
        #expect(again.map(\.lastStatus) == [500, nil])
    }

    @Test func operationsOnUnknownItemsFailNamingTheStoreAndOperation() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        do {
            try temp.store.markDelivered(42, status: 200, serverId: nil, etag: nil, now: 0)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.description.contains(temp.path))
            #expect(error.description.contains("mark delivered"))
        }
        #expect(throws: StoreError.self) { try temp.store.markUnchanged(7, now: 0) }
        #expect(throws: StoreError.self) {
            try temp.store.scheduleRetry(7, status: nil, error: "x", outcome: nil, at: 0, now: 0)
        }
    }

    @Test func aFileThatIsNotADatabaseIsAnOpenError() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let path = temp.folder + "/not-a-db.sqlite"
        try Array(repeating: "garbage, not SQLite\n", count: 200).joined().write(
            toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try SQLiteOutboxStore(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .open)
            #expect(error.description.contains(path))
        }
    }
}

import Testing

@testable import SyncStore

@Suite struct OutboxOrderingTests {
    @Test func claimReturnsTheFirstItemOfEachGroupInGroupOrderAndMarksItInFlight() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        let result = try store.enqueue(
            [
                item("Encounter", "e1", group: "p2", sequence: 1),
                item("Patient", "p2", group: "p2", sequence: 0),
                item("Patient", "p1", group: "p1", sequence: 0),
                item("Observation", "o1", group: "p1", sequence: 1),
            ], now: 1000)
        #expect(result == EnqueueResult(inserted: 4))

        let claimed = try store.claim(target: "ehr", now: 1000, limit: 10)
        #expect(claimed.references == ["Patient/p1", "Patient/p2"])
        #expect(claimed.allSatisfy { $0.state == .inFlight && $0.attempts == 1 })
        #expect(claimed.first?.content == item("Patient", "p1").content)
        // In flight now: a second claim gets nothing (the later items wait for them).
        #expect(try store.claim(target: "ehr", now: 1000, limit: 10).isEmpty)
        #expect(try store.counts().count(target: "ehr", state: .inFlight) == 2)
        #expect(try store.counts().count(target: "ehr", state: .pending) == 2)
        // Another target has nothing.
        #expect(try store.claim(target: "other", now: 1000, limit: 10).isEmpty)
    }

    @Test func theFirstGroupGoesBeforeEveryPatientAndTheLastGroupAfterThem() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue(
            [
                item("Provenance", "v1", group: OutboxGroups.last, sequence: 0),
                item("Patient", "p1", group: "p1", sequence: 0),
                item("Patient", "p2", group: "p2", sequence: 0),
                item("Organization", "org", group: OutboxGroups.first, sequence: 0),
            ], now: 0)
        let shared = try store.claim(target: "ehr", now: 0, limit: 10)
        #expect(shared.references == ["Organization/org"])
        try store.markDelivered(shared[0].id, status: 201, serverId: "org", etag: nil, now: 1)
        let patients = try store.claim(target: "ehr", now: 1, limit: 10)
        #expect(patients.references == ["Patient/p1", "Patient/p2"])
        try store.markDelivered(patients[0].id, status: 201, serverId: "p1", etag: nil, now: 2)
        #expect(try store.claim(target: "ehr", now: 2, limit: 10).isEmpty, "p2 is still in flight")
        // A dead letter does not hold the last group back for ever.
        try store.markDeadLetter(patients[1].id, status: 400, error: "bad", outcome: nil, hint: nil, now: 3)
        #expect(try store.claim(target: "ehr", now: 3, limit: 10).references == ["Provenance/v1"])
    }

    @Test func aLaterItemBecomesClaimableOnlyAfterTheEarlierOnesAreSettled() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue(
            [
                item("Patient", "p1", sequence: 0), item("Encounter", "e1", sequence: 1),
                item("Observation", "o1", sequence: 2), item("Observation", "o2", sequence: 2),
            ], now: 0)
        let first = try store.claim(target: "ehr", now: 0, limit: 10)
        #expect(first.references == ["Patient/p1"])
        #expect(try store.claim(target: "ehr", now: 0, limit: 10).isEmpty)
        try store.markDelivered(first[0].id, status: 201, serverId: "srv-1", etag: "W/\"1\"", now: 5)

        let second = try store.claim(target: "ehr", now: 5, limit: 10)
        #expect(second.references == ["Encounter/e1"])
        try store.markUnchanged(second[0].id, now: 6)

        // Both sequence-2 items together, and the limit holds.
        let third = try store.claim(target: "ehr", now: 6, limit: 1)
        #expect(third.references == ["Observation/o1"])
        let fourth = try store.claim(target: "ehr", now: 6, limit: 5)
        #expect(fourth.references == ["Observation/o2"])
    }

    @Test func aDeadLetterHoldsBackOnlyItsOwnGroup() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue(
            [
                item("Patient", "a", group: "A", sequence: 0), item("Encounter", "a-e", group: "A", sequence: 1),
                item("Patient", "b", group: "B", sequence: 0), item("Encounter", "b-e", group: "B", sequence: 1),
            ], now: 0)
        let firsts = try store.claim(target: "ehr", now: 0, limit: 10)
        #expect(firsts.references == ["Patient/a", "Patient/b"])
        try store.markDeadLetter(
            firsts[0].id, status: 422, error: "HTTP 422: business rule", outcome: Array("{}".utf8),
            hint: "fix the record", now: 1)
        try store.markDelivered(firsts[1].id, status: 200, serverId: nil, etag: nil, now: 1)

        #expect(try store.claim(target: "ehr", now: 2, limit: 10).references == ["Encounter/b-e"])
        #expect(try store.claim(target: "ehr", now: 2, limit: 10).isEmpty)
        // The held-back item is open but not due: nextDueTime ignores it.
        #expect(try store.openItemCount(target: "ehr") == 2)
        #expect(try store.nextDueTime(target: "ehr") == nil)

        let dead = try store.deadLetters(target: "ehr")
        #expect(dead.references == ["Patient/a"])
        #expect(dead.first?.lastStatus == 422)
        #expect(dead.first?.hint == "fix the record")
        #expect(dead.first?.lastOutcome == Array("{}".utf8))
    }

    @Test func scheduleRetryWaitsUntilTheNextAttemptTime() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue([item("Patient", "p1"), item("Encounter", "e1", sequence: 1)], now: 0)
        let claimed = try store.claim(target: "ehr", now: 0, limit: 10)
        try store.scheduleRetry(
            claimed[0].id, status: 503, error: "HTTP 503", outcome: nil, at: 10_000, now: 100)

        #expect(try store.claim(target: "ehr", now: 9_999, limit: 10).isEmpty)
        #expect(try store.nextDueTime(target: "ehr") == 10_000)
        let again = try store.claim(target: "ehr", now: 10_000, limit: 10)
        #expect(again.references == ["Patient/p1"])
        #expect(again.first?.attempts == 2)
        #expect(again.first?.lastStatus == 503)
        #expect(again.first?.lastError == "HTTP 503")
    }

    @Test func aNewVersionQueuedBehindAnInFlightOneWaitsForIt() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue([item("Patient", "p1", version: 1)], now: 0)
        let first = try store.claim(target: "ehr", now: 0, limit: 10)
        #expect(try store.enqueue([item("Patient", "p1", version: 2)], now: 1) == EnqueueResult(inserted: 1))
        #expect(try store.claim(target: "ehr", now: 1, limit: 10).isEmpty)

        try store.markDelivered(first[0].id, status: 200, serverId: "p1", etag: "W/\"1\"", now: 2)
        let second = try store.claim(target: "ehr", now: 2, limit: 10)
        #expect(second.first?.contentHash == "Patient/p1#2")
        #expect(second.first?.id != first[0].id)
    }
}

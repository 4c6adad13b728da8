import Testing

@testable import SyncStore

@Suite struct StoreRecordsTests {
    @Test func watermarksAreKeptPerTargetAndKeyAndOverwritten() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        #expect(try store.watermark(target: "ehr", key: "referrals") == nil)
        try store.setWatermark(target: "ehr", key: "referrals", value: "2025-03-01T12:00:00Z")
        try store.setWatermark(target: "other", key: "referrals", value: "2024-01-01T00:00:00Z")
        try store.setWatermark(target: "ehr", key: "referrals", value: "2025-03-02T08:30:00Z")
        #expect(try store.watermark(target: "ehr", key: "referrals") == "2025-03-02T08:30:00Z")
        #expect(try store.watermark(target: "other", key: "referrals") == "2024-01-01T00:00:00Z")
        #expect(try store.watermark(target: "ehr", key: "tasks") == nil)
    }

    @Test func auditEventsRoundTripInOrderAndAreFilteredAndLimited() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        let events = (0..<5).map { n in
            AuditEvent(
                time: Int64(100 + n), target: n % 2 == 0 ? "ehr" : "other", resourceType: "Observation",
                resourceId: "o\(n)", action: n == 4 ? "withhold" : "disclose", outcome: n == 3 ? "retry" : "delivered",
                status: n == 4 ? nil : 200 + n, consentDecision: "decision \(n)", runId: "run-1")
        }
        try store.appendAudit(Array(events[0..<2]))
        try store.appendAudit([])
        try store.appendAudit(Array(events[2...]))
        #expect(try store.auditEvents(target: nil, limit: 100) == events)
        #expect(try store.auditEvents(target: "ehr", limit: 100) == [events[0], events[2], events[4]])
        #expect(try store.auditEvents(target: nil, limit: 2) == [events[3], events[4]])
        #expect(try store.auditEvents(target: nil, limit: 0).isEmpty)
    }

    @Test func countsGroupByTargetAndState() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let store = temp.store
        _ = try store.enqueue(
            [
                item("Patient", "a", group: "a"), item("Patient", "b", group: "b"),
                item("Patient", "c", group: "c", target: "other"),
            ], now: 0)
        let claimed = try store.claim(target: "ehr", now: 0, limit: 1)
        try store.markDelivered(claimed[0].id, status: 201, serverId: nil, etag: nil, now: 1)
        let counts = try store.counts()
        #expect(counts.targets == ["ehr", "other"])
        #expect(counts.count(target: "ehr", state: .delivered) == 1)
        #expect(counts.count(target: "ehr", state: .pending) == 1)
        #expect(counts.count(target: "other", state: .pending) == 1)
        #expect(counts.total(.pending) == 2)
        #expect(counts.count(target: "ehr", state: .deadLetter) == 0)
        #expect(try store.openItemCount(target: nil) == 2)
        #expect(try store.openItemCount(target: "ehr") == 1)
    }
}

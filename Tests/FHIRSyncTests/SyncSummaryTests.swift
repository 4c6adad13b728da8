import Testing

@testable import FHIRSync

@Suite struct SyncSummaryTests {
    @Test func addingSummariesAddsEveryCount() {
        var a = SyncSummary()
        a.sent = 2
        a.retried = 1
        var b = SyncSummary()
        b.sent = 3
        b.deadLettered = 1
        b.pulled = 4
        a.add(b)
        #expect(a.sent == 5 && a.retried == 1 && a.deadLettered == 1 && a.pulled == 4 && a.unchanged == 0)
    }
}

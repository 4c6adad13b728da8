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

@Suite struct SyncTimeTests {
    @Test func instantsAreUTCWithSeconds() {
        #expect(SyncTime.instant(fromMilliseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(SyncTime.instant(fromMilliseconds: 1_795_287_655_999) == "2026-11-21T19:00:55Z")
        #expect(SyncTime.nowMilliseconds() > 1_700_000_000_000)
    }
}

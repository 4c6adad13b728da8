import Testing

@testable import SyncStore

@Suite struct OutboxStateTests {
    @Test func onlyPendingAndInFlightItemsAreOpen() {
        #expect(OutboxState.allCases.filter(\.isOpen) == [.pending, .inFlight])
        #expect(OutboxState(rawValue: "dead-letter") == .deadLetter)
    }
}

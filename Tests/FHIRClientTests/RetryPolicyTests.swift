import Testing

@testable import FHIRClient

@Suite("RetryPolicy: full jitter, caps, Retry-After")
struct RetryPolicyTests {
    @Test("the bound doubles from the initial delay and stops at maxDelay")
    func bounds() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maxDelay: .seconds(300), multiplier: 2)
        #expect(policy.bound(afterAttempt: 1) == .seconds(1))
        #expect(policy.bound(afterAttempt: 2) == .seconds(2))
        #expect(policy.bound(afterAttempt: 5) == .seconds(16))
        #expect(policy.bound(afterAttempt: 9) == .seconds(256))
        #expect(policy.bound(afterAttempt: 10) == .seconds(300))
        #expect(policy.bound(afterAttempt: 10_000) == .seconds(300))
        #expect(policy.bound(afterAttempt: Int.max) == .seconds(300))
    }

    @Test("full jitter: the delay is random() times the bound, from zero up to (not including) the bound")
    func fullJitter() {
        let low = RetryPolicy(initialDelay: .seconds(1), random: { 0 })
        let high = RetryPolicy(initialDelay: .seconds(1), random: { 0.999_999 })
        let half = RetryPolicy(initialDelay: .seconds(1), random: { 0.5 })
        for attempt in 1...12 {
            let bound = low.bound(afterAttempt: attempt)
            #expect(low.delay(afterAttempt: attempt, retryAfter: nil) == .zero)
            let top = high.delay(afterAttempt: attempt, retryAfter: nil)
            #expect(top < bound && top > bound * 0.99, "attempt \(attempt): \(top) vs \(bound)")
            #expect(half.delay(afterAttempt: attempt, retryAfter: nil) == bound / 2)
        }
        // A broken random source cannot push the delay outside [0, bound).
        let broken = RetryPolicy(initialDelay: .seconds(4), random: { 7 })
        #expect(broken.delay(afterAttempt: 1, retryAfter: nil) < .seconds(4))
        let negative = RetryPolicy(initialDelay: .seconds(4), random: { -1 })
        #expect(negative.delay(afterAttempt: 1, retryAfter: nil) == .zero)
        let nan = RetryPolicy(initialDelay: .seconds(4), random: { .nan })
        #expect(nan.delay(afterAttempt: 1, retryAfter: nil) == .zero)
    }

    @Test("the real random source stays within the bounds")
    func realJitter() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(2))
        var distinct: Set<Duration> = []
        for attempt in 1...200 {
            let delay = policy.delay(afterAttempt: attempt % 8 + 1, retryAfter: nil)
            #expect(delay >= .zero && delay < policy.bound(afterAttempt: attempt % 8 + 1))
            distinct.insert(delay)
        }
        #expect(distinct.count > 10)
    }

    @Test("Retry-After is honoured as sent, and cut to maxRetryAfter")
    func retryAfterHonoured() {
        let policy = RetryPolicy(maxDelay: .seconds(10), maxRetryAfter: .seconds(3600), random: { 0.5 })
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(120)) == .seconds(120))
        #expect(policy.delay(afterAttempt: 7, retryAfter: .zero) == .zero)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(86_400)) == .seconds(3600))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(-5)) == .zero)
    }

    @Test("attempts: maxAttempts counts the first one; 1 means never retry")
    func attempts() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.allowsRetry(afterAttempt: 1))
        #expect(policy.allowsRetry(afterAttempt: 2))
        #expect(!policy.allowsRetry(afterAttempt: 3))
        #expect(!RetryPolicy(maxAttempts: 1).allowsRetry(afterAttempt: 1))
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
        #expect(RetryPolicy().maxAttempts == 8)
    }

    @Test("Retry-After as delta-seconds")
    func parseDeltaSeconds() {
        #expect(RetryPolicy.parseRetryAfter("120", now: 0) == .seconds(120))
        #expect(RetryPolicy.parseRetryAfter(" 0 ", now: 0) == .zero)
        #expect(RetryPolicy.parseRetryAfter("99999999999999999999999", now: 0).map { $0 > .seconds(1_000_000) } == true)
        #expect(RetryPolicy.parseRetryAfter("-5", now: 0) == nil)
        #expect(RetryPolicy.parseRetryAfter("1.5", now: 0) == nil)
        #expect(RetryPolicy.parseRetryAfter("", now: 0) == nil)
        #expect(RetryPolicy.parseRetryAfter("soon", now: 0) == nil)
    }

    @Test("Retry-After as an HTTP-date in the three forms, relative to now; past dates are zero")
    func parseHTTPDate() {
        // 1994-11-06T08:49:37Z = 784111777
        let date: Int64 = 784_111_777
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: date - 90) == .seconds(90))
        #expect(RetryPolicy.parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now: date - 1) == .seconds(1))
        #expect(RetryPolicy.parseRetryAfter("Sun Nov  6 08:49:37 1994", now: date) == .zero)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: date + 500) == .zero)
        // 2015-10-21T07:28:00Z = 1445412480; a leap day; the year 2000.
        #expect(
            RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_480 - 3600) == .seconds(3600))
        #expect(RetryPolicy.parseRetryAfter("Thu, 29 Feb 2024 00:00:00 GMT", now: 1_709_164_800) == .zero)
        #expect(RetryPolicy.parseRetryAfter("Thu, 29 Feb 2024 00:00:10 GMT", now: 1_709_164_800) == .seconds(10))
        #expect(RetryPolicy.parseRetryAfter("Sat, 01 Jan 2000 00:00:00 GMT", now: 946_684_800 - 1) == .seconds(1))
        // Malformed dates are not waits.
        #expect(RetryPolicy.parseRetryAfter("Thu, 29 Feb 2023 00:00:00 GMT", now: 0) == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Foo 1994 08:49:37 GMT", now: 0) == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 25:49:37 GMT", now: 0) == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 PST", now: 0) == nil)
    }
}

/// When and how long to wait before trying a request again: exponential backoff with full jitter
/// (a random delay between zero and the capped exponential bound), and the server's `Retry-After`
/// honoured up to ``maxRetryAfter``.
///
/// ```
/// bound(n) = min(maxDelay, initialDelay * multiplier^(n-1))   // n = attempts made so far
/// delay(n) = random() * bound(n)                              // random() in [0, 1)
/// ```
public struct RetryPolicy: Sendable {
    /// The most attempts in all, the first one included (1 means no retry).
    public var maxAttempts: Int
    /// The backoff bound after the first attempt.
    public var initialDelay: Duration
    /// The largest backoff bound.
    public var maxDelay: Duration
    /// How much the bound grows per attempt.
    public var multiplier: Double
    /// The longest `Retry-After` that is honoured as sent; longer ones are cut to this.
    public var maxRetryAfter: Duration
    /// A number in [0, 1) for the jitter (injectable for tests).
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 8, initialDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(300),
        multiplier: Double = 2, maxRetryAfter: Duration = .seconds(3600),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = max(.zero, initialDelay)
        self.maxDelay = max(.zero, maxDelay)
        self.multiplier = multiplier.isFinite && multiplier >= 1 ? multiplier : 1
        self.maxRetryAfter = max(.zero, maxRetryAfter)
        self.random = random
    }

    /// Whether another attempt is allowed after `attempts` attempts have failed.
    public func allowsRetry(afterAttempt attempts: Int) -> Bool {
        attempts < maxAttempts
    }

    /// The backoff bound after `attempt` attempts (1 for the first): `initialDelay * multiplier^(attempt-1)`,
    /// at most ``maxDelay``.
    public func bound(afterAttempt attempt: Int) -> Duration {
        let maxSeconds = Self.seconds(maxDelay)
        var seconds = Self.seconds(initialDelay)
        var step = 1
        while step < attempt && seconds < maxSeconds {
            seconds *= multiplier
            step += 1
        }
        return Self.duration(min(seconds, maxSeconds))
    }

    /// How long to wait after `attempt` attempts (1 for the first): the server's `retryAfter` when
    /// it sent one (cut to ``maxRetryAfter``), else a full-jitter delay below ``bound(afterAttempt:)``.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(max(.zero, retryAfter), maxRetryAfter) }
        var r = random()
        if !r.isFinite || r < 0 { r = 0 }
        if r >= 1 { r = 1.0.nextDown }
        return Self.duration(Self.seconds(bound(afterAttempt: attempt)) * r)
    }

    /// A `Retry-After` value as a wait: delta-seconds (`120`) or an HTTP-date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`, also the obsolete RFC 850 and asctime forms) relative to
    /// `now` (seconds since the Unix epoch); a date in the past is zero. Nil when it is neither.
    public static func parseRetryAfter(_ value: String, now: Int64) -> Duration? {
        let text = value.trimmedWhitespace
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            // A huge number of digits is simply "very long".
            guard text.utf8.count <= 12, let seconds = Int64(text) else { return .seconds(Int64(1) << 40) }
            return .seconds(seconds)
        }
        guard let date = HTTPDate.parse(text) else { return nil }
        return .seconds(max(0, date - now))
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    static func duration(_ seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return .nanoseconds(Int64(min(seconds, 1e9) * 1e9))
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmedWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

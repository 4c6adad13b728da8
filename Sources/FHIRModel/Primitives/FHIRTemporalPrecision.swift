/// How far a date, dateTime, instant or time value is specified.
///
/// FHIRPath compares values precision by precision; `second` and `fraction` count as one
/// precision there (seconds are compared as a decimal), but both are kept so a value's written
/// form is known.
public enum FHIRTemporalPrecision: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case year
    case month
    case day
    case hour
    case minute
    case second
    /// Seconds with a fractional part (`10:00:00.250`).
    case fraction

    public static func < (lhs: FHIRTemporalPrecision, rhs: FHIRTemporalPrecision) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String {
        switch self {
        case .year: "year"
        case .month: "month"
        case .day: "day"
        case .hour: "hour"
        case .minute: "minute"
        case .second: "second"
        case .fraction: "fraction"
        }
    }
}

/// A time-zone offset as written in a dateTime or instant: `Z`, `+02:00`, `-05:30`.
///
/// `==` compares the offset as written (`Z` is not `+00:00`); compare ``minutes`` for the
/// offset itself. `-00:00` is read as 0 minutes.
public struct FHIRTimeZoneOffset: Sendable, Hashable, CustomStringConvertible {
    /// Minutes east of UTC (`+02:00` → 120, `-05:30` → -330, `Z` → 0).
    public let minutes: Int
    /// Whether it was written `Z` (rather than `+00:00` or `-00:00`).
    public let isZulu: Bool

    /// UTC written as `Z`.
    public static let utc = FHIRTimeZoneOffset(minutes: 0, isZulu: true)

    /// An offset of `minutes` east of UTC; `nil` beyond ±14:00.
    public init?(minutes: Int) {
        guard minutes >= -14 * 60 && minutes <= 14 * 60 else { return nil }
        self.minutes = minutes
        self.isZulu = false
    }

    init(minutes: Int, isZulu: Bool) {
        self.minutes = minutes
        self.isZulu = isZulu
    }

    /// `Z` or `±hh:mm`.
    public var description: String {
        if isZulu { return "Z" }
        let m = Swift.abs(minutes)
        let hh = m / 60
        let mm = m % 60
        return (minutes < 0 ? "-" : "+") + (hh < 10 ? "0" : "") + String(hh) + ":" + (mm < 10 ? "0" : "")
            + String(mm)
    }
}

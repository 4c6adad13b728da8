/// A FHIR `date` (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, calendar-checked) that keeps its lexeme.
///
/// `==` and hashing compare the lexeme; use ``compare(_:)`` for FHIRPath ordering, which is
/// `nil` (unknown) for `2024` against `2024-02`.
public struct FHIRDate: Sendable, Hashable, CustomStringConvertible {
    /// The same value viewed as a dateTime, for comparing dates with dateTimes.
    public let dateTime: FHIRDateTime

    /// Parses an R4 `date` lexeme; `nil` for anything else (times, `2023-02-29`, `0000`).
    public init?(_ lexeme: String) {
        guard let fields = FHIRDateTime.parse(lexeme, form: .date) else { return nil }
        self.dateTime = FHIRDateTime(lexeme: lexeme, fields: fields)
    }

    public var lexeme: String { dateTime.lexeme }
    /// `.year`, `.month` or `.day`.
    public var precision: FHIRTemporalPrecision { dateTime.precision }
    public var year: Int { dateTime.year }
    public var month: Int? { dateTime.month }
    public var day: Int? { dateTime.day }
    public var description: String { lexeme }

    /// FHIRPath ordering; `nil` when precisions differ and the shared part is equal.
    public func compare(_ other: FHIRDate) -> FHIRComparison? { dateTime.compare(other.dateTime) }
    /// FHIRPath `=` (`nil` = unknown).
    public func isEqual(to other: FHIRDate) -> Bool? { dateTime.isEqual(to: other.dateTime) }
    /// FHIRPath `~`.
    public func isEquivalent(to other: FHIRDate) -> Bool { dateTime.isEquivalent(to: other.dateTime) }
}

/// A FHIR `instant`: a full date, a time to at least seconds, and a required zone
/// (`2024-01-01T08:00:00Z`, `2024-01-01T10:00:00.125+02:00`).
///
/// Instants always have seconds and a zone, so their order is always known: ``compare(_:)``
/// normalises zones and compares fractional seconds as decimals. `==` and hashing compare the
/// lexeme.
public struct FHIRInstant: Sendable, Hashable, CustomStringConvertible {
    /// The same value viewed as a dateTime.
    public let dateTime: FHIRDateTime

    /// Parses an R4 `instant` lexeme; `nil` for anything else (no zone, no seconds, partial date).
    public init?(_ lexeme: String) {
        guard let fields = FHIRDateTime.parse(lexeme, form: .instant), fields.offset != nil else { return nil }
        self.dateTime = FHIRDateTime(lexeme: lexeme, fields: fields)
    }

    public var lexeme: String { dateTime.lexeme }
    /// `.second` or `.fraction`.
    public var precision: FHIRTemporalPrecision { dateTime.precision }
    /// The zone as written.
    public var timeZoneOffset: FHIRTimeZoneOffset { dateTime.fields.offset ?? .utc }
    /// The fractional-second digits as written, or `nil`.
    public var fractionDigits: String? { dateTime.fractionDigits }
    public var description: String { lexeme }

    /// Whole seconds since 1970-01-01T00:00:00Z (the fraction is dropped; a leap second `:60`
    /// counts as the next second).
    public var secondsSince1970: Int {
        let f = dateTime.fields
        let days = CivilCalendar.days(year: f.year, month: Int(f.month), day: Int(f.day))
        let offsetSeconds = (f.offset?.minutes ?? 0) * 60
        return days * 86_400 + Int(f.hour) * 3600 + Int(f.minute) * 60 + Int(f.second) - offsetSeconds
    }

    /// Total ordering across zones (`2024-01-01T10:00:00+02:00` equals `2024-01-01T08:00:00Z`).
    public func compare(_ other: FHIRInstant) -> FHIRComparison {
        // Both have minutes, seconds and zones, so normalisation and every precision are known;
        // the fallback is unreachable.
        dateTime.compare(other.dateTime) ?? FHIRComparison.of(secondsSince1970, other.secondsSince1970)
    }

    /// Whether both denote the same moment.
    public func isSameMoment(as other: FHIRInstant) -> Bool { compare(other) == .equal }
}

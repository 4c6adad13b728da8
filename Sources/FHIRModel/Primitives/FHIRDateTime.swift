/// A FHIR `dateTime` (or FHIRPath DateTime) that keeps its lexeme, precision, fractional-second
/// digits as written, and time-zone offset.
///
/// R4 grammar: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ss(.f+)?` followed by a
/// required zone (`Z`, `+hh:mm`, `-hh:mm`, at most ±14:00). The calendar is checked too:
/// `2023-02-29` and `2024-04-31` are rejected, `2024-02-29` is accepted. Seconds may be `60`
/// (leap second), as the R4 regex allows.
///
/// `==` and hashing compare the lexeme (identity of the written value). For FHIRPath semantics
/// use ``compare(_:assumingOffset:)``, ``isEqual(to:)`` and ``isEquivalent(to:)``, which can
/// answer "unknown" when precisions differ.
public struct FHIRDateTime: Sendable, Hashable, CustomStringConvertible {
    public let lexeme: String
    let fields: TemporalFields

    /// Parses an R4 `dateTime` lexeme (which includes every `date` and `instant` lexeme).
    public init?(_ lexeme: String) {
        guard let fields = Self.parse(lexeme, form: .dateTime) else { return nil }
        self.init(lexeme: lexeme, fields: fields)
    }

    /// Parses a FHIRPath DateTime literal without its `@`: as R4, but the time may stop at the
    /// hour or minute (`2015-02-04T14`, `2015-02-04T14:34`), the zone is optional, and a bare
    /// `T` may end a partial date (`2015T`, `2015-02T`).
    public init?(fhirPathLiteral literal: String) {
        guard let fields = Self.parse(literal, form: .fhirPath) else { return nil }
        self.init(lexeme: literal, fields: fields)
    }

    init(lexeme: String, fields: TemporalFields) {
        self.lexeme = lexeme
        self.fields = fields
    }

    static func parse(_ lexeme: String, form: TemporalParser.CalendarForm) -> TemporalFields? {
        let result = withUTF8Bytes(lexeme) { TemporalParser.parseCalendar($0, form: form) }
        guard case .success(let fields) = result else { return nil }
        return fields
    }

    // MARK: Components

    /// How far the value is specified (`2024` → `.year`, `…T10:00:00.5Z` → `.fraction`).
    public var precision: FHIRTemporalPrecision { fields.precision }
    public var year: Int { fields.year }
    /// 1...12, or `nil` below month precision.
    public var month: Int? { fields.precision >= .month ? Int(fields.month) : nil }
    public var day: Int? { fields.precision >= .day ? Int(fields.day) : nil }
    public var hour: Int? { fields.precision >= .hour ? Int(fields.hour) : nil }
    public var minute: Int? { fields.precision >= .minute ? Int(fields.minute) : nil }
    public var second: Int? { fields.precision >= .second ? Int(fields.second) : nil }
    /// The fractional-second digits as written (`"250"` for `10:00:00.250Z`), or `nil`.
    public var fractionDigits: String? { fields.precision == .fraction ? fields.fraction : nil }
    /// The zone as written, or `nil` when the value has none (dates, FHIRPath literals).
    public var timeZoneOffset: FHIRTimeZoneOffset? { fields.offset }
    /// Whether the value has a time part.
    public var hasTime: Bool { fields.precision >= .hour }

    public var description: String { lexeme }

    public static func == (lhs: FHIRDateTime, rhs: FHIRDateTime) -> Bool { lhs.lexeme == rhs.lexeme }
    public func hash(into hasher: inout Hasher) { hasher.combine(lexeme) }

    // MARK: FHIRPath comparison

    /// FHIRPath ordering: `nil` when unknown (one value is more precise and all shared
    /// components are equal). When both have zones they are normalised to UTC first
    /// (`2024-01-01T10:00:00+02:00` equals `2024-01-01T08:00:00Z`). When only one has a zone,
    /// the other's time is taken to be at `assumingOffset` (FHIRPath's evaluation-context zone);
    /// without it the written components are compared as they are.
    public func compare(_ other: FHIRDateTime, assumingOffset: FHIRTimeZoneOffset? = nil) -> FHIRComparison? {
        TemporalComparison.compareCalendar(fields, other.fields, assuming: assumingOffset)
    }

    /// FHIRPath `=`: `true`, `false`, or `nil` (empty) when precisions differ and the shared
    /// part is equal.
    public func isEqual(to other: FHIRDateTime, assumingOffset: FHIRTimeZoneOffset? = nil) -> Bool? {
        compare(other, assumingOffset: assumingOffset).map { $0 == .equal }
    }

    /// FHIRPath `~`: like `=`, but values of different precision are simply not equivalent.
    public func isEquivalent(to other: FHIRDateTime, assumingOffset: FHIRTimeZoneOffset? = nil) -> Bool {
        compare(other, assumingOffset: assumingOffset) == .equal
    }
}

/// A FHIR `time` of day (`hh:mm:ss(.f+)?`, 00:00:00 to 23:59:60, no zone) that keeps its lexeme
/// and fractional-second digits as written. `24:00:00` is not a valid time.
///
/// `==` and hashing compare the lexeme; ``compare(_:)`` follows FHIRPath (unknown when
/// precisions differ, possible only with FHIRPath literals such as `14:30`).
public struct FHIRTime: Sendable, Hashable, CustomStringConvertible {
    public let lexeme: String
    let fields: TemporalFields

    /// Parses an R4 `time` lexeme.
    public init?(_ lexeme: String) {
        guard let fields = Self.parse(lexeme, lenient: false) else { return nil }
        self.lexeme = lexeme
        self.fields = fields
    }

    /// Parses a FHIRPath Time literal without its `@T`: `14`, `14:30`, `14:30:15`, `14:30:15.5`.
    public init?(fhirPathLiteral literal: String) {
        guard let fields = Self.parse(literal, lenient: true) else { return nil }
        self.lexeme = literal
        self.fields = fields
    }

    private static func parse(_ text: String, lenient: Bool) -> TemporalFields? {
        let result = withUTF8Bytes(text) { TemporalParser.parseTime($0, lenient: lenient) }
        guard case .success(let fields) = result else { return nil }
        return fields
    }

    /// `.hour` … `.fraction` (`.second` or `.fraction` for R4 lexemes).
    public var precision: FHIRTemporalPrecision { fields.precision }
    public var hour: Int { Int(fields.hour) }
    public var minute: Int? { fields.precision >= .minute ? Int(fields.minute) : nil }
    public var second: Int? { fields.precision >= .second ? Int(fields.second) : nil }
    /// The fractional-second digits as written, or `nil`.
    public var fractionDigits: String? { fields.precision == .fraction ? fields.fraction : nil }
    public var description: String { lexeme }

    public static func == (lhs: FHIRTime, rhs: FHIRTime) -> Bool { lhs.lexeme == rhs.lexeme }
    public func hash(into hasher: inout Hasher) { hasher.combine(lexeme) }

    /// FHIRPath ordering; `nil` when precisions differ and the shared part is equal.
    public func compare(_ other: FHIRTime) -> FHIRComparison? {
        TemporalComparison.compare(fields, other.fields, from: .hour)
    }

    /// FHIRPath `=` (`nil` = unknown).
    public func isEqual(to other: FHIRTime) -> Bool? { compare(other).map { $0 == .equal } }

    /// FHIRPath `~`.
    public func isEquivalent(to other: FHIRTime) -> Bool { compare(other) == .equal }
}

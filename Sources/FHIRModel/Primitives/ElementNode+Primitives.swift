/// Typed views of a primitive node's lexeme. Each parses ``ElementNode/value`` on demand and
/// returns `nil` when there is no value or it is not a valid lexeme of that type; the lexeme
/// itself is never changed.
extension ElementNode {
    /// The lexeme as written (`nil` for complex nodes and value-less primitives).
    public var stringValue: String? { value }

    /// The value as an exact decimal (`1.10`, `0.5e2`, 40-digit values).
    public var decimalValue: FHIRDecimal? { value.flatMap { FHIRDecimal($0) } }

    /// The value as an integer when it is a FHIR `integer`, `unsignedInt` or `positiveInt`
    /// lexeme in the 32-bit range (`-?(0|[1-9][0-9]*)`).
    public var integerValue: Int? {
        guard let value, FHIRPrimitive.isValid(value, kind: .integer) else { return nil }
        return Int(value)
    }

    /// `true` or `false` for the lexemes `true` and `false`.
    public var booleanValue: Bool? {
        switch value {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// The value as a dateTime (every `date`, `dateTime` and `instant` lexeme is one).
    public var dateTimeValue: FHIRDateTime? { value.flatMap { FHIRDateTime($0) } }

    /// The value as a `date` (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    public var dateValue: FHIRDate? { value.flatMap { FHIRDate($0) } }

    /// The value as an `instant` (full date, time to seconds, zone).
    public var instantValue: FHIRInstant? { value.flatMap { FHIRInstant($0) } }

    /// The value as a `time` (`hh:mm:ss(.f+)?`).
    public var timeValue: FHIRTime? { value.flatMap { FHIRTime($0) } }
}

import FHIRModel

/// The plausible range of a measured number, for messages and checks. Bounds are whole numbers
/// of `unit`.
struct DecimalRange: Sendable {
    /// The lowest value allowed; when `exclusive`, the value must be above it (a dose above 0).
    var minimum: Int
    var exclusive: Bool
    /// The highest plausible value (inclusive), if any.
    var maximum: Int?
    /// The unit the bounds are in, for messages (`mg/kg/h`, `kg`).
    var unit: String

    /// Above zero and at most `max`.
    static func positive(max: Int?, _ unit: String) -> DecimalRange {
        DecimalRange(minimum: 0, exclusive: true, maximum: max, unit: unit)
    }

    /// Between `low` and `high` inclusive.
    static func between(_ low: Int, _ high: Int, _ unit: String) -> DecimalRange {
        DecimalRange(minimum: low, exclusive: false, maximum: high, unit: unit)
    }
}

/// Reads single JSON values against the format's rules; used for fields and array items alike.
enum ValueReader {
    static func string(_ node: JSONNode, path: String, diagnostics: RecordDiagnostics, maxLength: Int) -> String? {
        guard case .string(let s) = node.value else {
            diagnostics.wrongType(node, expected: "a string", path: path)
            return nil
        }
        if s.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            diagnostics.error(.recordInvalidValue, "must not be empty", path: path, at: node.position)
            return nil
        }
        if s.utf8.count > maxLength {
            diagnostics.error(
                .recordInvalidValue, "longer than \(maxLength) bytes", path: path, at: node.position)
            return nil
        }
        return s
    }

    static func formatted(_ node: JSONNode, _ rule: FormatRule, path: String, diagnostics: RecordDiagnostics)
        -> String?
    {
        guard let s = string(node, path: path, diagnostics: diagnostics, maxLength: 1 << 26) else { return nil }
        guard rule.matches(s) else {
            diagnostics.error(.recordInvalidValue, "must be \(rule.description)", path: path, at: node.position)
            return nil
        }
        return s
    }

    static func code<E: RawRepresentable & CaseIterable>(
        _ node: JSONNode, _ type: E.Type, path: String, diagnostics: RecordDiagnostics
    ) -> E? where E.RawValue == String {
        guard case .string(let s) = node.value else {
            diagnostics.wrongType(node, expected: "a code (string)", path: path)
            return nil
        }
        guard let code = E(rawValue: s) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: " | ")
            diagnostics.error(
                .recordInvalidCode, "not one of the allowed codes: \(allowed)", path: path, at: node.position)
            return nil
        }
        return code
    }

    static func integer(_ node: JSONNode, in range: ClosedRange<Int>, path: String, diagnostics: RecordDiagnostics)
        -> Int?
    {
        guard case .number(let lexeme) = node.value else {
            diagnostics.wrongType(node, expected: "a whole number", path: path)
            return nil
        }
        guard lexeme.utf8.allSatisfy({ FormatRule.isDigit($0) || $0 == 0x2D }), let value = Int(lexeme) else {
            diagnostics.error(
                .recordInvalidValue, "must be a whole number written without a fraction or exponent", path: path,
                at: node.position)
            return nil
        }
        guard range.contains(value) else {
            diagnostics.error(
                .recordImpossibleValue, "must be between \(range.lowerBound) and \(range.upperBound)", path: path,
                at: node.position)
            return nil
        }
        return value
    }

    static func decimal(_ node: JSONNode, _ range: DecimalRange, path: String, diagnostics: RecordDiagnostics)
        -> FHIRDecimal?
    {
        guard case .number(let lexeme) = node.value else {
            diagnostics.wrongType(node, expected: "a number", path: path)
            return nil
        }
        guard let value = FHIRDecimal(lexeme) else {
            diagnostics.error(.recordInvalidValue, "the number is out of range", path: path, at: node.position)
            return nil
        }
        let minimum = FHIRDecimal(range.minimum)
        if range.exclusive ? value <= minimum : value < minimum {
            let rule = range.exclusive ? "greater than" : "at least"
            diagnostics.error(
                .recordImpossibleValue, "must be \(rule) \(range.minimum) \(range.unit)", path: path,
                at: node.position)
            return nil
        }
        if let maximum = range.maximum, value > FHIRDecimal(maximum) {
            diagnostics.error(
                .recordImpossibleValue, "above the plausible maximum of \(maximum) \(range.unit)", path: path,
                at: node.position)
            return nil
        }
        return value
    }

    static func date(_ node: JSONNode, path: String, diagnostics: RecordDiagnostics) -> FHIRDate? {
        guard case .string(let s) = node.value else {
            diagnostics.wrongType(node, expected: "a date string (YYYY-MM-DD)", path: path)
            return nil
        }
        guard s.utf8.count == 10, let date = FHIRDate(s), date.precision == .day else {
            diagnostics.error(
                .recordInvalidValue, "must be a calendar date YYYY-MM-DD", path: path, at: node.position)
            return nil
        }
        return date
    }

    static func dateTime(_ node: JSONNode, path: String, diagnostics: RecordDiagnostics) -> FHIRDateTime? {
        guard case .string(let s) = node.value else {
            diagnostics.wrongType(node, expected: "a date-time string", path: path)
            return nil
        }
        guard let value = FHIRDateTime(s), value.precision >= .second, value.timeZoneOffset != nil else {
            diagnostics.error(
                .recordInvalidValue,
                "must be an ISO 8601 date and time with seconds and an offset (YYYY-MM-DDThh:mm:ss+hh:mm or Z)",
                path: path, at: node.position)
            return nil
        }
        return value
    }
}

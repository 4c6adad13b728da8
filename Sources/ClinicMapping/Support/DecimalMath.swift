import FHIRModel

/// Small exact-decimal helpers for computed doses and rates (inputs keep their lexemes; only
/// computed values are rounded).
enum DecimalMath {
    /// A computed value without trailing fractional zeros (`52.500` -> `52.5`, `35.0` -> `35`).
    static func trimmed(_ d: FHIRDecimal) -> FHIRDecimal {
        var text = d.plainString
        guard text.contains(".") else { return d }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return FHIRDecimal(text) ?? d
    }

    /// `a × b`, trimmed.
    static func product(_ a: FHIRDecimal, _ b: FHIRDecimal) -> FHIRDecimal? {
        a.multiplied(by: b).map(trimmed)
    }

    /// `a ÷ b` rounded to `places`, trimmed.
    static func quotient(_ a: FHIRDecimal, _ b: FHIRDecimal, places: Int) -> FHIRDecimal? {
        a.dividing(by: b, decimalPlaces: places, rounding: .toNearestOrAwayFromZero).map(trimmed)
    }

    /// Rounded to `places` digits, trimmed.
    static func rounded(_ a: FHIRDecimal, places: Int) -> FHIRDecimal? {
        a.rounded(toDecimalPlaces: places).map(trimmed)
    }

    /// Whether `recorded` is within `max(absolute, relative × |computed|)` of `computed`.
    static func agrees(_ recorded: FHIRDecimal, _ computed: FHIRDecimal, absolute: FHIRDecimal, relative: FHIRDecimal)
        -> Bool
    {
        guard let diff = recorded.subtracting(computed)?.magnitude,
            let scaled = computed.magnitude.multiplied(by: relative)
        else { return false }
        let tolerance = scaled > absolute ? scaled : absolute
        return diff <= tolerance
    }

    /// Seconds from `start` to `end` (both date-times with seconds and a zone), or nil.
    static func seconds(from start: FHIRDateTime, to end: FHIRDateTime) -> Int? {
        guard let a = FHIRInstant(start.lexeme), let b = FHIRInstant(end.lexeme) else { return nil }
        return b.secondsSince1970 - a.secondsSince1970
    }
}

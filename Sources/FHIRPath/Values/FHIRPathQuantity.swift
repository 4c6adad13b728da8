import FHIRModel

/// System.Quantity: a decimal value with a UCUM unit or a calendar duration keyword.
///
/// Unit conversion, comparison and arithmetic live in the `Quantity/` files.
public struct FHIRPathQuantity: Sendable, Hashable, CustomStringConvertible {
    public var value: FHIRDecimal
    /// The UCUM code (`mg`, `mm[Hg]`, `/min`, `1`) or, for a calendar duration, the singular
    /// keyword (`year`, `month`, `week`, `day`, `hour`, `minute`, `second`, `millisecond`).
    public var unit: String
    /// Whether `unit` is a calendar duration keyword rather than a UCUM code.
    public var isCalendarDuration: Bool

    public init(value: FHIRDecimal, unit: String, isCalendarDuration: Bool = false) {
        self.value = value
        self.unit = unit
        self.isCalendarDuration = isCalendarDuration
    }

    /// The singular calendar keyword for a written one (`days` -> `day`), or `nil`.
    public static func calendarKeyword(_ written: String) -> String? {
        guard QuantityUnit.calendarKeywords.contains(written) else { return nil }
        return written.hasSuffix("s") ? String(written.dropLast()) : written
    }

    /// FHIRPath text form: `4.5 'mg'`, `1 year`.
    public var description: String {
        isCalendarDuration ? "\(value) \(unit)" : "\(value) '\(unit)'"
    }
}

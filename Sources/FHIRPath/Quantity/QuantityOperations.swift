import FHIRModel

// PLACEHOLDER (being replaced by the quantity work): same-unit only.
extension FHIRPathQuantity {
    /// `=`: `nil` when the units cannot be compared.
    func isEqual(to other: FHIRPathQuantity) -> Bool? {
        compare(other).map { $0 == .equal }
    }

    /// `~`.
    func isEquivalent(to other: FHIRPathQuantity) -> Bool {
        compare(other) == .equal
    }

    /// Ordering, `nil` when the units cannot be compared.
    func compare(_ other: FHIRPathQuantity) -> FHIRComparison? {
        guard unit == other.unit, isCalendarDuration == other.isCalendarDuration else { return nil }
        return value.compare(other.value)
    }

    func adding(_ other: FHIRPathQuantity) -> FHIRPathQuantity? {
        guard unit == other.unit, let v = value.adding(other.value) else { return nil }
        return FHIRPathQuantity(value: v, unit: unit, isCalendarDuration: isCalendarDuration)
    }

    func subtracting(_ other: FHIRPathQuantity) -> FHIRPathQuantity? {
        adding(FHIRPathQuantity(value: other.value.negated(), unit: other.unit, isCalendarDuration: other.isCalendarDuration))
    }

    func multiplied(by other: FHIRPathQuantity) -> FHIRPathQuantity? { nil }

    func divided(by other: FHIRPathQuantity) -> FHIRPathQuantity? { nil }
}

/// Why date/time arithmetic failed (`@2019-01-01 + 1 'mo'`: months are not a UCUM calendar unit).
struct TemporalArithmeticFailure: Error {
    let message: String
}

enum FHIRPathTemporalArithmetic {
    /// `value + quantity` (or `-` when `subtracting`) for a Date, DateTime or Time value;
    /// `nil` for an empty result.
    static func add(_ quantity: FHIRPathQuantity, to value: FHIRPathValue, subtracting: Bool) throws(TemporalArithmeticFailure)
        -> FHIRPathValue?
    {
        throw TemporalArithmeticFailure(message: "date arithmetic is not implemented yet")
    }
}

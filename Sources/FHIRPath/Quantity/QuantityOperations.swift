import FHIRModel

/// Quantity equality, equivalence and ordering (FHIRPath N1, "Quantity Equality", "Quantity
/// Equivalence", "Comparison").
///
/// Units are converted through UCUM (`1 'g' = 1000 'mg'`, `1 'kg' > 900 'g'`, `185 '[lb_av]'`
/// against kilograms), exactly: both sides are scaled by their units' exact factors and
/// compared as decimals. Quantities of different dimensions, and units the table does not know
/// (unless both are the very same unit), compare as unknown: `=` and `<` give empty, `~` false.
///
/// Calendar durations: weeks and below equal their UCUM units (`7 days = 1 'wk'`), years and
/// months compare with each other (`1 year = 12 months`) but not with `'a'`/`'mo'` (`1 year =
/// 1 'a'` is empty); for `~` they are equivalent to them (`1 year ~ 1 'a'` is true).
extension FHIRPathQuantity {
    /// `=`: `nil` when the units cannot be compared.
    func isEqual(to other: FHIRPathQuantity) -> Bool? {
        compare(other).map { $0 == .equal }
    }

    /// Ordering, `nil` when the units cannot be compared.
    func compare(_ other: FHIRPathQuantity) -> FHIRComparison? {
        if unit == other.unit && isCalendarDuration == other.isCalendarDuration {
            return value.compare(other.value)
        }
        guard let (a, b) = QuantityMath.magnitudes(self, other, equivalence: false) else { return nil }
        // v1 × n1 / d1  against  v2 × n2 / d2, with positive denominators.
        guard let l = QuantityMath.product(value, a.numerator, b.denominator),
            let r = QuantityMath.product(other.value, b.numerator, a.denominator)
        else { return nil }
        return l.compare(r)
    }

    /// Whether `=` and `<` can compare the two (the same or commensurable units): FHIRPath's
    /// `comparable()`.
    public func isComparable(to other: FHIRPathQuantity) -> Bool {
        if unit == other.unit && isCalendarDuration == other.isCalendarDuration { return true }
        return QuantityMath.magnitudes(self, other, equivalence: false) != nil
    }

    /// `~`: after conversion, the values are equal when rounded to the precision of the less
    /// precise operand (`4 'g' ~ 4040 'mg'` is true: 4.040 g is 4 g to the gram). Incomparable
    /// or unknown units are not equivalent.
    func isEquivalent(to other: FHIRPathQuantity) -> Bool {
        if unit == other.unit && isCalendarDuration == other.isCalendarDuration {
            return QuantityMath.roundedEqual(value, other.value, places: min(value.precision, other.value.precision))
        }
        guard let (a, b) = QuantityMath.magnitudes(self, other, equivalence: true) else { return false }
        // Each value is known to ±½ of its last place; in base units that place is
        // 10^-precision × n / d. The operand with the larger one is the less precise.
        guard let placeA = QuantityMath.product(QuantityMath.unitInLastPlace(value), a.numerator, b.denominator),
            let placeB = QuantityMath.product(QuantityMath.unitInLastPlace(other.value), b.numerator, a.denominator)
        else { return false }
        let (coarse, coarseMagnitude, fine, fineMagnitude) =
            placeA.compare(placeB) == .less ? (other, b, self, a) : (self, a, other, b)
        let places = coarse.value.precision
        guard
            let converted = QuantityMath.convert(
                fine.value, from: fineMagnitude, to: coarseMagnitude, decimalPlaces: places + 12)
        else { return false }
        return QuantityMath.roundedEqual(coarse.value, converted, places: places)
    }
}

/// Exact helpers for quantity conversion.
enum QuantityMath {
    /// The magnitudes of both units when they have the same dimension.
    static func magnitudes(_ a: FHIRPathQuantity, _ b: FHIRPathQuantity, equivalence: Bool) -> (
        UCUMMagnitude, UCUMMagnitude
    )? {
        guard let ua = a.operationalUnit(equivalence: equivalence)?.magnitude,
            let ub = b.operationalUnit(equivalence: equivalence)?.magnitude,
            ua.dimension == ub.dimension
        else { return nil }
        return (ua, ub)
    }

    static func product(_ a: FHIRDecimal, _ b: FHIRDecimal, _ c: FHIRDecimal) -> FHIRDecimal? {
        a.multiplied(by: b)?.multiplied(by: c)
    }

    /// 10^-precision: one unit in the last stated place (`4.04` → 0.01, `4` → 1).
    static func unitInLastPlace(_ d: FHIRDecimal) -> FHIRDecimal {
        FHIRDecimal("1e-\(d.precision)") ?? FHIRDecimal(1)
    }

    static func roundedEqual(_ a: FHIRDecimal, _ b: FHIRDecimal, places: Int) -> Bool {
        guard let x = a.rounded(toDecimalPlaces: places), let y = b.rounded(toDecimalPlaces: places) else {
            return false
        }
        return x == y
    }

    /// `value` in unit `from` expressed in unit `to` (same dimension): exact when the quotient
    /// terminates (stated with at least `value`'s decimal places), else rounded to
    /// `decimalPlaces`.
    static func convert(
        _ value: FHIRDecimal, from: UCUMMagnitude, to: UCUMMagnitude, decimalPlaces: Int
    ) -> FHIRDecimal? {
        guard let numerator = product(value, from.numerator, to.denominator),
            let denominator = from.denominator.multiplied(by: to.numerator)
        else { return nil }
        return quotient(numerator, denominator, keeping: value.precision, decimalPlaces: decimalPlaces)
    }

    /// `a / b`: the exact quotient when it has at most `decimalPlaces` + 24 places (trailing
    /// zeros trimmed down to `keeping` places), else rounded to `decimalPlaces` and trimmed.
    static func quotient(_ a: FHIRDecimal, _ b: FHIRDecimal, keeping: Int, decimalPlaces: Int) -> FHIRDecimal? {
        guard !b.isZero else { return nil }
        if b == FHIRDecimal(1) { return a }
        let wide = decimalPlaces + 24
        if let q = a.dividing(by: b, decimalPlaces: wide), q.multiplied(by: b) == a {
            return trimmed(q, keeping: keeping)
        }
        guard let q = a.dividing(by: b, decimalPlaces: decimalPlaces) else { return nil }
        return trimmed(q, keeping: keeping)
    }

    /// Drops trailing zeros after the point, keeping at least `keeping` places.
    static func trimmed(_ d: FHIRDecimal, keeping: Int) -> FHIRDecimal {
        var places = d.precision
        let digits = Array(d.plainString.utf8)
        var end = digits.count
        while places > max(keeping, 0), end > 0, digits[end - 1] == UInt8(ascii: "0") {
            places -= 1
            end -= 1
        }
        return places == d.precision ? d : (d.rounded(toDecimalPlaces: places) ?? d)
    }
}

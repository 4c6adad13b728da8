import FHIRModel

/// Quantity `+ - * /` (FHIRPath N1, "Math") and unit conversion.
///
/// - `+` and `-` need commensurable units; the result is in the finer unit of the two
///   (`3 'm' + 3 'cm'` is `303 'cm'`), a calendar duration when that operand is one
///   (`1 day + 1 hour` is `25 hours`). Otherwise the result is empty.
/// - `*` and `/` combine the units (`2.0 'cm' * 2.0 'm'` is `400.00 'cm2'`, `5 'mg/kg' * 70 'kg'`
///   is `350 'mg'`, `4.0 'g' / 2.0 'm'` is `2 'g/m'`, `1.0 'm' / 1.0 'm'` is `1 '1'`); a
///   number (unit `'1'`) keeps the other unit as written. Calendar years and months, unknown
///   units and `Cel`/`[degF]` can only be multiplied or divided by numbers.
extension FHIRPathQuantity {
    /// The digits kept after the point when a quotient does not terminate (as for decimals).
    static let divisionPlaces = 8

    /// Whether this is a plain number as a quantity (unit `'1'`).
    var isUnity: Bool { unit == "1" && !isCalendarDuration }

    func adding(_ other: FHIRPathQuantity) -> FHIRPathQuantity? {
        if unit == other.unit && isCalendarDuration == other.isCalendarDuration {
            return value.adding(other.value).map {
                FHIRPathQuantity(value: $0, unit: unit, isCalendarDuration: isCalendarDuration)
            }
        }
        guard let (a, b) = QuantityMath.magnitudes(self, other, equivalence: false),
            let l = a.numerator.multiplied(by: b.denominator), let r = b.numerator.multiplied(by: a.denominator)
        else { return nil }
        // Convert the coarser operand into the finer one's unit.
        let selfIsFiner = l.compare(r) != .greater
        let (fine, coarse, fineMagnitude, coarseMagnitude) = selfIsFiner ? (self, other, a, b) : (other, self, b, a)
        let places = max(fine.value.precision, coarse.value.precision) + Self.divisionPlaces
        guard
            let converted = QuantityMath.convert(
                coarse.value, from: coarseMagnitude, to: fineMagnitude, decimalPlaces: places),
            let sum = fine.value.adding(converted)
        else { return nil }
        return FHIRPathQuantity(value: sum, unit: fine.unit, isCalendarDuration: fine.isCalendarDuration)
    }

    func subtracting(_ other: FHIRPathQuantity) -> FHIRPathQuantity? {
        var negated = other
        negated.value = other.value.negated()
        return adding(negated)
    }

    func multiplied(by other: FHIRPathQuantity) -> FHIRPathQuantity? {
        guard let v = value.multiplied(by: other.value) else { return nil }
        if other.isUnity { return FHIRPathQuantity(value: v, unit: unit, isCalendarDuration: isCalendarDuration) }
        if isUnity { return FHIRPathQuantity(value: v, unit: other.unit, isCalendarDuration: other.isCalendarDuration) }
        guard let (u, factor) = combinedUnit(other, power: 1), let scaled = v.multiplied(by: factor) else { return nil }
        return FHIRPathQuantity(value: scaled, unit: u.code)
    }

    func divided(by other: FHIRPathQuantity) -> FHIRPathQuantity? {
        guard !other.value.isZero,
            let v = QuantityMath.quotient(value, other.value, keeping: 0, decimalPlaces: Self.divisionPlaces)
        else { return nil }
        if other.isUnity { return FHIRPathQuantity(value: v, unit: unit, isCalendarDuration: isCalendarDuration) }
        guard let (u, factor) = combinedUnit(other, power: -1), let scaled = v.multiplied(by: factor) else {
            return nil
        }
        return FHIRPathQuantity(value: QuantityMath.trimmed(scaled, keeping: 0), unit: u.code)
    }

    /// This unit times `other`'s raised to `power`, for `*` and `/`.
    private func combinedUnit(_ other: FHIRPathQuantity, power: Int) -> (UCUMUnit, FHIRDecimal)? {
        guard let a = productUnit, let b = other.productUnit else { return nil }
        return a.multiplied(by: b, power: power)
    }

    /// The unit as a factor of a product: UCUM units that convert by a factor, and calendar
    /// weeks and below as their UCUM units.
    private var productUnit: UCUMUnit? {
        if isUnity { return .unity }
        guard let u = operationalUnit(equivalence: false), u.magnitude != nil else { return nil }
        let calendar = u.terms.contains { $0.atom == UCUMTable.calendarYear || $0.atom == UCUMTable.calendarMonth }
        return calendar ? nil : u
    }

    /// The same amount in another unit: a UCUM code, or a calendar keyword (`'mg'`, `'h'`,
    /// `month`). `nil` when the units are not commensurable (calendar years and months convert
    /// only to each other). The value is exact when the conversion terminates, else rounded to
    /// eight more places than it had.
    public func converted(toUnit target: String) -> FHIRPathQuantity? {
        let goal: FHIRPathQuantity
        if let keyword = FHIRPathQuantity.calendarKeyword(target) {
            goal = FHIRPathQuantity(value: FHIRDecimal(1), unit: keyword, isCalendarDuration: true)
        } else {
            goal = FHIRPathQuantity(value: FHIRDecimal(1), unit: target)
        }
        if unit == goal.unit && isCalendarDuration == goal.isCalendarDuration { return self }
        guard let (from, to) = QuantityMath.magnitudes(self, goal, equivalence: false),
            let v = QuantityMath.convert(
                value, from: from, to: to, decimalPlaces: value.precision + Self.divisionPlaces)
        else { return nil }
        return FHIRPathQuantity(value: v, unit: goal.unit, isCalendarDuration: goal.isCalendarDuration)
    }
}

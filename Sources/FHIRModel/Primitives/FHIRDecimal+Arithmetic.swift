/// Exact decimal arithmetic for FHIRPath and the validator.
///
/// Addition, subtraction and multiplication are exact; division rounds to a stated number of
/// decimal places. Every operation returns `nil` instead of building a result whose plain form
/// would need more than ``FHIRDecimal/maxArithmeticDigits`` digits (hostile input cannot make it
/// allocate without bound), and division returns `nil` for a zero divisor.
extension FHIRDecimal {
    /// The largest result, in digits of plain notation, any operation will build.
    public static let maxArithmeticDigits = 10_000

    /// `self + other`, exact. The result has the larger of the two scales (`1.10 + 2.2 = 3.30`).
    public func adding(_ other: FHIRDecimal) -> FHIRDecimal? {
        let e = Swift.min(exponent, other.exponent)
        let lead = Swift.max(coefficient.count + exponent, other.coefficient.count + other.exponent)
        guard Self.fits(width: lead - e, exponent: e) else { return nil }
        let a = Self.aligned(coefficient, from: exponent, to: e)
        let b = Self.aligned(other.coefficient, from: other.exponent, to: e)
        if isNegative == other.isNegative {
            return FHIRDecimal(negative: isNegative, coefficient: DecimalDigits.add(a, b), exponent: e)
        }
        switch DecimalDigits.compare(a, b) {
        case .equal:
            return FHIRDecimal(negative: false, coefficient: [], exponent: e)
        case .greater:
            return FHIRDecimal(negative: isNegative, coefficient: DecimalDigits.subtract(a, b), exponent: e)
        case .less:
            return FHIRDecimal(negative: other.isNegative, coefficient: DecimalDigits.subtract(b, a), exponent: e)
        }
    }

    /// `self - other`, exact.
    public func subtracting(_ other: FHIRDecimal) -> FHIRDecimal? {
        adding(other.negated())
    }

    /// `self × other`, exact. The scales add up (`1.5 × 2.25 = 3.375`).
    public func multiplied(by other: FHIRDecimal) -> FHIRDecimal? {
        let (e, overflow) = exponent.addingReportingOverflow(other.exponent)
        guard !overflow, Self.fits(width: coefficient.count + other.coefficient.count, exponent: e) else {
            return nil
        }
        let product = DecimalDigits.multiply(coefficient, other.coefficient)
        return FHIRDecimal(negative: isNegative != other.isNegative, coefficient: product, exponent: e)
    }

    /// `self ÷ other`, rounded to `decimalPlaces` digits after the point with `rounding`.
    /// Returns `nil` when `other` is zero.
    public func dividing(
        by other: FHIRDecimal, decimalPlaces: Int, rounding: FloatingPointRoundingRule = .toNearestOrEven
    ) -> FHIRDecimal? {
        guard !other.isZero, Swift.abs(decimalPlaces) <= Self.maxArithmeticDigits else { return nil }
        // quotient × 10^-decimalPlaces ≈ (ca × 10^ea) / (cb × 10^eb)
        // ⇒ quotient = ca × 10^k / cb with k = ea - eb + decimalPlaces.
        let k = exponent - other.exponent + decimalPlaces
        guard Swift.abs(k) <= Self.maxArithmeticDigits,
            coefficient.count + Swift.max(k, 0) <= Self.maxArithmeticDigits,
            other.coefficient.count + Swift.max(-k, 0) <= Self.maxArithmeticDigits
        else { return nil }
        let numerator = coefficient + repeatElement(0, count: Swift.max(k, 0))
        let denominator = other.coefficient + repeatElement(0, count: Swift.max(-k, 0))
        let (q, r) = DecimalDigits.divide(numerator, denominator)
        let negative = isNegative != other.isNegative
        let half = DecimalDigits.compare(DecimalDigits.add(r, r), DecimalDigits.trimmed(denominator))
        let quotient = Self.applyRounding(
            q, rule: rounding, negative: negative, remainderIsZero: r.isEmpty, half: half)
        return FHIRDecimal(negative: negative, coefficient: quotient, exponent: -decimalPlaces)
    }

    /// Truncating division as FHIRPath's `div` and `mod` use it: `quotient` is the whole number
    /// `self ÷ other` truncated toward zero and `remainder = self - other × quotient` (sign of
    /// `self`). `nil` for a zero divisor.
    public func quotientAndRemainder(dividingBy other: FHIRDecimal) -> (
        quotient: FHIRDecimal, remainder: FHIRDecimal
    )? {
        guard !other.isZero else { return nil }
        let e = Swift.min(exponent, other.exponent)
        let lead = Swift.max(coefficient.count + exponent, other.coefficient.count + other.exponent)
        guard Self.fits(width: lead - e, exponent: e) else { return nil }
        let a = Self.aligned(coefficient, from: exponent, to: e)
        let b = Self.aligned(other.coefficient, from: other.exponent, to: e)
        let (q, r) = DecimalDigits.divide(a, b)
        return (
            FHIRDecimal(negative: isNegative != other.isNegative, coefficient: q, exponent: 0),
            FHIRDecimal(negative: isNegative, coefficient: r, exponent: e)
        )
    }

    /// The value rounded (or padded) to `places` digits after the point. `rule` follows Swift:
    /// `.toNearestOrAwayFromZero` is FHIRPath's `round()`, `.down` is `floor()`, `.up` is
    /// `ceiling()`, `.towardZero` is `truncate()`. Negative `places` round to tens, hundreds….
    public func rounded(
        toDecimalPlaces places: Int, rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero
    ) -> FHIRDecimal? {
        guard Swift.abs(places) <= Self.maxArithmeticDigits else { return nil }
        let target = -places
        if target <= exponent {
            let width = coefficient.count + exponent - target
            guard Self.fits(width: width, exponent: target) else { return nil }
            return FHIRDecimal(
                negative: isNegative, coefficient: Self.aligned(coefficient, from: exponent, to: target),
                exponent: target)
        }
        let dropCount = target - exponent  // digits to remove from the right, >= 1
        let keep = Swift.max(coefficient.count - dropCount, 0)
        let kept = Array(coefficient[..<keep])
        let dropped = coefficient[keep...]
        let remainderIsZero = dropped.allSatisfy { $0 == 0 }
        let half: FHIRComparison
        if dropped.count < dropCount {
            half = .less  // the dropped part is below 10^(dropCount-1), so below half
        } else {
            let first = dropped[dropped.startIndex]
            if first != 5 {
                half = first < 5 ? .less : .greater
            } else {
                half = dropped.dropFirst().allSatisfy { $0 == 0 } ? .equal : .greater
            }
        }
        let result = Self.applyRounding(
            kept, rule: rule, negative: isNegative, remainderIsZero: remainderIsZero, half: half)
        guard Self.fits(width: result.count, exponent: target) else { return nil }
        return FHIRDecimal(negative: isNegative, coefficient: result, exponent: target)
    }

    /// The value with the opposite sign (zero stays zero).
    public func negated() -> FHIRDecimal {
        FHIRDecimal(negative: !isNegative, coefficient: coefficient, exponent: exponent)
    }

    /// The absolute value.
    public var magnitude: FHIRDecimal {
        FHIRDecimal(negative: false, coefficient: coefficient, exponent: exponent)
    }

    // MARK: Helpers

    /// Whether a result with `width` coefficient digits and exponent `e` stays within limits.
    static func fits(width: Int, exponent e: Int) -> Bool {
        width >= 0 && width <= maxArithmeticDigits && Swift.abs(e) <= maxArithmeticDigits
    }

    /// The coefficient rescaled from exponent `from` to the smaller exponent `to`.
    static func aligned(_ digits: [UInt8], from: Int, to: Int) -> [UInt8] {
        guard from > to, !digits.isEmpty else { return digits }
        return digits + repeatElement(0, count: from - to)
    }

    /// Adds one unit in the last place to the truncated magnitude `kept` when `rule` says so.
    static func applyRounding(
        _ kept: [UInt8], rule: FloatingPointRoundingRule, negative: Bool, remainderIsZero: Bool,
        half: FHIRComparison
    ) -> [UInt8] {
        guard !remainderIsZero else { return kept }
        let isOdd = (kept.last ?? 0) % 2 == 1
        let up: Bool
        switch rule {
        case .towardZero: up = false
        case .awayFromZero: up = true
        case .down: up = negative
        case .up: up = !negative
        case .toNearestOrAwayFromZero: up = half != .less
        case .toNearestOrEven: up = half == .greater || (half == .equal && isOdd)
        @unknown default: up = half != .less
        }
        return up ? DecimalDigits.add(kept, [1]) : kept
    }
}

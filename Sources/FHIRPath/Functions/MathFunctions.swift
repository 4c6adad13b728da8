import FHIRModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Math (FHIRPath §5.7): each function takes one number (empty input gives empty; another type
/// or more than one item is an execution error).
///
/// `abs`, `ceiling`, `floor`, `truncate` and `round` are exact on decimals. `sqrt`, `exp`, `ln`,
/// `log` and non-integral `power` go through `Double` and keep 15 significant digits; a result
/// that is not a real number (`(-1).sqrt()`, `0.ln()`) is empty. The boundary functions
/// (`precision`, `lowBoundary`, `highBoundary`) are in `BoundaryFunctions.swift`.
extension FHIRPathFunctionLibrary {
    static let mathFunctions: [FHIRPathFunction] = roundingFunctions + analyticFunctions + boundaryFunctions

    private static let roundingFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("abs") { call throws(FHIRPathError) in
            guard let v = try call.singleInputValue() else { return [] }
            switch v {
            case .integer(let n): return FHIRPathMath.integer(n.magnitude, negative: false, long: false)
            case .long(let n): return FHIRPathMath.integer(n.magnitude, negative: false, long: true)
            case .decimal(let d): return [.decimal(d.magnitude)]
            case .quantity(var q):
                q.value = q.value.magnitude
                return [.quantity(q)]
            default: throw call.failure("expects a number or a quantity")
            }
        },
        FHIRPathFunction("ceiling") { call throws(FHIRPathError) in
            try FHIRPathMath.wholeNumber(call, rule: .up)
        },
        FHIRPathFunction("floor") { call throws(FHIRPathError) in
            try FHIRPathMath.wholeNumber(call, rule: .down)
        },
        FHIRPathFunction("truncate") { call throws(FHIRPathError) in
            try FHIRPathMath.wholeNumber(call, rule: .towardZero)
        },
        FHIRPathFunction("round", arity: 0...1) { call throws(FHIRPathError) in
            guard let d = try FHIRPathMath.numberInput(call) else { return [] }
            var places = 0
            if call.argumentCount > 0 {
                guard let p = try call.integerArgument(0) else { return [] }
                guard p >= 0 else { throw call.failure("the precision must not be negative") }
                places = p
            }
            return d.rounded(toDecimalPlaces: places, rule: .toNearestOrAwayFromZero).map { [.decimal($0)] } ?? []
        },
    ]

    private static let analyticFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("sqrt") { call throws(FHIRPathError) in
            guard let d = try FHIRPathMath.numberInput(call) else { return [] }
            guard !d.isNegative else { return [] }
            return FHIRPathMath.decimalResult(d.doubleValue.squareRoot())
        },
        FHIRPathFunction("exp") { call throws(FHIRPathError) in
            guard let d = try FHIRPathMath.numberInput(call) else { return [] }
            return FHIRPathMath.decimalResult(exp(d.doubleValue))
        },
        FHIRPathFunction("ln") { call throws(FHIRPathError) in
            guard let d = try FHIRPathMath.numberInput(call) else { return [] }
            guard !d.isNegative, !d.isZero else { return [] }
            return FHIRPathMath.decimalResult(log(d.doubleValue))
        },
        FHIRPathFunction("log", arity: 1...1) { call throws(FHIRPathError) in
            guard let d = try FHIRPathMath.numberInput(call), let base = try FHIRPathMath.numberArgument(call, 0) else {
                return []
            }
            guard !d.isNegative, !d.isZero, !base.isNegative, !base.isZero else { return [] }
            let x = d.doubleValue
            let b = base.doubleValue
            let result: Double
            switch b {
            case 2: result = log2(x)
            case 10: result = log10(x)
            default: result = log(x) / log(b)
            }
            return FHIRPathMath.decimalResult(result)
        },
        FHIRPathFunction("power", arity: 1...1) { call throws(FHIRPathError) in
            guard let base = try call.singleInputValue() else { return [] }
            guard let exponent = try call.singleArgument(0) else { return [] }
            return try FHIRPathMath.power(base, exponent, call: call)
        },
    ]
}

/// Numeric helpers for the math functions.
enum FHIRPathMath {
    /// Significant digits kept from a `Double` result.
    static let significantDigits = 15
    /// The largest integral exponent `power` computes exactly on decimals.
    static let maxExactExponent = 1000

    /// The input as a decimal (Integer, Long or Decimal); `nil` when empty.
    static func numberInput(_ call: FHIRPathCall) throws(FHIRPathError) -> FHIRDecimal? {
        guard let v = try call.singleInputValue() else { return nil }
        guard let d = FHIRPathNumbers.decimal(v) else { throw call.failure("expects a number") }
        return d
    }

    /// Argument `i` as a decimal; `nil` when empty.
    static func numberArgument(_ call: FHIRPathCall, _ i: Int) throws(FHIRPathError) -> FHIRDecimal? {
        guard let v = try call.singleArgument(i) else { return nil }
        guard let d = FHIRPathNumbers.decimal(v) else { throw call.failure("argument \(i + 1) must be a number") }
        return d
    }

    /// An Integer (32-bit) or Long result from a magnitude and sign; empty when out of range.
    static func integer(_ magnitude: UInt, negative: Bool, long: Bool) -> [FHIRPathValue] {
        guard magnitude <= UInt(Int.max) else { return [] }
        let n = negative ? -Int(magnitude) : Int(magnitude)
        if long { return [.long(n)] }
        return FHIRPathNumbers.integerRange.contains(n) ? [.integer(n)] : []
    }

    /// `ceiling`, `floor`, `truncate`: an Integer (a Long for a Long input).
    static func wholeNumber(_ call: FHIRPathCall, rule: FloatingPointRoundingRule) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        guard let v = try call.singleInputValue() else { return [] }
        switch v {
        case .integer, .long: return [v]
        case .decimal(let d):
            guard let whole = d.rounded(toDecimalPlaces: 0, rule: rule)?.exactIntValue,
                FHIRPathNumbers.integerRange.contains(whole)
            else { return [] }
            return [.integer(whole)]
        default: throw call.failure("expects a number")
        }
    }

    /// `power`: Integer (or Long) when both are integers and the result is one; exact on a
    /// decimal base with a small whole exponent; otherwise through `Double`.
    static func power(_ base: FHIRPathValue, _ exponent: FHIRPathValue, call: FHIRPathCall) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        guard let b = FHIRPathNumbers.decimal(base) else { throw call.failure("expects a number") }
        guard let e = FHIRPathNumbers.decimal(exponent) else { throw call.failure("argument 1 must be a number") }
        switch (base, exponent) {
        case (.integer(let m), .integer(let n)), (.integer(let m), .long(let n)), (.long(let m), .integer(let n)),
            (.long(let m), .long(let n)):
            let long: Bool
            if case .integer = base, case .integer = exponent { long = false } else { long = true }
            guard let r = integerPower(m, n) else { return [] }
            if long { return [.long(r)] }
            return FHIRPathNumbers.integerRange.contains(r) ? [.integer(r)] : []
        default:
            break
        }
        if let n = e.exactIntValue, n >= 0, n <= maxExactExponent {
            return decimalPower(b, n).map { [.decimal($0)] } ?? []
        }
        if b.isZero && e.isNegative { return [] }
        return decimalResult(pow(b.doubleValue, e.doubleValue))
    }

    /// `m^n` for integers: `nil` when it overflows or is not an integer (a negative exponent
    /// on anything but 1 and -1).
    static func integerPower(_ m: Int, _ n: Int) -> Int? {
        if n < 0 {
            switch m {
            case 1: return 1
            case -1: return n % 2 == 0 ? 1 : -1
            default: return nil
            }
        }
        var result = 1
        var factor = m
        var k = n
        while k > 0 {
            if k & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: factor)
                guard !o else { return nil }
                result = r
            }
            k >>= 1
            if k > 0 {
                let (f, o) = factor.multipliedReportingOverflow(by: factor)
                guard !o else { return nil }
                factor = f
            }
        }
        return result
    }

    /// `b^n` exactly, by squaring; `nil` beyond the decimal size limit.
    static func decimalPower(_ b: FHIRDecimal, _ n: Int) -> FHIRDecimal? {
        var result = FHIRDecimal(1)
        var factor = b
        var k = n
        while k > 0 {
            if k & 1 == 1 {
                guard let r = result.multiplied(by: factor) else { return nil }
                result = r
            }
            k >>= 1
            if k > 0 {
                guard let f = factor.multiplied(by: factor) else { return nil }
                factor = f
            }
        }
        return result
    }

    /// A `Double` result as a Decimal with ``significantDigits`` significant digits and no
    /// trailing zeros (but at least one decimal place); empty for infinities and NaN.
    static func decimalResult(_ x: Double) -> [FHIRPathValue] {
        decimal(from: x).map { [.decimal($0)] } ?? []
    }

    static func decimal(from x: Double) -> FHIRDecimal? {
        guard x.isFinite, var d = FHIRDecimal(x.description) else { return nil }
        let lead = d.significantDigitCount + d.exponent
        if d.significantDigitCount > significantDigits, let r = d.rounded(toDecimalPlaces: significantDigits - lead) {
            d = r
        }
        var text = Substring(d.plainString)
        if text.contains(".") {
            while text.last == "0" { text = text.dropLast() }
            if text.last == "." { text += "0" }
        } else {
            text += ".0"
        }
        return FHIRDecimal(String(text)) ?? d
    }

}

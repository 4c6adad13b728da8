/// An exact FHIR `decimal` that keeps the lexeme it was written as.
///
/// The value is held as sign × coefficient × 10^exponent, where the coefficient is an
/// arbitrary-length string of decimal digits, so any decimal FHIR allows (40 digits, `0.5e2`,
/// `1E-7`) is represented exactly. Trailing zeros are kept in the coefficient because FHIR treats
/// them as significant: `1.10` is coefficient `110`, exponent `-2`.
///
/// - Equality and ordering are numeric: `1.10 == 1.1`, `0.5e2 == 50`, `-0.0 == 0`.
///   `hash(into:)` agrees with that equality. Use ``lexeme`` when the written form matters.
/// - ``precision`` is the number of decimal places the lexeme states (see there).
/// - Arithmetic (``adding(_:)``, ``multiplied(by:)``, ``dividing(by:decimalPlaces:rounding:)``,
///   ``rounded(toDecimalPlaces:rule:)``) lives in `FHIRDecimal+Arithmetic.swift`.
public struct FHIRDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The exact text the value was read from, or for computed values its plain decimal form.
    public let lexeme: String
    /// Coefficient digits (each 0...9), most significant first, without leading zeros;
    /// empty when the value is zero.
    let coefficient: [UInt8]
    /// The power of ten the coefficient is scaled by: value = ±coefficient × 10^exponent.
    public let exponent: Int
    /// Whether the value is below zero (`false` for zero, also when written `-0.0`).
    public let isNegative: Bool

    /// The largest written exponent (`e` part) accepted by ``init(_:)``; larger ones give `nil`
    /// so that no computation on hostile input can blow up. Comparison is unaffected by size.
    public static let maxExponentMagnitude = 1_000_000

    /// Parses a FHIR decimal lexeme: the JSON number grammar that FHIR's regex states,
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    ///
    /// Returns `nil` for anything else (`01`, `1.`, `.5`, `+1`, `1e`, spaces, `NaN`) and for
    /// exponents beyond ``maxExponentMagnitude``.
    public init?(_ lexeme: String) {
        let parsed = withUTF8Bytes(lexeme) { Self.parse($0) }
        guard case .valid(let negative, let coefficient, let exponent) = parsed else { return nil }
        self.lexeme = lexeme
        self.coefficient = coefficient
        self.exponent = exponent
        self.isNegative = negative && !coefficient.isEmpty
    }

    /// The exact decimal value of an integer (exponent 0).
    public init(_ value: Int) {
        var digits: [UInt8] = []
        var rest = value.magnitude
        while rest > 0 {
            digits.append(UInt8(rest % 10))
            rest /= 10
        }
        self.init(negative: value < 0, coefficient: digits.reversed(), exponent: 0)
    }

    /// Builds a computed value; the coefficient may have leading zeros (they are dropped) and the
    /// lexeme is the plain decimal form (``plainString``).
    init(negative: Bool, coefficient: [UInt8], exponent: Int) {
        let firstNonZero = coefficient.firstIndex { $0 != 0 } ?? coefficient.count
        let digits = firstNonZero == 0 ? coefficient : Array(coefficient[firstNonZero...])
        let negative = negative && !digits.isEmpty
        self.coefficient = digits
        self.exponent = exponent
        self.isNegative = negative
        self.lexeme = Self.plainString(negative: negative, coefficient: digits, exponent: exponent)
    }

    // MARK: Views

    /// Whether the value is zero (`0`, `0.00`, `-0.0`, `0e5`).
    public var isZero: Bool { coefficient.isEmpty }

    /// The coefficient as a digit string, without leading zeros (`"110"` for `1.10`, `"0"` for zero).
    public var digits: String {
        coefficient.isEmpty ? "0" : String(decoding: coefficient.map { $0 + ASCII.zero }, as: UTF8.self)
    }

    /// The number of decimal places the lexeme states, negative when it is coarser than units:
    /// `1.10` → 2, `5` → 0, `1.5e-3` → 4, `0.5e2` (= 50, known to the tens) → -1.
    public var scale: Int { -exponent }

    /// The precision FHIR and FHIRPath use: the number of significant decimal places, that is
    /// digits after the point once the exponent is applied, never below zero.
    ///
    /// `1.10` → 2, `1.1` → 1, `5` → 0, `0.000` → 3, `1.5e-3` (= 0.0015) → 4, and `0.5e2` (= 50)
    /// → 0 because an exponent can only move digits to the left of the point.
    public var precision: Int { max(0, -exponent) }

    /// The number of significant digits in the coefficient (`1.10` → 3, `0.05` → 1, zero → 0).
    public var significantDigitCount: Int { coefficient.count }

    /// The nearest `Double` (correctly rounded from the lexeme; ±infinity when out of range).
    public var doubleValue: Double {
        Double(lexeme) ?? Double(Self.plainString(negative: isNegative, coefficient: coefficient, exponent: exponent))
            ?? .nan
    }

    /// The value as an `Int` when it is a whole number that fits (`2.00` → 2, `0.5e2` → 50),
    /// else `nil` (`2.5`, `1e30`).
    public var exactIntValue: Int? {
        if coefficient.isEmpty { return 0 }
        var digits = coefficient[...]
        var exp = exponent
        while exp < 0, let last = digits.last, last == 0 {
            digits.removeLast()
            exp += 1
        }
        guard exp >= 0, digits.count + exp <= 19 else { return nil }
        var value = 0
        for d in digits {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(isNegative ? -Int(d) : Int(d))
            guard !o1, !o2 else { return nil }
            value = s
        }
        for _ in 0..<exp {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            value = m
        }
        return value
    }

    /// The lexeme.
    public var description: String { lexeme }

    /// The value in plain decimal notation keeping the stated decimal places (`0.5e2` → `50`,
    /// `1.50E-2` → `0.0150`, `1.10` → `1.10`).
    public var plainString: String {
        Self.plainString(negative: isNegative, coefficient: coefficient, exponent: exponent)
    }

    // MARK: Comparison

    /// Numeric ordering; exact for any size.
    public func compare(_ other: FHIRDecimal) -> FHIRComparison {
        if isNegative != other.isNegative { return isNegative ? .less : .greater }
        if isZero || other.isZero {
            if isZero && other.isZero { return .equal }
            // Same sign flag and exactly one is zero: the non-zero one is positive here when
            // both flags are false (negative zero is normalised to non-negative).
            return isZero ? .less : .greater
        }
        let magnitude = Self.compareMagnitude(self, other)
        return isNegative ? magnitude.reversed : magnitude
    }

    public static func == (lhs: FHIRDecimal, rhs: FHIRDecimal) -> Bool { lhs.compare(rhs) == .equal }
    public static func < (lhs: FHIRDecimal, rhs: FHIRDecimal) -> Bool { lhs.compare(rhs) == .less }

    public func hash(into hasher: inout Hasher) {
        guard !coefficient.isEmpty else {
            hasher.combine(0 as UInt8)
            return
        }
        var end = coefficient.count
        while end > 1 && coefficient[end - 1] == 0 { end -= 1 }
        hasher.combine(isNegative)
        hasher.combine(exponent + (coefficient.count - end))
        for d in coefficient[..<end] { hasher.combine(d) }
    }

    /// Compares |a| and |b| for non-zero values.
    static func compareMagnitude(_ a: FHIRDecimal, _ b: FHIRDecimal) -> FHIRComparison {
        // The position of the leading digit decides first (coefficients have no leading zeros).
        let leadA = a.coefficient.count + a.exponent
        let leadB = b.coefficient.count + b.exponent
        if leadA != leadB { return leadA < leadB ? .less : .greater }
        let n = max(a.coefficient.count, b.coefficient.count)
        for i in 0..<n {
            let da = i < a.coefficient.count ? a.coefficient[i] : 0
            let db = i < b.coefficient.count ? b.coefficient[i] : 0
            if da != db { return da < db ? .less : .greater }
        }
        return .equal
    }
}

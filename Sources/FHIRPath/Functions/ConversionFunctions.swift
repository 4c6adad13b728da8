import FHIRModel

/// Conversion (FHIRPath §5.5): `toX()` converts one item by the specification's table (empty when
/// it cannot) and `convertsToX()` says whether `toX()` would give a value. Empty input gives
/// empty; more than one item is an execution error. Dates and times are in
/// `ConversionFunctions+Temporal.swift`.
extension FHIRPathFunctionLibrary {
    static let conversionFunctions: [FHIRPathFunction] =
        conversionPair("Boolean") { v, _ in FHIRPathConversion.toBoolean(v) }
        + conversionPair("Integer") { v, _ in FHIRPathConversion.toInteger(v) }
        + conversionPair("Long") { v, _ in FHIRPathConversion.toLong(v) }
        + conversionPair("Decimal") { v, _ in FHIRPathConversion.toDecimal(v) }
        + conversionPair("String") { v, _ in FHIRPathConversion.toString(v).map { .string($0) } }
        + conversionPair("Quantity", arity: 0...1) { v, call throws(FHIRPathError) in
            try FHIRPathConversion.toQuantity(v, call: call)
        }
        + temporalConversionFunctions

    typealias Converter = @Sendable (FHIRPathValue, FHIRPathCall) throws(FHIRPathError) -> FHIRPathValue?

    /// `toName()` and `convertsToName()` from one converter.
    static func conversionPair(_ name: String, arity: ClosedRange<Int> = 0...0, _ convert: @escaping Converter)
        -> [FHIRPathFunction]
    {
        [
            FHIRPathFunction("to" + name, arity: arity) { call throws(FHIRPathError) in
                guard let item = try call.singleInput() else { return [] }
                guard let v = item.systemValue else { return [] }
                return try convert(v, call).map { [$0] } ?? []
            },
            FHIRPathFunction("convertsTo" + name, arity: arity) { call throws(FHIRPathError) in
                guard let item = try call.singleInput() else { return [] }
                guard let v = item.systemValue else { return FHIRPathLogic.just(false) }
                return FHIRPathLogic.just(try convert(v, call) != nil)
            },
        ]
    }
}

/// The conversion tables.
enum FHIRPathConversion {
    private static let trueWords: Set<String> = ["true", "t", "yes", "y", "1", "1.0"]
    private static let falseWords: Set<String> = ["false", "f", "no", "n", "0", "0.0"]

    static func toBoolean(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .boolean: return v
        case .integer(let n), .long(let n):
            return n == 1 ? .boolean(true) : n == 0 ? .boolean(false) : nil
        case .decimal(let d):
            if d == FHIRDecimal(1) { return .boolean(true) }
            return d.isZero ? .boolean(false) : nil
        case .string(let s):
            guard s.utf8.count <= 5 else { return nil }
            let word = s.lowercased()
            if trueWords.contains(word) { return .boolean(true) }
            return falseWords.contains(word) ? .boolean(false) : nil
        default: return nil
        }
    }

    static func toInteger(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .integer: return v
        case .long(let n): return FHIRPathNumbers.integerRange.contains(n) ? .integer(n) : nil
        case .boolean(let b): return .integer(b ? 1 : 0)
        case .string(let s):
            guard let n = integer(s), FHIRPathNumbers.integerRange.contains(n) else { return nil }
            return .integer(n)
        default: return nil
        }
    }

    static func toLong(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .integer(let n), .long(let n): return .long(n)
        case .boolean(let b): return .long(b ? 1 : 0)
        case .string(let s): return integer(s).map { .long($0) }
        default: return nil
        }
    }

    static func toDecimal(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .decimal: return v
        case .integer(let n), .long(let n): return .decimal(FHIRDecimal(n))
        case .boolean(let b): return FHIRDecimal(b ? "1.0" : "0.0").map { .decimal($0) }
        case .string(let s): return decimal(s).map { .decimal($0) }
        default: return nil
        }
    }

    static func toString(_ v: FHIRPathValue) -> String? {
        switch v {
        case .string(let s): return s
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let n), .long(let n): return String(n)
        case .decimal(let d): return d.plainString
        case .quantity(let q): return quantityText(q)
        case .date(let d), .dateTime(let d): return d.lexeme.hasSuffix("T") ? String(d.lexeme.dropLast()) : d.lexeme
        case .time(let t): return t.lexeme
        case .node(let n): return n.systemValue.flatMap(toString)
        }
    }

    /// `4.5 'mg'`, `1 week`, `2 weeks`.
    static func quantityText(_ q: FHIRPathQuantity) -> String {
        let value = q.value.plainString
        guard q.isCalendarDuration else { return value + " '" + q.unit + "'" }
        return value + " " + q.unit + (q.value == FHIRDecimal(1) ? "" : "s")
    }

    /// `toQuantity([unit])`: numbers get the unit `'1'`, booleans `1.0 '1'` / `0.0 '1'`, strings
    /// are read as quantity literals (`4 days`, `5.5 'mg'`, `7`). With a unit (a UCUM code or a
    /// calendar keyword), the quantity is converted to it; empty when the units do not convert.
    static func toQuantity(_ v: FHIRPathValue, call: FHIRPathCall) throws(FHIRPathError) -> FHIRPathValue? {
        let q: FHIRPathQuantity?
        switch v {
        case .quantity(let x): q = x
        case .integer(let n), .long(let n): q = FHIRPathQuantity(value: FHIRDecimal(n), unit: "1")
        case .decimal(let d): q = FHIRPathQuantity(value: d, unit: "1")
        case .boolean(let b): q = FHIRDecimal(b ? "1.0" : "0.0").map { FHIRPathQuantity(value: $0, unit: "1") }
        case .string(let s): q = quantity(s)
        default: q = nil
        }
        guard let q else { return nil }
        guard call.argumentCount > 0 else { return .quantity(q) }
        guard let unit = try call.stringArgument(0) else { return nil }
        return q.converted(toUnit: unit).map { .quantity($0) }
    }

    // MARK: Lexical forms

    /// `(\+|-)?\d+` as an `Int`; `nil` for anything else or when it overflows.
    static func integer(_ s: String) -> Int? {
        let body =
            s.utf8.first == UInt8(ascii: "+") || s.utf8.first == UInt8(ascii: "-") ? s.utf8.dropFirst() : s.utf8[...]
        guard !body.isEmpty, body.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(s)
    }

    /// `(\+|-)?\d+(\.\d+)?` as a decimal (leading zeros allowed); `nil` for anything else.
    static func decimal(_ s: String) -> FHIRDecimal? {
        var text = Substring(s)
        var negative = false
        if let first = text.first, first == "+" || first == "-" {
            negative = first == "-"
            text = text.dropFirst()
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        func digits(_ part: Substring) -> Bool {
            !part.isEmpty && part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard let whole = parts.first, digits(whole) else { return nil }
        if parts.count == 2 { guard digits(parts[1]) else { return nil } }
        let trimmed = whole.drop { $0 == "0" }
        let normal = (trimmed.isEmpty ? "0" : String(trimmed)) + (parts.count == 2 ? "." + parts[1] : "")
        return FHIRDecimal((negative ? "-" : "") + normal)
    }

    /// A quantity written as a string: a number, optional whitespace, then optionally a quoted
    /// UCUM unit (`'mg'`) or a calendar keyword (`days`). Anything else is `nil`.
    static func quantity(_ s: String) -> FHIRPathQuantity? {
        var text = Substring(s)
        let numberEnd =
            text.firstIndex { !($0.isASCII && ($0.isNumber || $0 == "." || $0 == "+" || $0 == "-")) } ?? text.endIndex
        guard let value = decimal(String(text[..<numberEnd])) else { return nil }
        text = text[numberEnd...].drop { $0 == " " || $0 == "\t" }
        if text.isEmpty { return FHIRPathQuantity(value: value, unit: "1") }
        if text.first == "'" {
            guard text.count >= 3, text.last == "'" else { return nil }
            let unit = text.dropFirst().dropLast()
            guard !unit.contains("'") else { return nil }
            return FHIRPathQuantity(value: value, unit: String(unit))
        }
        guard let keyword = FHIRPathQuantity.calendarKeyword(String(text)) else { return nil }
        return FHIRPathQuantity(value: value, unit: keyword, isCalendarDuration: true)
    }
}

/// Reads UCUM unit expressions (case-sensitive UCUM, the `c/s` form) into terms:
///
/// ```
/// main      := '/' term | term
/// term      := component (('.' | '/') component)*      left-associative: mg/kg/h = mg.kg-1.h-1
/// component := '(' term ')' | annotation | unit exponent? annotation? | integer annotation?
/// unit      := prefix? atom                             mg, dL, mm[Hg], [in_i], 10*
/// exponent  := ('+' | '-')? digits                      m2, s-1, 10*3
/// ```
///
/// Annotations (`{beats}`) are dimensionless and ignored. Input is bounded: a unit longer than
/// ``maxLength`` characters, nested deeper than ``maxDepth`` parentheses, or with an exponent
/// beyond ``maxExponent`` is not parsed (it is then an unknown unit).
struct UCUMParser {
    static let maxLength = 256
    static let maxDepth = 8
    static let maxExponent = 99

    private let b: [UInt8]
    private var i = 0

    private init(_ text: String) {
        b = Array(text.utf8)
    }

    /// The terms of `text`, or `nil` when it is not a unit this table knows.
    static func parse(_ text: String) -> [UCUMTerm]? {
        guard !text.isEmpty, text.utf8.count <= maxLength else { return nil }
        var p = UCUMParser(text)
        var terms: [UCUMTerm] = []
        var sign = 1
        if p.peek == UInt8(ascii: "/") {
            p.i += 1
            sign = -1
        }
        guard p.term(into: &terms, sign: sign, depth: 0), p.i == p.b.count else { return nil }
        return terms
    }

    private var peek: UInt8? { i < b.count ? b[i] : nil }

    private mutating func term(into terms: inout [UCUMTerm], sign: Int, depth: Int) -> Bool {
        guard component(into: &terms, sign: sign, depth: depth) else { return false }
        while let c = peek, c == UInt8(ascii: ".") || c == UInt8(ascii: "/") {
            i += 1
            let s = c == UInt8(ascii: "/") ? -sign : sign
            guard component(into: &terms, sign: s, depth: depth) else { return false }
        }
        return true
    }

    private mutating func component(into terms: inout [UCUMTerm], sign: Int, depth: Int) -> Bool {
        guard let c = peek else { return false }
        if c == UInt8(ascii: "(") {
            guard depth < Self.maxDepth else { return false }
            i += 1
            guard term(into: &terms, sign: sign, depth: depth + 1), peek == UInt8(ascii: ")") else { return false }
            i += 1
            return true
        }
        if c == UInt8(ascii: "{") { return annotation() }
        if isDigit(c) {
            let start = i
            while let d = peek, isDigit(d) { i += 1 }
            let digits = String(decoding: b[start..<i], as: UTF8.self)
            if digits == "10", let star = peek, star == UInt8(ascii: "*") || star == UInt8(ascii: "^") {
                i += 1
                let atom = star == UInt8(ascii: "*") ? "10*" : "10^"
                guard let exponent = exponent(required: true) else { return false }
                terms.append(UCUMTerm(prefix: "", atom: atom, exponent: exponent * sign))
            } else {
                guard digits.count <= 18 else { return false }
                terms.append(UCUMTerm(factor: digits, exponent: sign))
            }
            return peek == UInt8(ascii: "{") ? annotation() : true
        }
        let start = i
        while let d = peek {
            if d == UInt8(ascii: "[") {
                guard let close = b[i...].firstIndex(of: UInt8(ascii: "]")) else { return false }
                i = close + 1
                continue
            }
            if d == UInt8(ascii: ".") || d == UInt8(ascii: "/") || d == UInt8(ascii: "(") || d == UInt8(ascii: ")")
                || d == UInt8(ascii: "{") || d == UInt8(ascii: "}") || d == UInt8(ascii: "+")
                || d == UInt8(ascii: "-") || isDigit(d) || d <= 0x20 || d >= 0x7F
            {
                break
            }
            i += 1
        }
        guard i > start else { return false }
        let symbol = String(decoding: b[start..<i], as: UTF8.self)
        guard let resolved = UCUMTable.resolve(symbol), let exponent = exponent(required: false) else { return false }
        terms.append(UCUMTerm(prefix: resolved.prefix, atom: resolved.atom, exponent: exponent * sign))
        return peek == UInt8(ascii: "{") ? annotation() : true
    }

    /// `(+|-)?digits`, 1 when absent and not `required`.
    private mutating func exponent(required: Bool) -> Int? {
        var negative = false
        if let c = peek, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            negative = c == UInt8(ascii: "-")
            i += 1
            guard let d = peek, isDigit(d) else { return nil }
        }
        let start = i
        while let d = peek, isDigit(d), i - start < 3 { i += 1 }
        if let d = peek, isDigit(d) { return nil }  // more than three digits
        guard i > start else { return required ? nil : 1 }
        let value = Int(String(decoding: b[start..<i], as: UTF8.self)) ?? 0
        guard value != 0, value <= Self.maxExponent else { return nil }
        return negative ? -value : value
    }

    /// `{...}`: any printable characters except braces.
    private mutating func annotation() -> Bool {
        guard peek == UInt8(ascii: "{") else { return false }
        i += 1
        while let c = peek, c != UInt8(ascii: "}") {
            guard c != UInt8(ascii: "{") else { return false }
            i += 1
        }
        guard peek == UInt8(ascii: "}") else { return false }
        i += 1
        return true
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}

import FHIRModel

/// `encode`/`decode` (`hex`, `base64`, `urlbase64`) and `escape`/`unescape` (`html`, `json`).
///
/// Strings are encoded as their UTF-8 bytes. A decoded value that is not a valid encoding, or
/// whose bytes are not UTF-8 text, gives empty. An unknown format is an execution error.
extension FHIRPathFunctionLibrary {
    static let stringEncodingFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("encode", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let format = try call.stringArgument(0) else { return [] }
            let bytes = Array(s.utf8)
            switch format {
            case "hex": return [.string(FHIRPathEncoding.hex(bytes))]
            case "base64": return [.string(FHIRPathEncoding.base64(bytes, url: false))]
            case "urlbase64": return [.string(FHIRPathEncoding.base64(bytes, url: true))]
            default: throw call.failure("unknown format (expected hex, base64 or urlbase64)")
            }
        },
        FHIRPathFunction("decode", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let format = try call.stringArgument(0) else { return [] }
            let bytes: [UInt8]?
            switch format {
            case "hex": bytes = FHIRPathEncoding.fromHex(s)
            case "base64": bytes = FHIRPathEncoding.fromBase64(s, url: false)
            case "urlbase64": bytes = FHIRPathEncoding.fromBase64(s, url: true)
            default: throw call.failure("unknown format (expected hex, base64 or urlbase64)")
            }
            guard let bytes else { return [] }
            // Bytes that are not UTF-8 text decode with replacement characters: refuse those.
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.utf8.elementsEqual(bytes) else { return [] }
            return [.string(text)]
        },
        FHIRPathFunction("escape", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let format = try call.stringArgument(0) else { return [] }
            switch format {
            case "html": return [.string(FHIRPathEncoding.escapeHTML(s))]
            case "json": return [.string(FHIRPathEncoding.escapeJSON(s))]
            default: throw call.failure("unknown format (expected html or json)")
            }
        },
        FHIRPathFunction("unescape", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let format = try call.stringArgument(0) else { return [] }
            switch format {
            case "html": return [.string(FHIRPathEncoding.unescapeHTML(s))]
            case "json": return [.string(FHIRPathEncoding.unescapeJSON(s))]
            default: throw call.failure("unknown format (expected html or json)")
            }
        },
    ]
}

/// Byte encodings and text escapes.
enum FHIRPathEncoding {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func fromHex(_ s: String) -> [UInt8]? {
        let digits = Array(s.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = hexValue(digits[i]), let lo = hexValue(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Base64 with padding; `url` uses `-` and `_` for `+` and `/` (RFC 4648 §5).
    static func base64(_ bytes: [UInt8], url: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        func symbol(_ v: UInt32) -> UInt8 {
            let c = base64Alphabet[Int(v & 0x3F)]
            guard url else { return c }
            if c == UInt8(ascii: "+") { return UInt8(ascii: "-") }
            if c == UInt8(ascii: "/") { return UInt8(ascii: "_") }
            return c
        }
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var chunk: UInt32 = 0
            for k in 0..<3 { chunk = chunk << 8 | (k < n ? UInt32(bytes[i + k]) : 0) }
            out.append(symbol(chunk >> 18))
            out.append(symbol(chunk >> 12))
            out.append(n > 1 ? symbol(chunk >> 6) : UInt8(ascii: "="))
            out.append(n > 2 ? symbol(chunk) : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64 (padding optional; whitespace ignored); `nil` for anything else.
    static func fromBase64(_ s: String, url: Bool) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(s.utf8.count)
        var padding = 0
        for c in s.utf8 {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\t") {
                continue
            }
            if c == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let v = base64Value(c, url: url) else { return nil }
            values.append(v)
        }
        guard padding <= 2, values.count % 4 != 1 else { return nil }
        if padding > 0 { guard (values.count + padding) % 4 == 0 else { return nil } }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var i = 0
        while i < values.count {
            let n = min(4, values.count - i)
            var chunk: UInt32 = 0
            for k in 0..<4 { chunk = chunk << 6 | (k < n ? UInt32(values[i + k]) : 0) }
            out.append(UInt8(truncatingIfNeeded: chunk >> 16))
            if n > 2 { out.append(UInt8(truncatingIfNeeded: chunk >> 8)) }
            if n > 3 { out.append(UInt8(truncatingIfNeeded: chunk)) }
            i += 4
        }
        return out
    }

    private static func base64Value(_ c: UInt8, url: Bool) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+") where !url: return 62
        case UInt8(ascii: "/") where !url: return 63
        case UInt8(ascii: "-") where url: return 62
        case UInt8(ascii: "_") where url: return 63
        default: return nil
        }
    }

    // MARK: Escapes

    static func escapeHTML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static let htmlEntities: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
    ]

    /// Named entities for the escaped characters (and `&apos;`, `&nbsp;`) and numeric
    /// references (`&#39;`, `&#x27;`); anything else is kept as written.
    static func unescapeHTML(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let afterAmp = rest.index(after: amp)
            guard let semi = rest[afterAmp...].prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = rest[afterAmp...]
                continue
            }
            let name = rest[afterAmp..<semi]
            if let text = htmlEntities[name] ?? numericReference(name) {
                out += text
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest[afterAmp...]
            }
        }
        out += rest
        return out
    }

    private static func numericReference(_ name: Substring) -> String? {
        guard name.first == "#" else { return nil }
        var digits = name.dropFirst()
        var radix = 10
        if digits.first == "x" || digits.first == "X" {
            digits = digits.dropFirst()
            radix = 16
        }
        guard !digits.isEmpty, let v = UInt32(digits, radix: radix), let scalar = Unicode.Scalar(v) else { return nil }
        return String(Character(scalar))
    }

    static func escapeJSON(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let h = hex([UInt8(scalar.value)])
                    out += "\\u00" + h
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// JSON string escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with
    /// surrogate pairs); an invalid escape is kept as written.
    static func unescapeJSON(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            guard c == "\\", i + 1 < scalars.count else {
                out.append(c)
                i += 1
                continue
            }
            let e = scalars[i + 1]
            switch e {
            case "\"", "\\", "/": out.append(e)
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                if let (scalar, used) = unicodeEscape(scalars, at: i) {
                    out.append(scalar)
                    i += used
                    continue
                }
                out.append(c)
                out.append(e)
            default:
                out.append(c)
                out.append(e)
            }
            i += 2
        }
        return String(out)
    }

    /// `\uXXXX` (or a surrogate pair `\uD83D\uDE00`) at `i`: the scalar and the scalars used.
    private static func unicodeEscape(_ scalars: [Unicode.Scalar], at i: Int) -> (Unicode.Scalar, Int)? {
        func unit(at j: Int) -> UInt32? {
            guard j + 6 <= scalars.count, scalars[j] == "\\", scalars[j + 1] == "u" else { return nil }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[(j + 2)..<(j + 6)])
            return UInt32(text, radix: 16)
        }
        guard let first = unit(at: i) else { return nil }
        if (0xD800...0xDBFF).contains(first) {
            guard let second = unit(at: i + 6), (0xDC00...0xDFFF).contains(second) else { return nil }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(value).map { ($0, 12) }
        }
        return Unicode.Scalar(first).map { ($0, 6) }
    }
}

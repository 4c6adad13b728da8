import FHIRModel

/// A byte-level JSON tokenizer over UTF-8 input that tracks line and column.
///
/// It validates UTF-8 inside strings, decodes escapes, keeps number lexemes verbatim, and reports
/// every problem as a ``FHIRFormatError`` with its position. Both the raw ``JSONValue`` parser and
/// the FHIR reader are built on it.
package struct JSONScanner: ~Copyable {
    package let bytes: UnsafeBufferPointer<UInt8>
    package var offset: Int = 0
    package var line: Int = 1
    package var lineStart: Int = 0
    package let limits: JSONLimits

    package init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    package var position: SourcePosition {
        SourcePosition(line: line, column: offset - lineStart + 1)
    }

    package func error(_ code: IssueCode, _ message: String) -> FHIRFormatError {
        FHIRFormatError(code, message, position: position)
    }

    package var atEnd: Bool { offset >= bytes.count }

    /// Skips JSON whitespace and returns the next byte without consuming it (0 at the end).
    @inline(__always)
    package mutating func peekNonSpace() -> UInt8 {
        while offset < bytes.count {
            let b = bytes[offset]
            switch b {
            case 0x20, 0x09, 0x0D:
                offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            default:
                return b
            }
        }
        return 0
    }

    @inline(__always)
    package mutating func expect(_ byte: UInt8, _ what: String) throws(FHIRFormatError) {
        let b = peekNonSpace()
        guard b == byte else {
            throw error(.jsonSyntax, atEnd ? "unexpected end of input, expected \(what)" : "expected \(what)")
        }
        offset += 1
    }

    /// Reads a JSON string starting at the opening quote; returns its decoded value.
    package mutating func readString() throws(FHIRFormatError) -> String {
        guard offset < bytes.count, bytes[offset] == 0x22 else { throw error(.jsonSyntax, "expected a string") }
        offset += 1
        let start = offset
        // Fast path: no escapes, ASCII or valid UTF-8.
        var i = start
        var needsSlow = false
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { break }
            if b == 0x5C || b >= 0x80 || b < 0x20 {
                needsSlow = true
                break
            }
            i += 1
        }
        if !needsSlow {
            guard i < bytes.count else {
                offset = i
                throw error(.jsonSyntax, "unterminated string")
            }
            offset = i + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }
        return try readStringSlow(from: start)
    }

    private mutating func readStringSlow(from start: Int) throws(FHIRFormatError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        var i = start
        while true {
            guard i < bytes.count else {
                offset = i
                throw error(.jsonSyntax, "unterminated string")
            }
            let b = bytes[i]
            if b == 0x22 {
                i += 1
                break
            }
            if b < 0x20 {
                offset = i
                throw error(.jsonSyntax, "control character in string (must be escaped)")
            }
            if b == 0x5C {
                guard i + 1 < bytes.count else {
                    offset = i
                    throw error(.jsonSyntax, "unterminated escape")
                }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x2F: out.append(0x2F)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    offset = i - 2
                    var scalar = try hex4(at: i)
                    i += 4
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else {
                            throw error(.jsonEncoding, "unpaired UTF-16 surrogate in \\u escape")
                        }
                        let low = try hex4(at: i + 2)
                        guard low >= 0xDC00 && low < 0xE000 else {
                            throw error(.jsonEncoding, "unpaired UTF-16 surrogate in \\u escape")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw error(.jsonEncoding, "unpaired UTF-16 surrogate in \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error(.jsonEncoding, "invalid \\u escape") }
                    out.append(contentsOf: UTF8.encode(u).map { Array($0) } ?? [])
                default:
                    offset = i - 2
                    throw error(.jsonSyntax, "invalid escape sequence")
                }
                continue
            }
            if b < 0x80 {
                out.append(b)
                i += 1
                continue
            }
            let n = utf8SequenceLength(at: i)
            guard n > 0 else {
                offset = i
                throw error(.jsonEncoding, "invalid UTF-8 in string")
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + n)]))
            i += n
        }
        offset = i
        return String(decoding: out, as: UTF8.self)
    }

    private func hex4(at i: Int) throws(FHIRFormatError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error(.jsonSyntax, "truncated \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error(.jsonSyntax, "invalid hex digit in \\u escape")
            }
            v = v << 4 | d
        }
        return v
    }

    /// Length of a valid UTF-8 multi-byte sequence at `i`, or 0 when it is not valid
    /// (overlongs, surrogates and values past U+10FFFF are rejected).
    private func utf8SequenceLength(at i: Int) -> Int {
        let b0 = bytes[i]
        func cont(_ k: Int) -> UInt8? {
            guard i + k < bytes.count else { return nil }
            let c = bytes[i + k]
            return c & 0xC0 == 0x80 ? c : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) != nil ? 2 : 0
        case 0xE0...0xEF:
            guard let b1 = cont(1), cont(2) != nil else { return 0 }
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }
            if b0 == 0xED && b1 >= 0xA0 { return 0 }
            return 3
        case 0xF0...0xF4:
            guard let b1 = cont(1), cont(2) != nil, cont(3) != nil else { return 0 }
            if b0 == 0xF0 && b1 < 0x90 { return 0 }
            if b0 == 0xF4 && b1 >= 0x90 { return 0 }
            return 4
        default:
            return 0
        }
    }

    /// Reads a JSON number and returns its exact lexeme (validated against the JSON grammar).
    package mutating func readNumberLexeme() throws(FHIRFormatError) -> String {
        let start = offset
        var i = offset
        if i < bytes.count && bytes[i] == 0x2D { i += 1 }
        guard i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 else {
            throw error(.jsonSyntax, "invalid number")
        }
        if bytes[i] == 0x30 {
            i += 1
            if i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                throw error(.jsonSyntax, "invalid number: leading zero")
            }
        } else {
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
        }
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            let digits = i
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            guard i > digits else {
                offset = i
                throw error(.jsonSyntax, "invalid number: no digits after the decimal point")
            }
        }
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            i += 1
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
            let digits = i
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            guard i > digits else {
                offset = i
                throw error(.jsonSyntax, "invalid number: no digits in the exponent")
            }
        }
        offset = i
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    /// Consumes `true`, `false` or `null` at the current offset.
    package mutating func readLiteral() throws(FHIRFormatError) -> JSONValue {
        func matches(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard offset + n <= bytes.count else { return false }
            let p = word.utf8Start
            for k in 0..<n where bytes[offset + k] != p[k] { return false }
            return true
        }
        if matches("true") {
            offset += 4
            return .bool(true)
        }
        if matches("false") {
            offset += 5
            return .bool(false)
        }
        if matches("null") {
            offset += 4
            return .null
        }
        throw error(.jsonSyntax, "unexpected character")
    }

    /// Checks that the input holds valid UTF-8 up front, and strips a UTF-8 byte order mark.
    package mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }
}

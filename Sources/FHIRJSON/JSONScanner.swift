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
        @inline(__always) get {
            SourcePosition(line: line, column: offset - lineStart + 1)
        }
    }

    @inline(never)
    package func error(_ code: IssueCode, _ message: String) -> FHIRFormatError {
        FHIRFormatError(code, message, position: position)
    }

    package var atEnd: Bool { offset >= bytes.count }

    /// Skips JSON whitespace and returns the next byte without consuming it (0 at the end).
    @inline(__always)
    package mutating func peekNonSpace() -> UInt8 {
        if offset < bytes.count {
            let b = bytes[offset]
            if b > 0x20 { return b }
            // One space (after `:` in pretty-printed input) without the call.
            if b == 0x20 && offset + 1 < bytes.count {
                let next = bytes[offset + 1]
                if next > 0x20 {
                    offset += 1
                    return next
                }
            }
        }
        return skipSpace()
    }

    /// The whitespace loop behind ``peekNonSpace()``; the indentation after a newline is
    /// skipped a word at a time, up to its first byte that is not a space.
    package mutating func skipSpace() -> UInt8 {
        let n = bytes.count
        while offset < n {
            let b = bytes[offset]
            if b == 0x20 || b == 0x09 || b == 0x0D {
                offset += 1
            } else if b == 0x0A {
                offset += 1
                line += 1
                lineStart = offset
                if let base = bytes.baseAddress {
                    while offset + 8 <= n {
                        let notSpace = Self.word(base + offset) ^ 0x2020_2020_2020_2020
                        if notSpace != 0 {
                            offset += notSpace.trailingZeroBitCount >> 3
                            break
                        }
                        offset += 8
                    }
                }
            } else {
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

    /// The bytes of `w` (a ``word(_:)``) that are `"`, `\\`, a control character or non-ASCII,
    /// as their high bits. Bytes after a real hit may be flagged too (borrows carry upwards),
    /// so only the first flagged byte is exact: use ``firstFlagged(_:)``.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (w &- ones &* 0x20) & ~w
        return (zeroQuote | zeroBackslash | control | w) & high
    }

    /// The index (0-7) of the first flagged byte of a non-zero mask over a ``word(_:)``.
    @inline(__always)
    static func firstFlagged(_ mask: UInt64) -> Int { mask.trailingZeroBitCount >> 3 }

    /// Loads the 8 bytes at `p` as a word whose lowest byte is the first in memory.
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// At an opening quote: reads a string made only of printable ASCII with no escapes (all FHIR
    /// keys), returning its byte range and ``keyHash(_:_:)``, and moves past the closing quote.
    /// Returns nil, with the offset unchanged, for anything else.
    @inline(__always)
    package mutating func scanPlainKey() -> (start: Int, end: Int, hash: UInt32)? {
        guard let base = bytes.baseAddress else { return nil }
        let start = offset + 1
        let n = bytes.count
        var i = Self.skipOrdinaryWords(base, from: start, count: n)
        while i < n {
            let b = base[i]
            if b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 { break }
            i += 1
        }
        guard i < n, base[i] == 0x22 else { return nil }
        offset = i + 1
        return (start, i, Self.keyHash(base + start, i - start))
    }

    /// Advances over whole 8-byte words holding no special byte (quote, backslash, control,
    /// non-ASCII) and returns the index of the first special byte, or where fewer than 8 bytes
    /// remain (the caller checks those one by one).
    @inline(__always)
    static func skipOrdinaryWords(_ base: UnsafePointer<UInt8>, from start: Int, count n: Int) -> Int {
        var i = start
        while i + 8 <= n {
            let mask = specialBytes(word(base + i))
            if mask != 0 { return i + firstFlagged(mask) }
            i += 8
        }
        return i
    }

    /// The hash of a key's bytes used by the model's key tables: cheap (a few loads and
    /// multiplies, not a loop) since keys are short and the lookup compares the bytes anyway.
    @inline(__always)
    package static func keyHash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        var a: UInt64 = 0
        var b: UInt64 = 0
        if n >= 8 {
            a = word(p)
            b = word(p + n - 8)
        } else if n >= 4 {
            a = UInt64(UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)))
            b = UInt64(UInt32(littleEndian: UnsafeRawPointer(p + n - 4).loadUnaligned(as: UInt32.self)))
        } else if n > 0 {
            a = UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16
        }
        var h = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return UInt32(truncatingIfNeeded: h >> 32)
    }

    /// Reads a JSON string starting at the opening quote; returns its decoded value.
    package mutating func readString() throws(FHIRFormatError) -> String {
        guard offset < bytes.count, bytes[offset] == 0x22, let base = bytes.baseAddress else {
            throw error(.jsonSyntax, "expected a string")
        }
        let start = offset + 1
        let n = bytes.count
        let run = Self.plainRun(base, from: start, count: n)
        if run.closed {
            offset = run.end + 1
            return Self.asciiString(base + start, count: run.end - start)
        }
        if run.end < n { return try readStringSlow(from: start, special: run.end) }
        offset = n
        throw error(.jsonSyntax, "unterminated string")
    }

    /// The run of printable ASCII without escapes from `start`: where it ends (eight bytes at a
    /// time up to the first special byte, then byte by byte), and whether that is the closing
    /// quote (else a byte only the slow path reads, or the end of the input at `count`).
    @inline(__always)
    static func plainRun(_ base: UnsafePointer<UInt8>, from start: Int, count n: Int) -> (end: Int, closed: Bool) {
        var i = skipOrdinaryWords(base, from: start, count: n)
        while i < n {
            let b = base[i]
            if b == 0x22 { return (i, true) }
            if b == 0x5C || b >= 0x80 || b < 0x20 { return (i, false) }
            i += 1
        }
        return (n, false)
    }

    /// At an opening quote: the bytes of a string of printable ASCII without escapes, moving
    /// past its closing quote; nil, with the offset unchanged, for any other string (read it
    /// with ``readString()``).
    @inline(__always)
    package mutating func scanPlainString() -> UnsafeBufferPointer<UInt8>? {
        guard offset < bytes.count, bytes[offset] == 0x22, let base = bytes.baseAddress else { return nil }
        let start = offset + 1
        let run = Self.plainRun(base, from: start, count: bytes.count)
        guard run.closed else { return nil }
        offset = run.end + 1
        return UnsafeBufferPointer(start: base + start, count: run.end - start)
    }

    /// A string of `count` bytes known to be ASCII. Up to 15 bytes it is built in place
    /// (stored inline, no UTF-8 validation: the standard library only checks the inline bytes
    /// are ASCII); longer ones go through `String(decoding:)`.
    @inline(__always)
    package static func asciiString(_ p: UnsafePointer<UInt8>, count: Int) -> String {
        if count <= 15 {
            return String(unsafeUninitializedCapacity: count) { out in
                guard let target = out.baseAddress else { return 0 }
                target.initialize(from: p, count: count)
                return count
            }
        }
        return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }

    /// The general case: validates UTF-8 up to the closing quote, then decodes escapes (if any)
    /// straight into the string's storage.
    private mutating func readStringSlow(from start: Int, special: Int) throws(FHIRFormatError) -> String {
        var i = special
        var hasEscape = false
        let n = bytes.count
        guard let base = bytes.baseAddress else { throw error(.jsonSyntax, "unterminated string") }
        while true {
            i = Self.skipOrdinaryWords(base, from: i, count: n)
            guard i < n else {
                offset = i
                throw error(.jsonSyntax, "unterminated string")
            }
            let b = base[i]
            if b == 0x22 { break }
            if b < 0x20 {
                offset = i
                throw error(.jsonSyntax, "control character in string (must be escaped)")
            }
            if b == 0x5C {
                hasEscape = true
                i += 2
                continue
            }
            if b < 0x80 {
                i += 1
                continue
            }
            let length = utf8SequenceLength(at: i)
            guard length > 0 else {
                offset = i
                throw error(.jsonEncoding, "invalid UTF-8 in string")
            }
            i += length
        }
        let end = i
        guard hasEscape else {
            offset = end + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        // Decoded text is never longer than its escaped form.
        var failure: FHIRFormatError?
        var failureOffset = 0
        let text = String(unsafeUninitializedCapacity: end - start) { out -> Int in
            var o = 0
            var k = start
            guard let target = out.baseAddress else { return 0 }
            while k < end {
                if base[k] != 0x5C {
                    // Copy the run up to the next backslash (or the end) in one go.
                    var runEnd = k + 1
                    while runEnd + 8 <= end {
                        let w = Self.word(base + runEnd)
                        let x = w ^ 0x5C5C_5C5C_5C5C_5C5C
                        let hit = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                        if hit != 0 {
                            runEnd += Self.firstFlagged(hit)
                            break
                        }
                        runEnd += 8
                    }
                    while runEnd < end && base[runEnd] != 0x5C { runEnd += 1 }
                    (target + o).initialize(from: base + k, count: runEnd - k)
                    o += runEnd - k
                    k = runEnd
                    continue
                }
                let e = base[k + 1]
                switch e {
                case 0x22, 0x5C, 0x2F: out[o] = e
                case 0x62: out[o] = 0x08
                case 0x66: out[o] = 0x0C
                case 0x6E: out[o] = 0x0A
                case 0x72: out[o] = 0x0D
                case 0x74: out[o] = 0x09
                case 0x75:
                    switch decodeUnicodeEscape(at: k, end: end) {
                    case .success(let (scalar, consumed)):
                        for unit in UTF8.encode(scalar) ?? UTF8.EncodedScalar() {
                            out[o] = unit
                            o += 1
                        }
                        k += consumed
                        continue
                    case .failure(let e):
                        failure = e.error
                        failureOffset = e.offset
                        return o
                    }
                default:
                    failure = FHIRFormatError(.jsonSyntax, "invalid escape sequence")
                    failureOffset = k
                    return o
                }
                o += 1
                k += 2
            }
            return o
        }
        if let failure {
            offset = failureOffset
            throw FHIRFormatError(failure.issue.code, failure.issue.message, position: position)
        }
        offset = end + 1
        return text
    }

    private struct EscapeError: Error {
        var error: FHIRFormatError
        var offset: Int
    }

    /// Decodes `\uXXXX` (and a following low surrogate) at `k`; returns the scalar and the bytes used.
    private func decodeUnicodeEscape(at k: Int, end: Int) -> Result<(Unicode.Scalar, Int), EscapeError> {
        func fail(_ code: IssueCode, _ message: String) -> Result<(Unicode.Scalar, Int), EscapeError> {
            .failure(EscapeError(error: FHIRFormatError(code, message), offset: k))
        }
        guard k + 6 <= end, var scalar = hex4(at: k + 2) else {
            return fail(.jsonSyntax, "invalid \\u escape")
        }
        var consumed = 6
        if scalar >= 0xD800 && scalar < 0xDC00 {
            guard k + 12 <= end, bytes[k + 6] == 0x5C, bytes[k + 7] == 0x75, let low = hex4(at: k + 8),
                low >= 0xDC00 && low < 0xE000
            else {
                return fail(.jsonEncoding, "unpaired UTF-16 surrogate in \\u escape")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            consumed = 12
        } else if scalar >= 0xDC00 && scalar < 0xE000 {
            return fail(.jsonEncoding, "unpaired UTF-16 surrogate in \\u escape")
        }
        guard let u = Unicode.Scalar(scalar) else { return fail(.jsonEncoding, "invalid \\u escape") }
        return .success((u, consumed))
    }

    private func hex4(at i: Int) -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
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
        guard let base = bytes.baseAddress else { return "" }
        return Self.asciiString(base + start, count: i - start)
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

/// The hand-written checks behind ``FHIRPrimitive`` for the non-temporal, non-decimal types.
/// Each returns `nil` when the (non-empty) lexeme is valid, else why not.
enum LexicalChecks {
    /// `integer` (`-?([0]|([1-9][0-9]*))`, 32-bit), `unsignedInt` (`[0]|([1-9][0-9]*)`) and
    /// `positiveInt` (`[1-9][0-9]*`), chosen by `minimum` (Int32.min, 0, 1). The maximum is
    /// 2,147,483,647 for all three.
    static func integer(_ lexeme: String, minimum: Int) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            guard !b.isEmpty else { return LexicalFailure("value must have digits") }
            var i = 0
            var negative = false
            if b[0] == ASCII.minus {
                guard minimum < 0 else { return LexicalFailure("value must not be negative") }
                negative = true
                i = 1
            }
            guard i < b.count else { return LexicalFailure("value must have digits") }
            if b[i] == ASCII.zero && b.count > i + 1 { return LexicalFailure("value has a leading zero") }
            var value = 0
            while i < b.count {
                guard ASCII.isDigit(b[i]) else { return LexicalFailure("value must contain only digits") }
                value = value * 10 + Int(b[i] &- ASCII.zero)
                if value > Int(Int32.max) + 1 { return LexicalFailure("value is outside the 32-bit range") }
                i += 1
            }
            if negative { value = -value }
            if value > Int(Int32.max) || value < Int(Int32.min) {
                return LexicalFailure("value is outside the 32-bit range")
            }
            if value < minimum {
                return LexicalFailure(minimum == 1 ? "value must be at least 1" : "value is too small")
            }
            return nil
        }
    }

    /// `string` and `markdown`: `[ \r\n\t\S]+`, no other control characters, at most 1 MiB
    /// (1,048,576 characters).
    static func string(_ lexeme: String) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            guard let base = b.baseAddress else { return nil }
            let raw = UnsafeRawPointer(base)
            var scalars = 0
            var i = 0
            while i < b.count {
                // Eight bytes at once when they are ASCII without control characters (nearly
                // all of every string): such bytes are one scalar each and need no other look.
                if i + 8 <= b.count && !Self.hasControlOrNonASCII(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                {
                    scalars += 8
                    i += 8
                    continue
                }
                for byte in b[i..<min(i + 8, b.count)] {
                    if byte < 0x20 && byte != ASCII.tab && byte != ASCII.lineFeed && byte != ASCII.carriageReturn {
                        return LexicalFailure("value contains a control character other than tab, CR or LF")
                    }
                    if byte & 0xC0 != 0x80 { scalars += 1 }
                }
                i = min(i + 8, b.count)
            }
            if scalars > 1_048_576 { return LexicalFailure("value is longer than 1,048,576 characters") }
            return nil
        }
    }

    /// Whether one of the eight bytes of `word` is below 0x20 or above 0x7F. (A byte below 0x20
    /// borrows into its top bit when 0x20 is taken from it; for bytes below 0x80 that is exact
    /// as a yes/no answer, and bytes from 0x80 up are caught by their own top bit.)
    @inline(__always)
    static func hasControlOrNonASCII(_ word: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- 0x2020_2020_2020_2020) & ~word & high
        return (word & high) | below != 0
    }

    /// `uri`, `url`, `canonical`: `\S*`.
    static func noWhitespace(_ lexeme: String) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            b.contains(where: ASCII.isSpace) ? LexicalFailure("value must not contain whitespace") : nil
        }
    }

    /// `code`: `[^\s]+(\s[^\s]+)*` — no leading, trailing or doubled whitespace.
    static func code(_ lexeme: String) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            guard let first = b.first, let last = b.last, !ASCII.isSpace(first), !ASCII.isSpace(last) else {
                return LexicalFailure("code must not start or end with whitespace")
            }
            var previousWasSpace = false
            for byte in b {
                let isSpace = ASCII.isSpace(byte)
                if isSpace && previousWasSpace {
                    return LexicalFailure("code must not contain consecutive whitespace")
                }
                previousWasSpace = isSpace
            }
            return nil
        }
    }

    /// `oid`: `urn:oid:[0-2](\.(0|[1-9][0-9]*))+`.
    static func oid(_ lexeme: String) -> LexicalFailure? {
        let failure = LexicalFailure("oid must be urn:oid: followed by dotted numbers starting with 0, 1 or 2")
        guard lexeme.hasPrefix("urn:oid:") else { return failure }
        return withUTF8Bytes(lexeme) { b in
            var i = 8
            guard i < b.count, b[i] >= ASCII.zero, b[i] <= ASCII.zero + 2 else { return failure }
            i += 1
            var arcs = 0
            while i < b.count {
                guard b[i] == ASCII.dot else { return failure }
                i += 1
                let start = i
                while i < b.count, ASCII.isDigit(b[i]) { i += 1 }
                guard i > start else { return failure }
                if b[start] == ASCII.zero && i - start > 1 { return LexicalFailure("oid arc has a leading zero") }
                arcs += 1
            }
            return arcs > 0 ? nil : failure
        }
    }

    /// `id`: `[A-Za-z0-9\-\.]{1,64}`.
    static func id(_ lexeme: String) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            guard b.count <= 64 else { return LexicalFailure("id is longer than 64 characters") }
            for byte in b where !(ASCII.isAlphaNumeric(byte) || byte == ASCII.minus || byte == ASCII.dot) {
                return LexicalFailure("id may contain only A-Z, a-z, 0-9, '-' and '.'")
            }
            return nil
        }
    }

    /// `uuid`: `urn:uuid:` and a lowercase 8-4-4-4-12 hex UUID.
    static func uuid(_ lexeme: String) -> LexicalFailure? {
        let failure = LexicalFailure("uuid must be urn:uuid: followed by a lowercase 8-4-4-4-12 hex UUID")
        guard lexeme.hasPrefix("urn:uuid:") else { return failure }
        return withUTF8Bytes(lexeme) { b in
            guard b.count == 45 else { return failure }
            for i in 9..<45 {
                let isHyphenPosition = i == 17 || i == 22 || i == 27 || i == 32
                if isHyphenPosition ? b[i] != ASCII.minus : !ASCII.isLowerHex(b[i]) { return failure }
            }
            return nil
        }
    }

    /// Whether a byte is a base64 data character (A-Z, a-z, 0-9, `+`, `/`), by byte value.
    private static let base64Data: [Bool] = (0..<256).map { b in
        ASCII.isAlphaNumeric(UInt8(b)) || UInt8(b) == ASCII.plus || UInt8(b) == 0x2F
    }

    /// The offset at or after `from` where the sixteen-byte blocks of base64 data characters
    /// (A-Z, a-z, 0-9, `+`, `/`) starting at `from` end: the first block holding another byte,
    /// or the last (short) block, is left to the byte loop. SIMD compares (SSE2 on x86-64).
    @inline(__always)
    static func base64DataRunEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var k = from
        guard let base = b.baseAddress else { return k }
        let letterBit = SIMD16<UInt8>(repeating: 0x20)
        let a = SIMD16<UInt8>(repeating: 0x61)
        let letters = SIMD16<UInt8>(repeating: 26)
        let zero = SIMD16<UInt8>(repeating: 0x30)
        let digits = SIMD16<UInt8>(repeating: 10)
        let plus = SIMD16<UInt8>(repeating: 0x2B)
        let slash = SIMD16<UInt8>(repeating: 0x2F)
        while k + 16 <= b.count {
            let v = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            // (A-Z and a-z are the bytes whose lower-case form, bit 0x20 set, is in a-z.)
            let data = ((v | letterBit) &- a .< letters) .| ((v &- zero) .< digits) .| (v .== plus) .| (v .== slash)
            guard all(data) else { break }
            k += 16
        }
        return k
    }

    /// `base64Binary`: `(\s*([0-9a-zA-Z\+/=]){4}\s*)+` — whitespace only between groups of four —
    /// and, beyond the regex, `=` only as one or two padding characters at the very end.
    static func base64(_ lexeme: String) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            var count = 0
            var padding = 0
            var i = 0
            while i < b.count {
                // Runs of data characters before any padding (nearly all of a value) are only
                // counted: one table look-up per byte.
                if padding == 0 {
                    let start = i
                    i = base64DataRunEnd(b, from: i)
                    base64Data.withUnsafeBufferPointer { table in
                        while i < b.count && table[Int(b[i])] { i += 1 }
                    }
                    count += i - start
                    guard i < b.count else { break }
                }
                let byte = b[i]
                i += 1
                if ASCII.isSpace(byte) {
                    guard count % 4 == 0 else {
                        return LexicalFailure("base64 whitespace must fall between groups of four")
                    }
                    continue
                }
                let isData = ASCII.isAlphaNumeric(byte) || byte == ASCII.plus || byte == 0x2F
                if byte == 0x3D {  // '='
                    guard count % 4 >= 2 else { return LexicalFailure("base64 padding is misplaced") }
                    padding += 1
                } else if !isData {
                    return LexicalFailure("base64 contains a character outside A-Z, a-z, 0-9, '+', '/' and '='")
                } else if padding > 0 {
                    return LexicalFailure("base64 has data after padding")
                }
                count += 1
            }
            guard count > 0 else { return LexicalFailure("base64 has no data") }
            guard count % 4 == 0 else { return LexicalFailure("base64 length is not a multiple of four") }
            return nil
        }
    }
}

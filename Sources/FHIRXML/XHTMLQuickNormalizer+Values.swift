#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Values and bytes of ``XHTMLQuickNormalizer``: references decoded as libxml2 decodes them,
/// and written back escaped as the serializer escapes them.
extension XHTMLQuickNormalizer {
    // MARK: - Values

    /// Decodes the text or attribute value `from..<to` into `scratch` (references resolved);
    /// false when libxml2 might see it differently or reject it.
    mutating func decode(_ from: Int, _ to: Int, inAttribute: Bool) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        var k = from
        while k < to {
            let c = b[k]
            switch c {
            case 0x26:
                guard let (scalar, next) = reference(at: k, end: to) else { return false }
                appendUTF8(scalar)
                k = next
                continue
            case 0x3C:
                return false
            case 0x3E:
                // `]]>` may not appear in text.
                if !inAttribute && k - from >= 2 && b[k - 1] == 0x5D && b[k - 2] == 0x5D { return false }
            case 0x09, 0x0A:
                // Attribute-value normalisation turns literal whitespace into spaces.
                scratch.append(inAttribute ? 0x20 : c)
                k += 1
                continue
            case 0x0D:
                // Line ends: CR LF and a lone CR read as LF (before attribute normalisation).
                if k + 1 < to && b[k + 1] == 0x0A {
                    k += 1
                    continue
                }
                scratch.append(inAttribute ? 0x20 : 0x0A)
                k += 1
                continue
            case 0xEF:
                if Self.isNonCharacter(b, k) { return false }
            default:
                if c < 0x20 { return false }
            }
            scratch.append(c)
            k += 1
        }
        return true
    }

    /// Writes `scratch` escaped; where that equals the input `from..<to`, the input is kept.
    /// False when escaping refused the text (what was written is then not `escaped`).
    @discardableResult
    mutating func emitEscaped(_ from: Int, _ to: Int, inAttribute: Bool) -> Bool {
        escaped.removeAll(keepingCapacity: true)
        let ok = scratch.withUnsafeBufferPointer { XMLEscaping.append($0, inAttribute: inAttribute, to: &escaped) }
        // (Characters XML cannot carry were refused by `decode`, so escaping succeeds.)
        let unchanged =
            ok && escaped.count == to - from
            && escaped.withUnsafeBufferPointer { buffer in
                guard let e = buffer.baseAddress, let base = b.baseAddress else { return buffer.isEmpty }
                return memcmp(e, base + from, to - from) == 0
            }
        if unchanged {
            keep(from, to)
        } else {
            write(escaped)
        }
        return ok
    }

    /// The character a reference at `start` (`&`) stands for, and the offset after its `;`:
    /// the five predefined entities and character references to XML characters.
    func reference(at start: Int, end: Int) -> (UInt32, Int)? {
        var k = start + 1
        while k < end && k - start <= 12 && b[k] != 0x3B { k += 1 }
        guard k < end, b[k] == 0x3B else { return nil }
        let body = (start + 1)..<k
        let next = k + 1
        if Self.equals(b, body, "amp") { return (0x26, next) }
        if Self.equals(b, body, "lt") { return (0x3C, next) }
        if Self.equals(b, body, "gt") { return (0x3E, next) }
        if Self.equals(b, body, "quot") { return (0x22, next) }
        if Self.equals(b, body, "apos") { return (0x27, next) }
        guard body.count >= 2, b[body.lowerBound] == 0x23 else { return nil }
        var value: UInt32 = 0
        var digits = body.lowerBound + 1
        let hex = b[digits] == 0x78
        if hex { digits += 1 }
        guard digits < body.upperBound, body.upperBound - digits <= 7 else { return nil }
        for p in digits..<body.upperBound {
            let c = b[p]
            let digit: UInt32
            switch c {
            case 0x30...0x39: digit = UInt32(c - 0x30)
            case 0x61...0x66 where hex: digit = UInt32(c - 0x61 + 10)
            case 0x41...0x46 where hex: digit = UInt32(c - 0x41 + 10)
            default: return nil
            }
            value = value * (hex ? 16 : 10) + digit
        }
        let isChar =
            value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
        return isChar ? (value, next) : nil
    }

    mutating func appendUTF8(_ value: UInt32) {
        guard let scalar = Unicode.Scalar(value) else { return }
        UTF8.encode(scalar) { scratch.append($0) }
    }

    // MARK: - Bytes

    static let xhtmlNamespace: [UInt8] = Array("http://www.w3.org/1999/xhtml".utf8)

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    @inline(__always)
    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }

    @inline(__always)
    static func isNameByte(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
    }

    /// Whether U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`) starts at `k`.
    static func isNonCharacter(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        k + 2 < b.count && b[k + 1] == 0xBF && (b[k + 2] == 0xBE || b[k + 2] == 0xBF)
    }
}

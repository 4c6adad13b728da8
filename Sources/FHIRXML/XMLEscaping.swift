/// Byte-level XML escaping shared by the writer and the narrative serializer.
enum XMLEscaping {
    /// Whether a byte may need escaping in attribute values (and text: a superset).
    @inline(__always)
    static func needsWork(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0xEF
    }

    /// Appends `bytes` escaped for a double-quoted attribute value (`inAttribute`) or for text.
    /// Tab, LF and CR become character references in attributes (so attribute-value
    /// normalisation keeps them) and CR does in text. Returns `false` when the value holds a
    /// character XML 1.0 cannot carry at all (other C0 controls, U+FFFE, U+FFFF); nothing is
    /// appended then.
    static func append(
        _ bytes: UnsafeBufferPointer<UInt8>, inAttribute: Bool, to out: inout [UInt8]
    ) -> Bool {
        var clean = true
        for b in bytes where needsWork(b) {
            clean = false
            break
        }
        if clean {
            out.append(contentsOf: bytes)
            return true
        }
        let mark = out.count
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case 0x26: appendASCII("&amp;", to: &out)
            case 0x3C: appendASCII("&lt;", to: &out)
            case 0x3E: appendASCII("&gt;", to: &out)
            case 0x22:
                if inAttribute { appendASCII("&quot;", to: &out) } else { out.append(b) }
            case 0x09:
                if inAttribute { appendASCII("&#9;", to: &out) } else { out.append(b) }
            case 0x0A:
                if inAttribute { appendASCII("&#10;", to: &out) } else { out.append(b) }
            case 0x0D: appendASCII("&#13;", to: &out)
            case 0xEF:
                // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not XML characters.
                if i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF {
                    out.removeSubrange(mark...)
                    return false
                }
                out.append(b)
            default:
                if b < 0x20 {
                    out.removeSubrange(mark...)
                    return false
                }
                out.append(b)
            }
            i += 1
        }
        return true
    }

    /// Appends a Swift string escaped; see ``append(_:inAttribute:to:)``.
    static func append(_ s: String, inAttribute: Bool, to out: inout [UInt8]) -> Bool {
        var s = s
        return s.withUTF8 { append($0, inAttribute: inAttribute, to: &out) }
    }

    @inline(__always)
    static func appendASCII(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always)
    static func appendRaw(_ s: String, to out: inout [UInt8]) {
        out.append(contentsOf: s.utf8)
    }
}

extension XMLEscaping {
    /// Whether `name` can be written as an XML element name without a prefix (an ASCII NCName:
    /// a letter or `_`, then letters, digits, `_`, `-`, `.`). Names from the definitions always
    /// are; unknown elements kept from JSON may not be.
    static func isWritableName(_ name: String) -> Bool {
        var first = true
        for b in name.utf8 {
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
            let other = (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
            if !(letter || (!first && other)) { return false }
            first = false
        }
        return !first
    }
}

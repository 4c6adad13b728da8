/// Syntax checks for code systems that are defined by a grammar rather than a list and are not
/// held locally: MIME types (BCP 13), language tags (BCP 47), UCUM units, ISO 3166 country and
/// ISO 4217 currency codes. A malformed code is certainly not in the system; a well-formed one is still only
/// *unknown* (it may not exist), never valid.
public enum LocalTerminologySyntax {
    public enum Kind: String, Sendable, Hashable {
        case mimeType, language, ucum, country, currency
    }

    /// The syntax-checked code systems.
    public static func kind(ofSystem system: String) -> Kind? {
        switch system {
        case "urn:ietf:bcp:13": .mimeType
        case "urn:ietf:bcp:47": .language
        case "http://unitsofmeasure.org": .ucum
        case "urn:iso:std:iso:3166": .country
        case "urn:iso:std:iso:4217": .currency
        default: nil
        }
    }

    /// Longest code checked; longer codes are malformed.
    static let maxLength = 256

    public static func isWellFormed(_ code: String, _ kind: Kind) -> Bool {
        let bytes = Array(code.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        switch kind {
        case .mimeType: return isMimeType(bytes)
        case .language: return isLanguageTag(bytes)
        case .ucum: return isUCUM(bytes)
        case .country: return isCountry(bytes)
        case .currency: return bytes.count == 3 && bytes.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
        }
    }

    private static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// RFC 2045 `type "/" subtype *(";" attribute "=" value)`: type, subtype and attribute are
    /// tokens without tspecials.
    private static func isMimeType(_ bytes: [UInt8]) -> Bool {
        let parts = bytes.split(separator: 0x3B, omittingEmptySubsequences: false)  // ';'
        guard let head = parts.first else { return false }
        let typeParts = trimmed(head).split(separator: 0x2F, omittingEmptySubsequences: false)  // '/'
        guard typeParts.count == 2, typeParts.allSatisfy(isToken) else { return false }
        for parameter in parts.dropFirst() {
            let pair = trimmed(parameter).split(separator: 0x3D, maxSplits: 1, omittingEmptySubsequences: false)
            // Values are taken loosely (`variant=DICOM QIDO-RS` is common though RFC 2045 wants quotes).
            guard pair.count == 2, isToken(pair[0]), !trimmed(pair[1]).isEmpty,
                pair[1].allSatisfy({ $0 >= 0x20 && $0 != 0x7F })
            else { return false }
        }
        return true
    }

    private static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while s.first == 0x20 { s.removeFirst() }
        while s.last == 0x20 { s.removeLast() }
        return s
    }

    private static func isToken(_ s: ArraySlice<UInt8>) -> Bool {
        !s.isEmpty && s.allSatisfy { b in b > 0x20 && b < 0x7F && !tspecials.contains(b) }
    }

    private static let tspecials: Set<UInt8> = Set("()<>@,;:\\\"/[]?=".utf8)

    /// BCP 47 well-formedness, leniently: subtags of 1-8 letters or digits separated by `-`; the
    /// first is a 2-8 letter language, or `x` / `i` (private use, grandfathered).
    private static func isLanguageTag(_ bytes: [UInt8]) -> Bool {
        let subtags = bytes.split(separator: 0x2D, omittingEmptySubsequences: false)  // '-'
        guard let first = subtags.first else { return false }
        guard
            subtags.allSatisfy({ !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { isAlpha($0) || isDigit($0) } })
        else { return false }
        if first.count == 1 { return (first.first == 0x78 || first.first == 0x69) && subtags.count > 1 }
        return first.count >= 2 && first.allSatisfy(isAlpha)
    }

    /// UCUM, loosely: printable ASCII without spaces, balanced `()`, `[]` and `{}` (annotations
    /// may hold anything but braces), and not ending in an operator.
    private static func isUCUM(_ bytes: [UInt8]) -> Bool {
        var parens = 0
        var inBrackets = false
        var inBraces = false
        for b in bytes {
            guard b > 0x20 && b < 0x7F else { return false }
            if inBraces {
                if b == 0x7B { return false }
                if b == 0x7D { inBraces = false }
                continue
            }
            switch b {
            case 0x7B: inBraces = true
            case 0x7D: return false
            case 0x5B:
                if inBrackets { return false }
                inBrackets = true
            case 0x5D:
                if !inBrackets { return false }
                inBrackets = false
            case 0x28: parens += 1
            case 0x29:
                parens -= 1
                if parens < 0 { return false }
            default: break
            }
        }
        guard parens == 0, !inBrackets, !inBraces, let last = bytes.last else { return false }
        return last != 0x2E && last != 0x2F  // '.', '/'
    }

    /// ISO 3166-1: two or three upper-case letters, or three digits.
    private static func isCountry(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 2 || bytes.count == 3 else { return false }
        if bytes.allSatisfy(isDigit) { return bytes.count == 3 }
        return bytes.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }
}

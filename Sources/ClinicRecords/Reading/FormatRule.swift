/// The text forms the record format requires of identifiers and codes. Each rule has a
/// description for messages (which never quote the value itself).
enum FormatRule: Sendable {
    /// Record ids and references: 1-64 of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit.
    case identifier
    /// A US National Provider Identifier: 10 digits with a valid check digit (Luhn over `80840`+NPI).
    case npi
    /// An ICD-10-CM code with its dot: letter, digit, letter or digit, then optionally `.` and 1-4.
    case icd10cm
    /// A NUCC provider taxonomy code: 9 digits or capitals, then `X` (`2084P0800X`).
    case nuccTaxonomy
    /// A phone number: digits with optional `+ - ( ) . space`, 10-15 digits.
    case phone
    /// An e-mail or Direct address: `local@domain.tld`, no spaces.
    case email
    /// An absolute `https://` URL with a host.
    case httpsURL
    /// An NDC with hyphens: package (4-4-2, 5-3-2, 5-4-1, 5-4-2) or product (4-4, 5-3, 5-4).
    case ndc
    /// A language tag: 2-3 lower-case letters, optionally `-` and a region (`en`, `es-US`).
    case languageTag
    /// A LOINC answer code `LA<digits>-<check digit>`.
    case loincAnswer
    /// A US ZIP code: 5 digits, optionally `-` and 4.
    case usPostalCode
    /// A two-letter upper-case state or territory code.
    case usState
    /// Standard base64 (`A-Z a-z 0-9 + /`, `=` padding, length a multiple of 4).
    case base64
    /// A relative file path without `..` segments, backslashes or a leading `/`.
    case relativePath

    var description: String {
        switch self {
        case .identifier: "an id of 1-64 letters, digits, '.', '_', ':' or '-' starting with a letter or digit"
        case .npi: "an NPI: 10 digits with a valid check digit"
        case .icd10cm: "an ICD-10-CM code with its dot (such as F33.2)"
        case .nuccTaxonomy: "a NUCC taxonomy code (10 characters ending in X)"
        case .phone: "a phone number of 10-15 digits (with optional + - ( ) . and spaces)"
        case .email: "an address of the form name@domain.tld"
        case .httpsURL: "an absolute https:// URL"
        case .ndc: "an NDC with hyphens (4-4-2, 5-3-2, 5-4-1, 5-4-2, or a product code 4-4, 5-3, 5-4)"
        case .languageTag: "a language tag such as en or es-US"
        case .loincAnswer: "a LOINC answer code such as LA6568-5"
        case .usPostalCode: "a ZIP code of 5 digits, optionally -4 more"
        case .usState: "a two-letter state code"
        case .base64: "base64 text"
        case .relativePath: "a relative path without '..' segments"
        }
    }

    func matches(_ text: String) -> Bool {
        let b = Array(text.utf8)
        switch self {
        case .identifier:
            guard (1...64).contains(b.count), Self.isAlnum(b[0]) else { return false }
            return b.allSatisfy { Self.isAlnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x3A || $0 == 0x2D }
        case .npi:
            return b.count == 10 && b.allSatisfy(Self.isDigit) && Self.npiCheckDigitValid(b)
        case .icd10cm:
            guard b.count >= 3, Self.isUpper(b[0]), Self.isDigit(b[1]), Self.isUpperOrDigit(b[2]) else { return false }
            if b.count == 3 { return true }
            let rest = b[4...]
            return b[3] == 0x2E && (1...4).contains(rest.count) && rest.allSatisfy(Self.isUpperOrDigit)
        case .nuccTaxonomy:
            return b.count == 10 && b[0..<9].allSatisfy(Self.isUpperOrDigit) && b[9] == 0x58
        case .phone:
            let allowed: Set<UInt8> = [0x2B, 0x2D, 0x28, 0x29, 0x2E, 0x20]
            guard b.allSatisfy({ Self.isDigit($0) || allowed.contains($0) }) else { return false }
            return (10...15).contains(b.filter(Self.isDigit).count)
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, b.count <= 254 else { return false }
            let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
            return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
                && b.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x3C && $0 != 0x3E }
        case .httpsURL:
            guard text.hasPrefix("https://"), b.count <= 2_000 else { return false }
            let host = b.dropFirst(8).prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }
            return !host.isEmpty && b.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        case .ndc:
            let groups = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.utf8.count }
            guard text.utf8.allSatisfy({ Self.isDigit($0) || $0 == 0x2D }) else { return false }
            let forms: [[Int]] = [[4, 4, 2], [5, 3, 2], [5, 4, 1], [5, 4, 2], [4, 4], [5, 3], [5, 4]]
            return forms.contains(groups)
        case .languageTag:
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), (2...3).contains(parts[0].utf8.count),
                parts[0].utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A })
            else { return false }
            guard parts.count == 2 else { return true }
            let region = parts[1].utf8
            return (region.count == 2 && region.allSatisfy(Self.isUpper))
                || (region.count == 3 && region.allSatisfy(Self.isDigit))
        case .loincAnswer:
            guard b.count >= 5, b[0] == 0x4C, b[1] == 0x41, b[b.count - 2] == 0x2D, Self.isDigit(b[b.count - 1])
            else { return false }
            let body = b[2..<(b.count - 2)]
            return (1...8).contains(body.count) && body.allSatisfy(Self.isDigit)
        case .usPostalCode:
            if b.count == 5 { return b.allSatisfy(Self.isDigit) }
            return b.count == 10 && b[5] == 0x2D && b[0..<5].allSatisfy(Self.isDigit)
                && b[6...].allSatisfy(Self.isDigit)
        case .usState:
            return b.count == 2 && b.allSatisfy(Self.isUpper)
        case .base64:
            return Self.isBase64(b)
        case .relativePath:
            guard !b.isEmpty, b.count <= 1_000, b[0] != 0x2F, !b.contains(0x5C), !b.contains(0) else { return false }
            return !text.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0.isEmpty }
        }
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isUpperOrDigit(_ c: UInt8) -> Bool { isDigit(c) || isUpper(c) }
    static func isAlnum(_ c: UInt8) -> Bool { isUpperOrDigit(c) || (c >= 0x61 && c <= 0x7A) }

    /// The NPI check digit: Luhn over the constant prefix `80840` and the first nine digits.
    static func npiCheckDigitValid(_ digits: [UInt8]) -> Bool {
        let values = [8, 0, 8, 4, 0] + digits.prefix(9).map { Int($0 - 0x30) }
        var sum = 0
        for (i, d) in values.reversed().enumerated() {
            if i % 2 == 0 {
                let doubled = d * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += d
            }
        }
        let check = (10 - sum % 10) % 10
        return digits.count == 10 && Int(digits[9] - 0x30) == check
    }

    private static func isBase64(_ b: [UInt8]) -> Bool {
        guard !b.isEmpty, b.count % 4 == 0 else { return false }
        var padding = 0
        for (i, c) in b.enumerated() {
            if c == 0x3D {
                padding += 1
                guard i >= b.count - 2 else { return false }
                continue
            }
            guard padding == 0, isAlnum(c) || c == 0x2B || c == 0x2F else { return false }
        }
        return true
    }
}

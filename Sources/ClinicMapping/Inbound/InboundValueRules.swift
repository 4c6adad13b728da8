/// The text forms the clinic record format requires of values coming from FHIR, checked before
/// a record is made, so that a problem is reported at its FHIR location. (The record reader
/// checks the same rules again on every mapped record.)
enum InboundValueRules {
    /// Record ids: 1-64 of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit.
    static func isIdentifier(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard (1...64).contains(b.count), isAlnum(b[0]) else { return false }
        return b.allSatisfy { isAlnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x3A || $0 == 0x2D }
    }

    /// A 10-digit NPI with a valid Luhn check digit over `80840` and the first nine digits.
    static func isNPI(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 10, b.allSatisfy(isDigit) else { return false }
        let values = [8, 0, 8, 4, 0] + b.map { Int($0) - 48 }
        var sum = 0
        for (i, d) in values.reversed().enumerated() {
            sum += i % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d
        }
        return sum % 10 == 0
    }

    /// An ICD-10-CM code with its dot (`F33.2`); a code written without the dot (`F332`) gets it.
    /// Nil when the code does not have the ICD-10-CM form.
    static func icd10(_ raw: String) -> String? {
        var b = Array(raw.utf8)
        if b.count >= 4 && b.count <= 7 && !b.contains(0x2E) { b.insert(0x2E, at: 3) }
        guard b.count >= 3, isUpper(b[0]), isDigit(b[1]), isUpperOrDigit(b[2]) else { return nil }
        if b.count > 3 {
            let rest = b[4...]
            guard b[3] == 0x2E, (1...4).contains(rest.count), rest.allSatisfy(isUpperOrDigit) else { return nil }
        }
        return String(decoding: b, as: UTF8.self)
    }

    /// ICD-10-CM F10-F19: a substance use disorder.
    static func isSubstanceUse(_ icd10: String) -> Bool {
        let b = Array(icd10.utf8)
        return b.count >= 3 && b[0] == 0x46 && b[1] == 0x31 && isDigit(b[2])
    }

    static func isNUCC(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return b.count == 10 && b[0..<9].allSatisfy(isUpperOrDigit) && b[9] == 0x58
    }

    static func isPhone(_ s: String) -> Bool {
        let allowed: Set<UInt8> = [0x2B, 0x2D, 0x28, 0x29, 0x2E, 0x20]
        let b = Array(s.utf8)
        guard b.allSatisfy({ isDigit($0) || allowed.contains($0) }) else { return false }
        return (10...15).contains(b.filter(isDigit).count)
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, s.utf8.count <= 254 else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
            && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x3C && $0 != 0x3E }
    }

    static func isHTTPSURL(_ s: String) -> Bool {
        guard s.hasPrefix("https://"), s.utf8.count <= 2_000 else { return false }
        let host = s.utf8.dropFirst(8).prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }
        return !host.isEmpty && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    static func isUSState(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return b.count == 2 && b.allSatisfy(isUpper)
    }

    static func isZIP(_ s: String) -> Bool {
        let b = Array(s.utf8)
        if b.count == 5 { return b.allSatisfy(isDigit) }
        return b.count == 10 && b[5] == 0x2D && b[0..<5].allSatisfy(isDigit) && b[6...].allSatisfy(isDigit)
    }

    static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (2...3).contains(parts[0].utf8.count),
            parts[0].utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A })
        else { return false }
        guard parts.count == 2 else { return true }
        let region = parts[1].utf8
        return (region.count == 2 && region.allSatisfy(isUpper)) || (region.count == 3 && region.allSatisfy(isDigit))
    }

    /// A stable record id for an input that has no clinic id: `prefix` and 16 hex digits of the
    /// FNV-1a hash of `key` (the same input always gives the same id).
    static func derivedId(_ prefix: String, _ key: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isUpperOrDigit(_ c: UInt8) -> Bool { isDigit(c) || isUpper(c) }
    static func isAlnum(_ c: UInt8) -> Bool { isUpperOrDigit(c) || (c >= 0x61 && c <= 0x7A) }
}

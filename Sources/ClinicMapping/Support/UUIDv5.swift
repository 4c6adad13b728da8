import COpenSSL

/// Name-based UUIDs, version 5 (RFC 9562 section 5.5): SHA-1 of a namespace UUID and a name,
/// computed through OpenSSL's EVP interface.
///
/// FHIRGate gives every translated resource the id `UUIDv5(fhirGateNamespace, "<type>|<business id>")`,
/// so translating the same records again gives the same ids.
public enum UUIDv5 {
    /// The FHIRGate namespace: `UUIDv5(NameSpace_DNS, "fhirgate.dev")`
    /// (checked by a test against that derivation).
    public static let fhirGateNamespace = "5c9e958b-404d-5a7b-81bb-bb704e793360"

    /// The DNS namespace of RFC 9562 (section 6.6).
    public static let dnsNamespace = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"

    /// The UUID (lowercase, `8-4-4-4-12`) for `name` in `namespace`, or nil when the namespace is
    /// not a UUID or the digest cannot be computed.
    public static func make(namespace: String, name: String) -> String? {
        guard let ns = bytes(ofUUID: namespace), var digest = sha1(ns + Array(name.utf8)), digest.count >= 16
        else { return nil }
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return format(Array(digest.prefix(16)))
    }

    /// The 16 bytes of a UUID in its textual form, or nil.
    public static func bytes(ofUUID text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var high: UInt8?
        for c in text.utf8 {
            if c == UInt8(ascii: "-") { continue }
            guard let v = hexValue(c) else { return nil }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        guard out.count == 16, high == nil, text.utf8.count == 36 else { return nil }
        return out
    }

    /// SHA-1 through EVP; nil when OpenSSL fails.
    static func sha1(_ input: [UInt8]) -> [UInt8]? {
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestInit_ex(ctx, EVP_sha1(), nil) == 1 else { return nil }
        let updated = input.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            return EVP_DigestUpdate(ctx, base, buffer.count) == 1
        }
        guard updated else { return nil }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let finished = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(ctx, $0.baseAddress, &length) }
        guard finished == 1, length == 20 else { return nil }
        return Array(out.prefix(20))
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    private static func format(_ b: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in b.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

import COpenSSL

/// Random bytes from OpenSSL's CSPRNG (`RAND_bytes`). It is never replaced by a weaker source:
/// when it fails, the caller gets an error.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) throws(AuthError) -> [UInt8] {
        guard count > 0 else { return [] }
        guard count <= Int(Int32.max) else {
            throw AuthError(.cryptoFailure, "too many random bytes asked for at once")
        }
        var out = [UInt8](repeating: 0, count: count)
        let status = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard status == 1 else {
            ERR_clear_error()
            throw AuthError(.cryptoFailure, "OpenSSL's random generator failed")
        }
        return out
    }

    /// `byteCount` random bytes as lowercase hex (a 128-bit JWT id is 16 bytes, 32 digits).
    public static func hex(byteCount: Int) throws(AuthError) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in try bytes(byteCount) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

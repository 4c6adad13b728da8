import COpenSSL

/// ECDSA signatures between OpenSSL's DER form (`SEQUENCE { r INTEGER, s INTEGER }`) and the
/// JOSE form (RFC 7518 section 3.4: R and S as fixed-size big-endian octets, concatenated).
enum ECDSASignature {
    /// DER to R||S, each left-padded to `componentSize` bytes (48 for P-384).
    static func joseForm(fromDER der: [UInt8], componentSize: Int) throws(AuthError) -> [UInt8] {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let sig = parsed else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "OpenSSL returned an ECDSA signature that does not parse")
        }
        defer { ECDSA_SIG_free(sig) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(sig, &r, &s)
        guard let r, let s, Int(BN_num_bits(r)) <= componentSize * 8, Int(BN_num_bits(s)) <= componentSize * 8 else {
            throw AuthError(.cryptoFailure, "ECDSA signature components out of range")
        }
        var out = [UInt8](repeating: 0, count: componentSize * 2)
        let size = Int32(componentSize)
        let written = out.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return BN_bn2binpad(r, base, size) == size && BN_bn2binpad(s, base + componentSize, size) == size
        }
        guard written else { throw AuthError(.cryptoFailure, "cannot convert the ECDSA signature") }
        return out
    }

    /// R||S (2 x `componentSize` bytes) to DER.
    static func der(fromJOSE raw: [UInt8], componentSize: Int) throws(AuthError) -> [UInt8] {
        guard raw.count == componentSize * 2 else { throw AuthError(.tokenMalformed, "wrong ECDSA signature length") }
        guard let sig = ECDSA_SIG_new() else { throw AuthError(.cryptoFailure, "cannot allocate an ECDSA signature") }
        defer { ECDSA_SIG_free(sig) }
        let (r, s) = raw.withUnsafeBufferPointer { buffer -> (OpaquePointer?, OpaquePointer?) in
            guard let base = buffer.baseAddress else { return (nil, nil) }
            let size = Int32(componentSize)
            return (BN_bin2bn(base, size, nil), BN_bin2bn(base + componentSize, size, nil))
        }
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw AuthError(.cryptoFailure, "cannot build an ECDSA signature")
        }
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_ECDSA_SIG(sig, &out)
        guard length > 0, let out else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "cannot encode an ECDSA signature")
        }
        defer { fg_openssl_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}

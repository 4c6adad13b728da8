import COpenSSL

/// Small helpers around OpenSSL calls: every object created here is freed before returning.
enum OpenSSLSupport {
    /// Clears OpenSSL's (per-thread) error queue. Its texts are never shown: they can name key
    /// formats and internal states, and our messages say what failed in our own words.
    static func clearErrors() {
        ERR_clear_error()
    }

    /// SHA-256 of some bytes.
    static func sha256(_ bytes: [UInt8]) throws(AuthError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer {
                EVP_Digest(input.baseAddress, input.count, $0.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard ok == 1 else {
            clearErrors()
            throw AuthError(.cryptoFailure, "SHA-256 failed")
        }
        return Array(out.prefix(Int(length)))
    }

    /// Runs `body` with a fresh memory BIO and returns what was written into it.
    static func writingToMemory(_ what: String, _ body: (OpaquePointer) -> Int32) throws(AuthError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw AuthError(.cryptoFailure, "cannot allocate a buffer") }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else {
            clearErrors()
            throw AuthError(.cryptoFailure, "cannot write the \(what)")
        }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = fg_bio_get_mem_data(bio, &pointer)
        guard length > 0, let pointer else { throw AuthError(.cryptoFailure, "cannot write the \(what)") }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// A big number parameter of a key (`n`, `e`, `qx`, `qy`), big-endian, left-padded with zeros
    /// to `width` bytes when a width is given.
    static func bigNumberParameter(_ key: OpaquePointer, _ name: String, width: Int? = nil) throws(AuthError)
        -> [UInt8]
    {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &bn) == 1, let bn else {
            clearErrors()
            throw AuthError(.keyUnsupported, "the key has no '\(name)' parameter")
        }
        defer { BN_free(bn) }
        let natural = Int((BN_num_bits(bn) + 7) / 8)
        let size = max(width ?? natural, natural == 0 ? 1 : natural)
        var out = [UInt8](repeating: 0, count: size)
        let written = out.withUnsafeMutableBufferPointer { BN_bn2binpad(bn, $0.baseAddress, Int32(size)) }
        guard written == Int32(size) else { throw AuthError(.cryptoFailure, "cannot read the key's '\(name)'") }
        return out
    }

    /// A UTF-8 string parameter of a key (the EC group name).
    static func stringParameter(_ key: OpaquePointer, _ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        let ok = buffer.withUnsafeMutableBufferPointer {
            EVP_PKEY_get_utf8_string_param(key, name, $0.baseAddress, $0.count, &length)
        }
        guard ok == 1 else {
            clearErrors()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

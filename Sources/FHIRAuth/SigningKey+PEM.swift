import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SigningKey {
    /// Largest key file read (a PEM RSA 8192 key is under 7 KB).
    static let maximumPEMBytes = 64 << 10

    /// Loads a private key from PEM text: PKCS#8 (`BEGIN PRIVATE KEY`) or the traditional RSA or
    /// EC forms. Encrypted keys are refused (nothing ever prompts for a passphrase). `file` only
    /// names the source in errors.
    public static func load(pem: [UInt8], file: String? = nil) throws(AuthError) -> SigningKey {
        guard !pem.isEmpty, pem.count <= maximumPEMBytes else {
            throw AuthError(.keyInvalid, "not a PEM private key (size)", file: file)
        }
        let parsed: OpaquePointer? = pem.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        OpenSSLSupport.clearErrors()
        guard let parsed else {
            let text = String(decoding: pem, as: UTF8.self)
            if text.contains("ENCRYPTED") {
                throw AuthError(.keyInvalid, "the private key is encrypted; use an unencrypted PEM key", file: file)
            }
            if text.contains("PUBLIC KEY") || text.contains("CERTIFICATE") {
                throw AuthError(
                    .keyInvalid, "the file holds a public key or certificate, not a private key", file: file)
            }
            throw AuthError(.keyInvalid, "not a PEM private key (RSA or EC, PKCS#8 or traditional)", file: file)
        }
        do {
            return try SigningKey(taking: parsed)
        } catch {
            throw AuthError(error.code, error.message, file: file)
        }
    }

    /// Loads a private key from a PEM file.
    public static func load(pemFile path: String) throws(AuthError) -> SigningKey {
        var bytes = try KeyFile.read(path, maximumBytes: maximumPEMBytes)
        defer { KeyFile.wipe(&bytes) }
        return try load(pem: bytes, file: path)
    }

    /// The private key as unencrypted PKCS#8 PEM (`BEGIN PRIVATE KEY`).
    public func pkcs8PEM() throws(AuthError) -> [UInt8] {
        try OpenSSLSupport.writingToMemory("private key") { bio in
            PEM_write_bio_PKCS8PrivateKey(bio, key, nil, nil, 0, nil, nil)
        }
    }

    /// Writes the private key as PKCS#8 PEM to a new file created with mode 0600. An existing file
    /// is an error unless `overwrite`: then the key goes to a new 0600 file beside it that is renamed
    /// over the old one, so the mode never depends on the old file.
    public func writePEM(to path: String, overwrite: Bool = false) throws(AuthError) {
        var pem = try pkcs8PEM()
        defer { KeyFile.wipe(&pem) }
        if overwrite {
            try KeyFile.replace(path, with: pem)
        } else {
            try KeyFile.create(path, with: pem)
        }
    }
}

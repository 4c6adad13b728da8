import COpenSSL

extension SigningKey {
    /// Default RSA size: 3072 bits (about 128-bit security, NIST SP 800-57 beyond 2030). Generation
    /// takes around a second and each signature a few milliseconds, which a client assertion
    /// every few minutes can afford. 2048 bits is still accepted when loading a key.
    public static let defaultRSABits = 3072

    /// Generates a new key for `algorithm`: RSA (`rsaBits`, 2048 to 8192) for RS384, EC on P-384
    /// for ES384.
    public static func generate(_ algorithm: SigningAlgorithm, rsaBits: Int = defaultRSABits) throws(AuthError)
        -> SigningKey
    {
        let typeName: String
        switch algorithm {
        case .rs384:
            guard (minimumRSABits...8192).contains(rsaBits), rsaBits % 8 == 0 else {
                throw AuthError(.invalidParameter, "RSA key size must be a multiple of 8 from 2048 to 8192 bits")
            }
            typeName = "RSA"
        case .es384:
            typeName = "EC"
        }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "cannot create a \(typeName) key generation context")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var configured = EVP_PKEY_keygen_init(ctx) == 1
        if configured {
            switch algorithm {
            case .rs384: configured = EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(rsaBits)) == 1
            case .es384: configured = EVP_PKEY_CTX_set_group_name(ctx, "P-384") == 1
            }
        }
        var generated: OpaquePointer?
        guard configured, EVP_PKEY_generate(ctx, &generated) == 1, let generated else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "\(typeName) key generation failed")
        }
        return try SigningKey(taking: generated)
    }
}

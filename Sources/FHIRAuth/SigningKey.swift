import COpenSSL

/// A private key that signs SMART Backend Services client assertions: RSA (RS384) or EC P-384
/// (ES384), held as an OpenSSL `EVP_PKEY` that is freed with the key.
///
/// Signing makes a fresh OpenSSL context on each call, so one key can sign from several threads.
public final class SigningKey: @unchecked Sendable {
    /// Smallest RSA modulus accepted for RS384 (NIST SP 800-131A).
    public static let minimumRSABits = 2048

    let key: OpaquePointer
    /// The algorithm this key signs with (decided by the key's type).
    public let algorithm: SigningAlgorithm
    /// The public half as a JWK, with the RFC 7638 thumbprint as `kid`.
    public let publicJWK: PublicJWK

    /// Takes ownership of `key` (freed here when the key does not fit, else by `deinit`).
    init(taking key: OpaquePointer) throws(AuthError) {
        do {
            let algorithm = try Self.algorithm(of: key)
            self.publicJWK = try PublicJWK(key: key, algorithm: algorithm)
            self.algorithm = algorithm
            self.key = key
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
    }

    deinit { EVP_PKEY_free(key) }

    /// The key's `kid` (its JWK thumbprint).
    public var keyID: String { publicJWK.kid }

    /// The public JWK Set holding this key, to register with an authorization server.
    public var jwks: JWKSet { JWKSet(keys: [publicJWK]) }

    /// The size of the key in bits (RSA modulus, or 384 for P-384).
    public var bits: Int { Int(EVP_PKEY_get_bits(key)) }

    /// Signs `message` with SHA-384: RSASSA-PKCS1-v1_5 for RS384, ECDSA for ES384. ES384
    /// signatures come back in the JOSE form (R and S, 48 bytes each), not DER.
    public func sign(_ message: [UInt8]) throws(AuthError) -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw AuthError(.cryptoFailure, "cannot create a signing context") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, EVP_sha384(), nil, key) == 1 else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "cannot start a \(algorithm.rawValue) signature")
        }
        var length = 0
        let sized = message.withUnsafeBytes { EVP_DigestSign(ctx, nil, &length, $0.baseAddress, $0.count) }
        guard sized == 1, length > 0 else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "cannot size the \(algorithm.rawValue) signature")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBytes { input in
            signature.withUnsafeMutableBufferPointer {
                EVP_DigestSign(ctx, $0.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard signed == 1 else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "the \(algorithm.rawValue) signature failed")
        }
        signature.removeSubrange(length...)
        switch algorithm {
        case .rs384: return signature
        case .es384: return try ECDSASignature.joseForm(fromDER: signature, componentSize: 48)
        }
    }

    /// The algorithm a key signs with, or an error when it is neither an RSA key of at least
    /// 2048 bits nor an EC key on P-384.
    static func algorithm(of key: OpaquePointer) throws(AuthError) -> SigningAlgorithm {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            let bits = Int(EVP_PKEY_get_bits(key))
            guard bits >= minimumRSABits else {
                throw AuthError(
                    .keyUnsupported, "RSA key of \(bits) bits is too small for RS384 (at least \(minimumRSABits))")
            }
            return .rs384
        case EVP_PKEY_EC:
            let group = OpenSSLSupport.stringParameter(key, "group") ?? "unknown"
            guard group == "secp384r1" || group == "P-384" else {
                throw AuthError(.keyUnsupported, "EC key on curve \(group): ES384 needs P-384 (secp384r1)")
            }
            return .es384
        default:
            throw AuthError(.keyUnsupported, "unsupported key type: RS384 needs an RSA key, ES384 an EC P-384 key")
        }
    }
}

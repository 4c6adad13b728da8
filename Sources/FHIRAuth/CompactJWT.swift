import FHIRJSON

/// A JWS in compact serialization (`header.claims.signature`), decoded but not yet trusted.
public struct CompactJWT: Sendable {
    public let header: JSONValue
    public let claims: JSONValue
    /// `base64url(header) "." base64url(claims)`: the bytes the signature covers.
    public let signingInput: [UInt8]
    public let signature: [UInt8]

    /// Splits and decodes a token; the header and claims must be JSON objects.
    public init(parsing token: String) throws(AuthError) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw AuthError(.tokenMalformed, "a JWT has three dot-separated parts") }
        guard let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { throw AuthError(.tokenMalformed, "a JWT part is not base64url") }
        do {
            header = try JSONValue.parse(headerBytes)
            claims = try JSONValue.parse(claimBytes)
        } catch {
            throw AuthError(.tokenMalformed, "a JWT header or claims part is not JSON")
        }
        guard header.objectValue != nil, claims.objectValue != nil else {
            throw AuthError(.tokenMalformed, "a JWT header and claims must be JSON objects")
        }
        self.signature = signature
        signingInput = Array(parts[0].utf8) + [0x2E] + Array(parts[1].utf8)
    }

    /// The header's `alg`, when it is one FHIRGate knows.
    public var algorithm: SigningAlgorithm? {
        header["alg"]?.stringValue.flatMap(SigningAlgorithm.init(rawValue:))
    }

    /// `true` when the signature is valid for `key`: the header's `alg` must be the key's
    /// algorithm (and the key's own `alg`, when it has one), never `none`.
    public func verify(with key: PublicJWK) throws(AuthError) -> Bool {
        guard let algorithm else { return false }
        switch (algorithm, key.material) {
        case (.rs384, .rsa), (.es384, .ec): break
        default: return false
        }
        if let keyAlgorithm = key.algorithm, keyAlgorithm != algorithm { return false }
        return try key.verify(signature: signature, of: signingInput)
    }

    /// Verifies with the key of a JWK Set named by the header's `kid` (or its only key).
    public func verify(with keys: JWKSet) throws(AuthError) -> Bool {
        let key: PublicJWK?
        if let kid = header["kid"]?.stringValue {
            key = keys.key(withID: kid)
        } else {
            key = keys.keys.count == 1 ? keys.keys.first : nil
        }
        guard let key else { return false }
        return try verify(with: key)
    }
}

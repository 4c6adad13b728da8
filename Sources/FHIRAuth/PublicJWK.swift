import FHIRJSON

/// The public half of a signing key as a JSON Web Key (RFC 7517/7518): RSA `n`/`e` or EC
/// `crv`/`x`/`y`, base64url without padding. `kid` defaults to the RFC 7638 thumbprint.
public struct PublicJWK: Sendable, Equatable {
    /// The key's public numbers, big-endian.
    public enum Material: Sendable, Equatable {
        /// RSA modulus and public exponent, without leading zero bytes.
        case rsa(modulus: [UInt8], exponent: [UInt8])
        /// An EC point: the JWK curve name (`P-384`) and the coordinates at full field size.
        case ec(curve: String, x: [UInt8], y: [UInt8])
    }

    public let material: Material
    /// The JWS algorithm the key is for (`alg`); `nil` when a parsed JWK had none.
    public let algorithm: SigningAlgorithm?
    public let kid: String

    /// A JWK for `material`; `kid` defaults to the key's thumbprint.
    public init(material: Material, algorithm: SigningAlgorithm?, kid: String? = nil) throws(AuthError) {
        self.material = material.normalized
        self.algorithm = algorithm
        if let kid {
            self.kid = kid
        } else {
            self.kid = try Self.thumbprint(of: material)
        }
    }

    /// The JWK as published: `kty`, `kid`, `use` "sig", `alg`, then `n`, `e` or `crv`, `x`, `y`.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("kty", .string(keyType)), ("kid", .string(kid)), ("use", .string("sig"))]
        if let algorithm { pairs.append(("alg", .string(algorithm.rawValue))) }
        switch material {
        case .rsa(let n, let e):
            pairs += [("n", .string(Base64URL.encode(n))), ("e", .string(Base64URL.encode(e)))]
        case .ec(let curve, let x, let y):
            pairs += [
                ("crv", .string(curve)), ("x", .string(Base64URL.encode(x))), ("y", .string(Base64URL.encode(y))),
            ]
        }
        return .object(pairs)
    }

    /// `RSA` or `EC`.
    public var keyType: String {
        switch material {
        case .rsa: return "RSA"
        case .ec: return "EC"
        }
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url): the hash of the required members only,
    /// in lexicographic order, without whitespace.
    public static func thumbprint(of material: Material) throws(AuthError) -> String {
        let members: JSONValue
        switch material.normalized {
        case .rsa(let n, let e):
            members = .object([
                ("e", .string(Base64URL.encode(e))), ("kty", .string("RSA")), ("n", .string(Base64URL.encode(n))),
            ])
        case .ec(let curve, let x, let y):
            members = .object([
                ("crv", .string(curve)), ("kty", .string("EC")), ("x", .string(Base64URL.encode(x))),
                ("y", .string(Base64URL.encode(y))),
            ])
        }
        return Base64URL.encode(try OpenSSLSupport.sha256(members.serialized()))
    }

    /// Reads a public JWK (RSA, or EC on P-384). Private members (`d`, `p`...) are refused, so a
    /// private key is never taken for a public one.
    public init(json: JSONValue) throws(AuthError) {
        guard let object = json.objectValue else { throw AuthError(.jwkInvalid, "a JWK must be a JSON object") }
        for privateMember in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] where object[privateMember] != nil {
            throw AuthError(.jwkInvalid, "the JWK holds private key members; publish only the public key")
        }
        var algorithm: SigningAlgorithm?
        if let alg = object["alg"] {
            guard let name = alg.stringValue, let known = SigningAlgorithm(rawValue: name) else {
                throw AuthError(.jwkInvalid, "unsupported JWK 'alg' (RS384 or ES384)")
            }
            algorithm = known
        }
        let material: Material
        switch object["kty"]?.stringValue {
        case "RSA":
            material = .rsa(modulus: try Self.member(object, "n"), exponent: try Self.member(object, "e"))
            if let algorithm, algorithm != .rs384 { throw AuthError(.jwkInvalid, "an RSA JWK cannot have alg ES384") }
        case "EC":
            guard object["crv"]?.stringValue == "P-384" else {
                throw AuthError(.jwkInvalid, "unsupported EC curve (P-384 only)")
            }
            let x = try Self.member(object, "x")
            let y = try Self.member(object, "y")
            guard x.count == 48, y.count == 48 else {
                throw AuthError(.jwkInvalid, "P-384 coordinates must be 48 bytes")
            }
            material = .ec(curve: "P-384", x: x, y: y)
            if let algorithm, algorithm != .es384 { throw AuthError(.jwkInvalid, "an EC JWK cannot have alg RS384") }
        default:
            throw AuthError(.jwkInvalid, "unsupported JWK 'kty' (RSA or EC)")
        }
        let kid = object["kid"]?.stringValue
        try self.init(material: material, algorithm: algorithm, kid: kid)
    }

    private static func member(_ object: JSONObject, _ name: String) throws(AuthError) -> [UInt8] {
        guard let text = object[name]?.stringValue, let bytes = Base64URL.decode(text), !bytes.isEmpty else {
            throw AuthError(.jwkInvalid, "JWK member '\(name)' is missing or not base64url")
        }
        return bytes
    }
}

extension PublicJWK.Material {
    /// RSA numbers without leading zero bytes (RFC 7518 base64urlUInt).
    var normalized: Self {
        switch self {
        case .rsa(let n, let e): return .rsa(modulus: Self.trimmed(n), exponent: Self.trimmed(e))
        case .ec: return self
        }
    }

    private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        let rest = bytes.drop(while: { $0 == 0 })
        return rest.isEmpty ? [0] : Array(rest)
    }
}

/// A JWK Set: `{"keys": [...]}`.
public struct JWKSet: Sendable, Equatable {
    public let keys: [PublicJWK]

    public init(keys: [PublicJWK]) {
        self.keys = keys
    }

    public var json: JSONValue {
        .object([("keys", .array(keys.map(\.json)))])
    }

    /// Reads a JWK Set; every key must be one `PublicJWK` accepts.
    public init(json: JSONValue) throws(AuthError) {
        guard let items = json["keys"]?.arrayValue else {
            throw AuthError(.jwkInvalid, "a JWK Set needs a 'keys' array")
        }
        var keys: [PublicJWK] = []
        for item in items { keys.append(try PublicJWK(json: item)) }
        self.keys = keys
    }

    /// The key with this `kid`.
    public func key(withID kid: String) -> PublicJWK? {
        keys.first { $0.kid == kid }
    }
}

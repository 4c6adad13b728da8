import FHIRJSON

/// A SMART Backend Services client assertion (`private_key_jwt`, RFC 7523) for the
/// `client_credentials` grant: a JWT signed by the client's private key with
/// `iss` = `sub` = client id, `aud` = the token endpoint, `exp` at most five minutes ahead and a
/// fresh `jti`. See https://hl7.org/fhir/smart-app-launch/backend-services.html.
public struct ClientAssertion: Sendable {
    /// SMART's upper bound for `exp - now`, in seconds.
    public static let maximumLifetime = 300

    public let clientID: String
    /// The authorization server's token endpoint URL (the `aud` claim).
    public let tokenEndpoint: String
    /// Seconds from `now` to `exp`: 1 to 300.
    public let lifetime: Int
    /// Whether to include `iat` (optional in SMART; some servers want it).
    public let includesIssuedAt: Bool

    public init(clientID: String, tokenEndpoint: String, lifetime: Int = maximumLifetime, includesIssuedAt: Bool = true)
        throws(AuthError)
    {
        guard !clientID.isEmpty else { throw AuthError(.invalidParameter, "the client id is empty") }
        guard tokenEndpoint.hasPrefix("https://") || tokenEndpoint.hasPrefix("http://") else {
            throw AuthError(.invalidParameter, "the token endpoint must be an http(s) URL")
        }
        guard (1...Self.maximumLifetime).contains(lifetime) else {
            throw AuthError(.invalidParameter, "the assertion lifetime must be 1 to \(Self.maximumLifetime) seconds")
        }
        self.clientID = clientID
        self.tokenEndpoint = tokenEndpoint
        self.lifetime = lifetime
        self.includesIssuedAt = includesIssuedAt
    }

    /// The JOSE header: `alg`, `typ` "JWT", `kid`.
    public func header(for key: SigningKey) -> JSONValue {
        .object([("alg", .string(key.algorithm.rawValue)), ("typ", .string("JWT")), ("kid", .string(key.keyID))])
    }

    /// The claims for an assertion made at `now` (seconds since the Unix epoch).
    public func claims(now: Int64, jwtID: String) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("iss", .string(clientID)), ("sub", .string(clientID)), ("aud", .string(tokenEndpoint)),
            ("exp", .number(String(now + Int64(lifetime)))), ("jti", .string(jwtID)),
        ]
        if includesIssuedAt { pairs.append(("iat", .number(String(now)))) }
        return .object(pairs)
    }

    /// The signed assertion (compact JWS) with a random 128-bit `jti`.
    public func signed(with key: SigningKey, now: Int64) throws(AuthError) -> String {
        try signed(with: key, now: now, jwtID: SecureRandom.hex(byteCount: 16))
    }

    /// The signed assertion with a given `jti` (each assertion needs a new one).
    public func signed(with key: SigningKey, now: Int64, jwtID: String) throws(AuthError) -> String {
        guard now >= 0 else { throw AuthError(.invalidParameter, "the time is before the Unix epoch") }
        guard !jwtID.isEmpty else { throw AuthError(.invalidParameter, "the jti is empty") }
        let input =
            Base64URL.encode(header(for: key).serialized()) + "."
            + Base64URL.encode(claims(now: now, jwtID: jwtID).serialized())
        let signature = try key.sign(Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }
}

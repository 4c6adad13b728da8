import FHIRAuth
import FHIRJSON
import Testing

@Suite("SMART Backend Services client assertions")
struct ClientAssertionTests {
    static let now: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    static let endpoint = "https://ehr.example.org/oauth2/token"

    @Test("header and claims are the SMART ones", arguments: SigningAlgorithm.allCases)
    func claims(algorithm: SigningAlgorithm) throws {
        let key = try #require(AuthTestSupport.key(algorithm))
        let assertion = try ClientAssertion(clientID: "fhirgate-clinic", tokenEndpoint: Self.endpoint)
        let token = try assertion.signed(with: key, now: Self.now)
        let jwt = try CompactJWT(parsing: token)
        #expect(jwt.header.objectValue?.keys == ["alg", "typ", "kid"])
        #expect(jwt.header["alg"] == .string(algorithm.rawValue))
        #expect(jwt.header["typ"] == .string("JWT"))
        #expect(jwt.header["kid"] == .string(key.keyID))
        #expect(jwt.claims["iss"] == .string("fhirgate-clinic"))
        #expect(jwt.claims["sub"] == .string("fhirgate-clinic"))
        #expect(jwt.claims["aud"] == .string(Self.endpoint))
        #expect(jwt.claims["exp"] == .number(String(Self.now + 300)))
        #expect(jwt.claims["iat"] == .number(String(Self.now)))
        let jti = try #require(jwt.claims["jti"]?.stringValue)
        #expect(
            jti.utf8.count == 32 && jti.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        let again = try CompactJWT(parsing: try assertion.signed(with: key, now: Self.now))
        #expect(again.claims["jti"] != jwt.claims["jti"])
    }

    @Test("a shorter lifetime and no iat are honoured; bad parameters are refused")
    func parameters() throws {
        let key = try #require(AuthTestSupport.ecKey)
        let short = try ClientAssertion(
            clientID: "c", tokenEndpoint: Self.endpoint, lifetime: 60, includesIssuedAt: false)
        let jwt = try CompactJWT(parsing: try short.signed(with: key, now: Self.now, jwtID: "abc"))
        #expect(jwt.claims["exp"] == .number(String(Self.now + 60)))
        #expect(jwt.claims["iat"] == nil)
        #expect(jwt.claims["jti"] == .string("abc"))
        #expect(throws: AuthError.self) {
            try ClientAssertion(clientID: "c", tokenEndpoint: Self.endpoint, lifetime: 301)
        }
        #expect(throws: AuthError.self) {
            try ClientAssertion(clientID: "c", tokenEndpoint: Self.endpoint, lifetime: 0)
        }
        #expect(throws: AuthError.self) { try ClientAssertion(clientID: "", tokenEndpoint: Self.endpoint) }
        #expect(throws: AuthError.self) { try ClientAssertion(clientID: "c", tokenEndpoint: "ehr.example.org/token") }
    }

    @Test("signatures verify with the public JWK and fail when any byte changes", arguments: SigningAlgorithm.allCases)
    func signatures(algorithm: SigningAlgorithm) throws {
        let key = try #require(AuthTestSupport.key(algorithm))
        let token = try ClientAssertion(clientID: "client", tokenEndpoint: Self.endpoint).signed(
            with: key, now: Self.now)
        let jwt = try CompactJWT(parsing: token)
        #expect(try jwt.verify(with: key.publicJWK))
        #expect(try jwt.verify(with: key.jwks))
        #expect(jwt.signature.count == (algorithm == .es384 ? 96 : 256))
        for part in 0..<3 {
            let changed = try CompactJWT(parsing: AuthTestSupport.tampered(token, part: part))
            #expect(try !changed.verify(with: key.publicJWK), "part \(part) changed and still verified")
        }
        // The JWK read back from its JSON verifies too; another key of the same kind does not.
        #expect(try jwt.verify(with: try PublicJWK(json: key.publicJWK.json)))
        let other = try SigningKey.generate(algorithm, rsaBits: 2048)
        #expect(try !jwt.verify(with: other.publicJWK))
        let wrongKind = try #require(AuthTestSupport.key(algorithm == .rs384 ? .es384 : .rs384))
        #expect(try !jwt.verify(with: wrongKind.publicJWK))
    }

    @Test("ES384 signatures are 96 bytes (R||S) every time")
    func ecSignatureLength() throws {
        let key = try #require(AuthTestSupport.ecKey)
        for i in 0..<40 {
            let signature = try key.sign(Array("message \(i)".utf8))
            #expect(signature.count == 96)
            #expect(try key.publicJWK.verify(signature: signature, of: Array("message \(i)".utf8)))
        }
    }

    @Test("malformed tokens are errors, alg none never verifies")
    func malformed() throws {
        #expect(throws: AuthError.self) { try CompactJWT(parsing: "a.b") }
        #expect(throws: AuthError.self) { try CompactJWT(parsing: "!!.e30.") }
        #expect(throws: AuthError.self) { try CompactJWT(parsing: Base64URL.encode("[1]") + ".e30.") }
        let key = try #require(AuthTestSupport.ecKey)
        let none = Base64URL.encode(#"{"alg":"none"}"#) + "." + Base64URL.encode(#"{"iss":"x"}"#) + "."
        #expect(try !CompactJWT(parsing: none).verify(with: key.publicJWK))
    }
}

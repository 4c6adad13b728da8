import FHIRAuth
import FHIRJSON
import Testing

@Suite("JWKs, JWK Sets and RFC 7638 thumbprints")
struct JWKTests {
    /// RFC 7638 section 3.1: the example RSA key and its published thumbprint.
    static let rfcModulus =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3o"
        + "knjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdA"
        + "ZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
        + "kEgU8awapJzKnqDKgw"
    static let rfcThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

    @Test("the RFC 7638 example key has the published thumbprint")
    func rfcExample() throws {
        let n = try #require(Base64URL.decode(Self.rfcModulus))
        #expect(n.count == 256)
        let thumbprint = try PublicJWK.thumbprint(of: .rsa(modulus: n, exponent: [1, 0, 1]))
        #expect(thumbprint == Self.rfcThumbprint)
        let parsed = try PublicJWK(
            json: .object([
                ("kty", .string("RSA")), ("n", .string(Self.rfcModulus)), ("e", .string("AQAB")),
                ("alg", .string("RS384")),
            ]))
        #expect(parsed.kid == Self.rfcThumbprint)
        // A leading zero byte does not change the key, so it does not change the thumbprint.
        #expect(try PublicJWK.thumbprint(of: .rsa(modulus: [0] + n, exponent: [0, 1, 0, 1])) == Self.rfcThumbprint)
    }

    @Test("an RSA JWKS has kty, kid, use, alg, n, e in that order, base64url without padding")
    func rsaFields() throws {
        let key = try #require(AuthTestSupport.rsaKey)
        let jwks = key.jwks.json
        let jwk = try #require(jwks["keys"]?.arrayValue?.first?.objectValue)
        #expect(jwks["keys"]?.arrayValue?.count == 1)
        #expect(jwk.keys == ["kty", "kid", "use", "alg", "n", "e"])
        #expect(jwk["kty"] == .string("RSA") && jwk["use"] == .string("sig") && jwk["alg"] == .string("RS384"))
        #expect(jwk["e"] == .string("AQAB"))
        let n = try #require(jwk["n"]?.stringValue)
        #expect(!n.contains("=") && !n.contains("+") && !n.contains("/"))
        #expect(Base64URL.decode(n)?.count == 256)
        #expect(Base64URL.decode(n)?.first != 0)
        #expect(jwk["kid"] == .string(try PublicJWK.thumbprint(of: key.publicJWK.material)))
        #expect(key.keyID.utf8.count == 43)
    }

    @Test("an EC JWKS has kty, kid, use, alg, crv P-384 and 48-byte x and y")
    func ecFields() throws {
        let key = try #require(AuthTestSupport.ecKey)
        let jwk = try #require(key.jwks.json["keys"]?.arrayValue?.first?.objectValue)
        #expect(jwk.keys == ["kty", "kid", "use", "alg", "crv", "x", "y"])
        #expect(jwk["kty"] == .string("EC") && jwk["crv"] == .string("P-384") && jwk["alg"] == .string("ES384"))
        #expect(jwk["x"]?.stringValue.flatMap { Base64URL.decode($0) }?.count == 48)
        #expect(jwk["y"]?.stringValue.flatMap { Base64URL.decode($0) }?.count == 48)
        #expect(jwk["x"]?.stringValue?.utf8.count == 64)
        // Required members only, sorted: {"crv","kty","x","y"}.
        let x = try #require(jwk["x"]?.stringValue)
        let y = try #require(jwk["y"]?.stringValue)
        let canonical = #"{"crv":"P-384","kty":"EC","x":""# + x + #"","y":""# + y + #""}"#
        #expect(canonical.utf8.count > 100)
        #expect(jwk["kid"] == .string(key.keyID))
    }

    @Test("a JWKS parses back to the same keys; private members and other curves are refused")
    func parsing() throws {
        let rsa = try #require(AuthTestSupport.rsaKey)
        let ec = try #require(AuthTestSupport.ecKey)
        let set = JWKSet(keys: [rsa.publicJWK, ec.publicJWK])
        let reparsed = try JWKSet(json: try JSONValue.parse(set.json.text()))
        #expect(reparsed == set)
        #expect(reparsed.key(withID: ec.keyID) == ec.publicJWK)

        var withPrivate = try #require(ec.publicJWK.json.objectValue)
        withPrivate.append("d", .string("AAAA"))
        #expect(throws: AuthError.self) { try PublicJWK(json: .object(withPrivate)) }
        let p256 = JSONValue.object([
            ("kty", .string("EC")), ("crv", .string("P-256")), ("x", .string("AAAA")), ("y", .string("AAAA")),
        ])
        #expect(throws: AuthError.self) { try PublicJWK(json: p256) }
        let mixed = JSONValue.object([
            ("kty", .string("RSA")), ("alg", .string("ES384")), ("n", .string(Self.rfcModulus)), ("e", .string("AQAB")),
        ])
        #expect(throws: AuthError.self) { try PublicJWK(json: mixed) }
        #expect(throws: AuthError.self) { try JWKSet(json: .object([("keys", .string("none"))])) }
    }

    @Test("base64url round trips every length and rejects padding and foreign characters")
    func base64url() {
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 250) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.decode("Zg==") == nil)
        #expect(Base64URL.decode("Zm9v+") == nil)
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zh") == nil)  // non-zero trailing bits
    }
}

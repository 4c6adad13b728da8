import FHIRAuth
import FHIRGateTesting
import FHIRJSON

#if canImport(Glibc)
    import Glibc
#endif

/// A SMART Backend Services client key for the reference-EHR tests, made and used with our own
/// `FHIRAuth` (so these tests also show that the real server accepts our JWKS and assertions):
/// a key, its public JWKS, and signed client assertions.
struct ReferenceEHRClientKey {
    let key: SigningKey
    let privateKeyFile: String

    var kid: String { key.keyID }
    /// The public JWKS to register with the server, as JSON text.
    var jwks: String { String(decoding: key.jwks.json.serialized(), as: UTF8.self) }

    /// Generates a key (RS384 by default) and writes it, mode 0600, into `directory`.
    static func generate(in directory: String, algorithm: SigningAlgorithm = .rs384) throws -> ReferenceEHRClientKey {
        let key = try SigningKey.generate(algorithm, rsaBits: 2048)
        let file = directory + "/client-key.pem"
        try key.writePEM(to: file, overwrite: false)
        return ReferenceEHRClientKey(key: key, privateKeyFile: file)
    }

    /// A signed client assertion for `clientId` at `tokenURL`, valid for four minutes.
    func clientAssertion(clientId: String, tokenURL: String) throws -> String {
        try ClientAssertion(clientID: clientId, tokenEndpoint: tokenURL, lifetime: 240)
            .signed(with: key, now: Int64(time(nil)))
    }
}

import FHIRGateTesting
import Foundation
import Testing

@testable import FHIRAuth

/// Cross-checks with the `openssl` command-line tool: our signatures verify with
/// `openssl dgst -verify`, and signatures made by `openssl dgst -sign` verify with our verifier.
@Suite("cross-check with the openssl tool")
struct OpenSSLCrossCheckTests {
    @Test("signatures agree with openssl dgst -sha384 in both directions", arguments: SigningAlgorithm.allCases)
    func crossCheck(algorithm: SigningAlgorithm) throws {
        guard AuthTestSupport.opensslPath != nil else {
            print("skipped: the openssl command-line tool is not installed")
            return
        }
        let key = try #require(AuthTestSupport.key(algorithm))
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        try key.writePEM(to: dir + "/private.pem")
        let pub = try AuthTestSupport.openssl([
            "pkey", "-in", dir + "/private.pem", "-pubout", "-out", dir + "/public.pem",
        ])
        #expect(pub.status == 0, "\(pub.stderr)")

        // Ours -> openssl (which wants DER for ECDSA).
        let message = Array("eyJhbGciOiJFUzM4NCJ9.eyJpc3MiOiJjIn0".utf8)
        try AuthTestSupport.writeFile(dir + "/message.txt", message)
        let signature = try key.sign(message)
        let forOpenSSL =
            algorithm == .es384 ? try ECDSASignature.der(fromJOSE: signature, componentSize: 48) : signature
        try AuthTestSupport.writeFile(dir + "/ours.sig", forOpenSSL)
        let verified = try AuthTestSupport.openssl([
            "dgst", "-sha384", "-verify", dir + "/public.pem", "-signature", dir + "/ours.sig", dir + "/message.txt",
        ])
        #expect(verified.status == 0, "openssl did not verify our \(algorithm.rawValue) signature: \(verified.stderr)")

        // openssl -> ours.
        let signed = try AuthTestSupport.openssl([
            "dgst", "-sha384", "-sign", dir + "/private.pem", "-out", dir + "/theirs.sig", dir + "/message.txt",
        ])
        #expect(signed.status == 0, "\(signed.stderr)")
        let theirs = try AuthTestSupport.readFile(dir + "/theirs.sig")
        let jose = algorithm == .es384 ? try ECDSASignature.joseForm(fromDER: theirs, componentSize: 48) : theirs
        #expect(try key.publicJWK.verify(signature: jose, of: message))
        var changed = message
        changed[0] ^= 0x20
        #expect(try !key.publicJWK.verify(signature: jose, of: changed))
    }
}

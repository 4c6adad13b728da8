import ArgumentParser
import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `fhirgate keys check`: signs a test client assertion with a private key and verifies it with
/// the key's public JWK, or with a JWK Set registered elsewhere.
struct KeysCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a private key signs client assertions that its (registered) JWKS verifies.",
        discussion: """
            Loads the private key, signs a SMART Backend Services client assertion (iss and sub \
            --client-id, aud --token-endpoint, exp five minutes ahead) and verifies the signature \
            with the key's own public JWK, or, with --jwks, with the key of that JWK Set whose kid \
            matches: the way to confirm that what was registered with the EHR belongs to this key. \
            The assertion itself is printed only with --print-assertion (it is a credential for five \
            minutes).

            Exit status: 0 when the signature verifies, 1 when it does not (or the JWKS has no key \
            with this key's kid), 2 for wrong arguments or unreadable files.

            Examples:
              fhirgate keys check secrets/ehr-client.pem
              fhirgate keys check secrets/ehr-client.pem --jwks ehr-client.jwks.json
            """
    )

    @Argument(help: ArgumentHelp("The private key (PEM).", valueName: "private-key"))
    var privateKey: String

    @Option(help: ArgumentHelp("A JWK Set file to verify with (the one registered with the EHR).", valueName: "file"))
    var jwks: String?

    @Option(help: ArgumentHelp("The client id for the test assertion.", valueName: "id"))
    var clientID = "fhirgate-keys-check"

    @Option(help: ArgumentHelp("The token endpoint for the test assertion.", valueName: "url"))
    var tokenEndpoint = "https://localhost/token"

    @Flag(help: "Print the signed test assertion on standard output.")
    var printAssertion = false

    func run() throws {
        let key = try KeysOutput.loadKey(privateKey, command: "check")
        var verifier = key.jwks
        if let jwks {
            do {
                verifier = try JWKSet(json: JSONValue.parse(FileBytes.read(jwks)))
            } catch {
                printError("fhirgate keys check: \(jwks): not a JWK Set FHIRGate can read (\(error))")
                throw FHIRGateExit.inputError
            }
        }
        let token: String
        let verified: Bool
        do {
            let assertion = try ClientAssertion(clientID: clientID, tokenEndpoint: tokenEndpoint)
            token = try assertion.signed(with: key, now: Int64(time(nil)))
            verified = try CompactJWT(parsing: token).verify(with: verifier)
        } catch {
            printError("fhirgate keys check: \(error)")
            throw error.code == .cryptoFailure ? ExitCode.failure : FHIRGateExit.inputError
        }
        if printAssertion { print(token) }
        guard verified else {
            let reason =
                verifier.key(withID: key.keyID) == nil ? "has no key with kid \(key.keyID)" : "rejects the signature"
            printError("fhirgate keys check: \(KeysOutput.describe(key)): the JWKS \(reason)")
            throw FHIRGateExit.findings
        }
        printError("OK: \(KeysOutput.describe(key)) signs assertions that the JWKS verifies.")
    }
}

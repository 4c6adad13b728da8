import ArgumentParser
import FHIRGate

/// `fhirgate keys jwks`: the public JWK Set of an existing private key.
struct KeysJWKSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwks",
        abstract: "Print the public JWK Set of a private key file.",
        discussion: """
            The key file is a PEM private key: PKCS#8 (BEGIN PRIVATE KEY) or the traditional RSA or \
            EC forms, RSA of at least 2048 bits (RS384) or EC on P-384 (ES384). Encrypted keys are \
            not supported. The JWK Set, {"keys": [{kty, kid, use "sig", alg, ...}]} with kid the \
            RFC 7638 thumbprint, goes to standard output; it is the same every time for the same key.

            Exit status: 0 on success, 2 for wrong arguments or a key file that cannot be read or is \
            not a supported private key.

            Examples:
              fhirgate keys jwks secrets/ehr-client.pem
              fhirgate keys jwks secrets/ehr-client.pem > ehr-client.jwks.json
            """
    )

    @Argument(help: ArgumentHelp("The private key (PEM).", valueName: "private-key"))
    var privateKey: String

    func run() throws {
        let key = try KeysOutput.loadKey(privateKey, command: "jwks")
        KeysOutput.printJSON(key.jwks.json)
    }
}

import ArgumentParser
import FHIRGate

/// `fhirgate keys generate`: a new private key in a 0600 PEM file, and its public JWK Set.
struct KeysGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a signing key: the private key goes to a file (mode 0600), the public JWKS to stdout.",
        discussion: """
            RS384 makes an RSA key of 3072 bits (about 128-bit security, good beyond 2030; every \
            SMART server supports RS384). ES384 makes an EC key on P-384: smaller and faster to \
            sign with, when the EHR accepts it. The private key is written as unencrypted PKCS#8 \
            PEM to a new file created with mode 0600 (default: fhirgate-<alg>-key.pem in the current \
            folder). An existing file is never overwritten unless --force is given; then the new key \
            is written to a fresh 0600 file beside it and renamed over it.

            Standard output: the public JWK Set to register with the EHR, {"keys": [{kty, kid, use \
            "sig", alg, n and e or crv, x and y}]}, with kid the key's RFC 7638 thumbprint. With \
            --format json: {"file", "alg", "kid", "jwks"} instead. A note on where the key went goes \
            to standard error.

            Exit status: 0 on success, 2 for wrong arguments or when the file exists or cannot be \
            written.

            Examples:
              fhirgate keys generate -o secrets/ehr-client.pem > ehr-client.jwks.json
              fhirgate keys generate --alg ES384 -o secrets/es384.pem
              fhirgate keys generate --alg RS384 -o secrets/ehr-client.pem --force --format json
            """
    )

    @Option(help: ArgumentHelp("The JWS algorithm: RS384 (RSA 3072) or ES384 (EC P-384).", valueName: "alg"))
    var alg: KeyAlgorithmArgument = .rs384

    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp("The private key file to create (default: fhirgate-<alg>-key.pem).", valueName: "path"))
    var output: String?

    @Flag(help: "Replace the key file when it exists (the old key is lost).")
    var force = false

    @Option(help: "Output format: text prints the JWKS; json an object with the file, alg, kid and JWKS.")
    var format: KeysOutputFormat = .text

    func validate() throws {
        if let output, output.isEmpty || output.hasSuffix("/") {
            throw ValidationError("-o needs a file name, not a folder")
        }
    }

    func run() throws {
        let path = output ?? "fhirgate-\(alg.rawValue.lowercased())-key.pem"
        let key: SigningKey
        do {
            key = try SigningKey.generate(alg.algorithm)
            try key.writePEM(to: path, overwrite: force)
        } catch {
            printError("fhirgate keys generate: \(error)")
            throw error.code == .cryptoFailure ? ExitCode.failure : FHIRGateExit.inputError
        }
        switch format {
        case .text:
            printError("Wrote the private key \(KeysOutput.describe(key)) to \(path) (mode 0600). Keep it secret.")
            printError("Register the public JWK Set below with the EHR (it holds no secret).")
            KeysOutput.printJSON(key.jwks.json)
        case .json:
            KeysOutput.printJSON(
                .object([
                    ("file", .string(path)), ("alg", .string(key.algorithm.rawValue)), ("kid", .string(key.keyID)),
                    ("jwks", key.jwks.json),
                ]))
        }
    }
}

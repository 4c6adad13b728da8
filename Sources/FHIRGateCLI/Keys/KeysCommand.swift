import ArgumentParser
import FHIRGate

/// `fhirgate keys`: the private key FHIRGate signs SMART Backend Services client assertions with,
/// and the public JWK Set to register with an EHR.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make and inspect the signing keys for SMART Backend Services (RS384, ES384).",
        discussion: """
            A SMART Backend Services client proves who it is with a JWT signed by its private key \
            (private_key_jwt). The EHR knows the client by its public key: a JWK Set registered with \
            the EHR, in which each key's kid is its RFC 7638 thumbprint. Private keys are PEM files \
            (PKCS#8, mode 0600); they are never printed and never appear in messages.
            """,
        subcommands: [KeysGenerateCommand.self, KeysJWKSCommand.self, KeysCheckCommand.self]
    )
}

/// The `--alg` values (case-insensitive on input).
enum KeyAlgorithmArgument: String, ExpressibleByArgument, CaseIterable {
    case rs384 = "RS384"
    case es384 = "ES384"

    init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }

    var algorithm: SigningAlgorithm {
        switch self {
        case .rs384: return .rs384
        case .es384: return .es384
        }
    }
}

/// Output formats of the key commands.
enum KeysOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Shared behaviour of the key commands.
enum KeysOutput {
    /// Loads a private key, or reports why not (exit 2).
    static func loadKey(_ path: String, command: String) throws -> SigningKey {
        do {
            return try SigningKey.load(pemFile: path)
        } catch {
            printError("fhirgate keys \(command): \(error)")
            throw FHIRGateExit.inputError
        }
    }

    /// A one-line description of a key: algorithm, type and size, kid.
    static func describe(_ key: SigningKey) -> String {
        let kind = key.algorithm == .rs384 ? "RSA \(key.bits) bits" : "EC P-384"
        return "\(key.algorithm.rawValue) (\(kind)), kid \(key.keyID)"
    }

    /// Writes JSON (pretty, ending with a newline) to standard output.
    static func printJSON(_ value: JSONValue) {
        StandardStreams.writeStandardOutput(Array(value.text(pretty: true).utf8))
    }
}

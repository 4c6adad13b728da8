import Foundation
import Testing

@testable import GatewayConfig

@Suite struct SecretSourceTests {
    @Test func environmentSecretsResolveAndMissingOnesNameTheVariable() throws {
        #expect(try SecretSource.environment("TOKEN_X").resolve(environment: ["TOKEN_X": "abc"]) == "abc")
        #expect(throws: ConfigError("secret: environment variable TOKEN_Y is not set")) {
            try SecretSource.environment("TOKEN_Y").resolve(environment: [:])
        }
    }

    @Test func fileSecretsDropTheTrailingNewline() throws {
        let path = NSTemporaryDirectory() + "secret-\(UUID().uuidString)"
        try "s3cret\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SecretSource.file(path).resolve() == "s3cret")
        #expect(!SecretSource.file(path).description.contains("s3cret"))
    }

    @Test func aTargetsSecretsAreCheckedUpFrontNamingTargetKeyAndSource() throws {
        let target = TargetConfiguration(
            name: "epic", baseURL: "https://ehr.example/fhir", auth: .bearer(token: .environment("EPIC_TOKEN")),
            tls: TLSSettings(
                clientCertificate: "/pki/c.pem", clientKey: "/pki/c.key", clientKeyPassword: .environment("KEY_PW")))
        #expect(target.secrets.map(\.keyPath) == ["auth.token", "tls.clientKeyPassword"])
        try target.checkSecrets(environment: ["EPIC_TOKEN": "t0k", "KEY_PW": "pw"])
        #expect(
            throws: ConfigError("target epic: tls.clientKeyPassword: secret: environment variable KEY_PW is not set")
        ) {
            try target.checkSecrets(environment: ["EPIC_TOKEN": "t0k"])
        }
        let none = TargetConfiguration(name: "open", baseURL: "https://ehr.example/fhir")
        #expect(none.secrets.isEmpty)
        try none.checkSecrets(environment: [:])
    }
}

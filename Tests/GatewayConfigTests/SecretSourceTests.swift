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
}

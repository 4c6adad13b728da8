import FHIRGate
import FHIRGateTesting
import Foundation
import Testing

@Suite("fhirgate keys (runs the built binary)")
struct KeysCommandTests {
    @Test("every keys command has help with a discussion and examples", arguments: ["generate", "jwks", "check"])
    func helpTexts(_ command: String) throws {
        let out = try BinaryRunner.run(["keys", command, "--help"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(out.stdoutText.contains("USAGE: fhirgate keys " + command), "\(out.stdoutText)")
        #expect(out.stdoutText.contains("Examples:"))
        #expect(out.stdoutText.contains("Exit status:"))
    }

    @Test("generate writes a 0600 key and prints its JWKS; jwks prints the same JWKS again")
    func generateES384() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let path = dir + "/client.pem"
        let out = try BinaryRunner.run(["keys", "generate", "--alg", "ES384", "-o", path])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(Self.mode(path) == 0o600)
        #expect(out.stderr.contains(path) && out.stderr.contains("0600"))
        #expect(!out.stdoutText.contains("PRIVATE") && !out.stderr.contains("BEGIN"))
        let jwks = try JSONValue.parse(out.stdout)
        let jwk = try #require(jwks["keys"]?.arrayValue?.first)
        #expect(jwk["kty"] == .string("EC") && jwk["alg"] == .string("ES384") && jwk["crv"] == .string("P-384"))
        #expect(jwk["use"] == .string("sig") && jwk["d"] == nil)
        let key = try SigningKey.load(pemFile: path)
        #expect(jwk["kid"] == .string(key.keyID))
        #expect(jwks == key.jwks.json)

        let again = try BinaryRunner.run(["keys", "jwks", path])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(again.stdout == out.stdout)
    }

    @Test("an existing key file is refused (exit 2, unchanged) unless --force; --force keeps mode 0600")
    func overwrite() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let path = dir + "/client.pem"
        let first = try BinaryRunner.run(["keys", "generate", "--alg", "es384", "-o", path])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let refused = try BinaryRunner.run(["keys", "generate", "--alg", "ES384", "-o", path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("already exists"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let forced = try BinaryRunner.run(["keys", "generate", "--alg", "ES384", "-o", path, "--force"])
        #expect(forced.status == 0, "stderr: \(forced.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) != before)
        #expect(Self.mode(path) == 0o600)
        #expect(forced.stdout != first.stdout)
    }

    @Test("RS384 is the default: an RSA 3072 key; --format json gives file, alg, kid and jwks")
    func generateRS384JSON() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let path = dir + "/rsa.pem"
        let out = try BinaryRunner.run(["keys", "generate", "-o", path, "--format", "json"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let json = try JSONValue.parse(out.stdout)
        #expect(json.objectValue?.keys == ["file", "alg", "kid", "jwks"])
        #expect(json["file"] == .string(path) && json["alg"] == .string("RS384"))
        let jwk = try #require(json["jwks"]?["keys"]?.arrayValue?.first)
        #expect(jwk["kid"] == json["kid"] && jwk["kty"] == .string("RSA") && jwk["e"] == .string("AQAB"))
        #expect(jwk["n"]?.stringValue.flatMap { Base64URL.decode($0) }?.count == 384)
        #expect(Self.mode(path) == 0o600)
    }

    @Test("check verifies with the key's own JWKS (0) and reports a JWKS of another key (1)")
    func check() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let a = try BinaryRunner.run(["keys", "generate", "--alg", "ES384", "-o", dir + "/a.pem"])
        let b = try BinaryRunner.run(["keys", "generate", "--alg", "ES384", "-o", dir + "/b.pem"])
        #expect(a.status == 0 && b.status == 0)
        try Data(a.stdout).write(to: URL(fileURLWithPath: dir + "/a.jwks.json"))
        try Data(b.stdout).write(to: URL(fileURLWithPath: dir + "/b.jwks.json"))
        let own = try BinaryRunner.run(["keys", "check", dir + "/a.pem"])
        #expect(own.status == 0, "stderr: \(own.stderr)")
        let registered = try BinaryRunner.run(["keys", "check", dir + "/a.pem", "--jwks", dir + "/a.jwks.json"])
        #expect(registered.status == 0, "stderr: \(registered.stderr)")
        #expect(registered.stdout.isEmpty, "the assertion is printed only when asked")
        let other = try BinaryRunner.run(["keys", "check", dir + "/a.pem", "--jwks", dir + "/b.jwks.json"])
        #expect(other.status == 1)
        #expect(other.stderr.contains("has no key with kid"), "\(other.stderr)")
        let printed = try BinaryRunner.run(["keys", "check", dir + "/a.pem", "--print-assertion"])
        #expect(printed.status == 0)
        #expect(printed.stdoutText.split(separator: ".").count == 3)
    }

    @Test("unreadable, broken and wrong keys exit 2 without key material in the message")
    func badKeys() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let missing = try BinaryRunner.run(["keys", "jwks", dir + "/missing.pem"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing.pem"))

        let made = try BinaryRunner.run(["keys", "generate", "--alg", "ES384", "-o", dir + "/good.pem"])
        #expect(made.status == 0)
        var pem = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/good.pem")))
        pem.removeSubrange(70..<100)
        try Data(pem).write(to: URL(fileURLWithPath: dir + "/broken.pem"))
        let broken = try BinaryRunner.run(["keys", "jwks", dir + "/broken.pem"])
        #expect(broken.status == 2)
        #expect(broken.stdout.isEmpty)
        let lines = String(decoding: pem, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("-----") }
        for line in lines {
            #expect(!broken.stderr.contains(line.prefix(12)), "key material in: \(broken.stderr)")
        }
        #expect(broken.stderr.contains("not a PEM private key"), "\(broken.stderr)")

        let usage = try BinaryRunner.run(["keys", "generate", "--alg", "HS256", "-o", dir + "/x.pem"])
        #expect(usage.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.pem"))
    }

    static func mode(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode & 0o777)
    }
}

import FHIRAuth
import FHIRGateTesting
import Foundation
import Testing

@Suite("signing keys: generation, PEM files, loading")
struct KeyFileTests {
    @Test(
        "generated keys are written 0600 as PKCS#8 and load back to the same key", arguments: SigningAlgorithm.allCases)
    func roundTrip(algorithm: SigningAlgorithm) throws {
        let key = try #require(AuthTestSupport.key(algorithm))
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let path = dir + "/key.pem"
        try key.writePEM(to: path)
        #expect(AuthTestSupport.mode(path) == 0o600)
        let text = String(decoding: try AuthTestSupport.readFile(path), as: UTF8.self)
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let loaded = try SigningKey.load(pemFile: path)
        #expect(loaded.algorithm == algorithm)
        #expect(loaded.publicJWK == key.publicJWK)
        #expect(loaded.keyID == key.keyID)
    }

    @Test("the default RSA key has 3072 bits; the EC key is on P-384")
    func sizes() throws {
        let rsa = try SigningKey.generate(.rs384)
        #expect(rsa.bits == 3072 && rsa.algorithm == .rs384)
        let ec = try #require(AuthTestSupport.ecKey)
        #expect(ec.bits == 384)
        #expect(throws: AuthError.self) { try SigningKey.generate(.rs384, rsaBits: 1024) }
    }

    @Test("an existing file is never overwritten unless asked; replacing keeps mode 0600")
    func refusesOverwrite() throws {
        let key = try #require(AuthTestSupport.ecKey)
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let path = dir + "/key.pem"
        try AuthTestSupport.writeFile(path, Array("keep me".utf8))
        chmod(path, 0o644)
        do {
            try key.writePEM(to: path)
            Issue.record("an existing file was overwritten")
        } catch {
            #expect(error.code == .keyFileExists)
        }
        #expect(try AuthTestSupport.readFile(path) == Array("keep me".utf8))
        try key.writePEM(to: path, overwrite: true)
        #expect(AuthTestSupport.mode(path) == 0o600)
        #expect(try SigningKey.load(pemFile: path).keyID == key.keyID)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["key.pem"])
    }

    @Test("a key file is not written through a symbolic link")
    func noSymlinkFollow() throws {
        let key = try #require(AuthTestSupport.ecKey)
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        symlink(dir + "/elsewhere.pem", dir + "/key.pem")
        #expect(throws: AuthError.self) { try key.writePEM(to: dir + "/key.pem") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/elsewhere.pem"))
    }

    @Test("traditional PEM keys made by the openssl tool load (RSA and EC)")
    func traditionalForms() throws {
        guard AuthTestSupport.opensslPath != nil else {
            print("skipped: the openssl command-line tool is not installed")
            return
        }
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let rsa = try AuthTestSupport.openssl(["genrsa", "-traditional", "-out", dir + "/rsa.pem", "2048"])
        #expect(rsa.status == 0, "\(rsa.stderr)")
        let ec = try AuthTestSupport.openssl([
            "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", dir + "/ec.pem",
        ])
        #expect(ec.status == 0, "\(ec.stderr)")
        #expect(
            String(decoding: try AuthTestSupport.readFile(dir + "/rsa.pem"), as: UTF8.self).contains(
                "BEGIN RSA PRIVATE KEY"))
        #expect(
            String(decoding: try AuthTestSupport.readFile(dir + "/ec.pem"), as: UTF8.self).contains(
                "BEGIN EC PRIVATE KEY"))
        #expect(try SigningKey.load(pemFile: dir + "/rsa.pem").algorithm == .rs384)
        #expect(try SigningKey.load(pemFile: dir + "/ec.pem").algorithm == .es384)
    }

    @Test("load errors are clear and never contain key material")
    func loadErrors() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        func failure(_ path: String) -> AuthError? {
            do {
                _ = try SigningKey.load(pemFile: path)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure(dir + "/missing.pem")?.code == .keyFileUnreadable)
        #expect(failure(dir + "/missing.pem")?.description.contains("missing.pem") == true)

        let key = try #require(AuthTestSupport.ecKey)
        var pem = try key.pkcs8PEM()
        let body = String(decoding: pem, as: UTF8.self).split(separator: "\n").dropFirst().first.map(String.init) ?? "?"
        pem[40] = pem[40] == 0x41 ? 0x42 : 0x41
        pem.removeSubrange(60..<90)
        try AuthTestSupport.writeFile(dir + "/broken.pem", pem)
        let broken = try #require(failure(dir + "/broken.pem"))
        #expect(broken.code == .keyInvalid)
        #expect(!broken.description.contains(String(body.prefix(12))))
        #expect(!Self.leaksMaterial(broken, of: pem))

        try AuthTestSupport.writeFile(dir + "/garbage.pem", Array("hello\n".utf8))
        #expect(failure(dir + "/garbage.pem")?.code == .keyInvalid)

        guard AuthTestSupport.opensslPath != nil else {
            print("skipped (encrypted, public and P-256 keys): the openssl command-line tool is not installed")
            return
        }
        try AuthTestSupport.writeFile(dir + "/good.pem", try key.pkcs8PEM())
        try AuthTestSupport.openssl(["pkey", "-in", dir + "/good.pem", "-pubout", "-out", dir + "/public.pem"])
        try AuthTestSupport.openssl([
            "pkey", "-in", dir + "/good.pem", "-aes256", "-passout", "pass:secret", "-out", dir + "/encrypted.pem",
        ])
        try AuthTestSupport.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir + "/p256.pem"])
        let publicOnly = try #require(failure(dir + "/public.pem"))
        #expect(publicOnly.code == .keyInvalid && publicOnly.message.contains("public key"))
        let encrypted = try #require(failure(dir + "/encrypted.pem"))
        #expect(encrypted.code == .keyInvalid && encrypted.message.contains("encrypted"))
        let p256 = try #require(failure(dir + "/p256.pem"))
        #expect(p256.code == .keyUnsupported && p256.message.contains("P-384"))
        for (error, file) in [(publicOnly, "public.pem"), (encrypted, "encrypted.pem"), (p256, "p256.pem")] {
            #expect(!Self.leaksMaterial(error, of: try AuthTestSupport.readFile(dir + "/" + file)), "\(error)")
        }
    }

    /// Whether an error's text holds a piece (12 characters) of any base64 line of a PEM file.
    static func leaksMaterial(_ error: AuthError, of pem: [UInt8]) -> Bool {
        let lines = String(decoding: pem, as: UTF8.self).split(separator: "\n").filter {
            !$0.hasPrefix("-----") && !$0.contains(":") && $0.count >= 12
        }
        return lines.contains { line in
            stride(from: 0, to: line.count - 11, by: 4).contains { start in
                let piece = line.dropFirst(start).prefix(12)
                return error.description.contains(piece) || error.message.contains(piece)
            }
        }
    }
}

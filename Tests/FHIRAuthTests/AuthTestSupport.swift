import FHIRAuth
import FHIRGateTesting
import Foundation

/// Keys shared by the tests (generated once: RSA generation takes a moment) and the `openssl`
/// command-line tool for cross-checks.
enum AuthTestSupport {
    static let rsaKey: SigningKey? = try? SigningKey.generate(.rs384, rsaBits: 2048)
    static let ecKey: SigningKey? = try? SigningKey.generate(.es384)

    static func key(_ algorithm: SigningAlgorithm) -> SigningKey? {
        algorithm == .rs384 ? rsaKey : ecKey
    }

    /// The `openssl` binary, when installed.
    static let opensslPath: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs `openssl` with arguments; returns its exit status and standard error.
    @discardableResult
    static func openssl(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        guard let opensslPath else { return (-1, "openssl not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The permission bits of a file.
    static func mode(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode & 0o777)
    }

    /// A copy of `token` with one character of part `part` (0 header, 1 claims, 2 signature)
    /// changed so the part still decodes (and header and claims stay JSON).
    static func tampered(_ token: String, part: Int) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var bytes = Base64URL.decode(parts[part]) ?? []
        if part == 2 {
            if !bytes.isEmpty { bytes[bytes.count / 2] ^= 0x01 }
        } else if let i = bytes.indices.dropFirst(bytes.count / 2).first(where: { (0x61...0x79).contains(bytes[$0]) }) {
            bytes[i] += 1  // a letter inside the JSON becomes the next letter: still JSON
        }
        parts[part] = Base64URL.encode(bytes)
        return parts.joined(separator: ".")
    }
}

import FHIRGate
import FHIRGateTesting
import Foundation
import Testing

/// `fhirgate packages install --from URL` against a real HTTP server on 127.0.0.1
/// (Python's http.server, started and stopped by the test).
@Suite("fhirgate packages install --from URL")
struct PackagesInstallURLTests {
    @Test("downloads a tarball over HTTP, installs it, and reports a 404 as an input error")
    func installFromURL() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        try FileBytes.makeDirectories(dir + "/src/package")
        try FileBytes.writeAtomically(
            Array(#"{"name": "test.download", "version": "1.2.3", "fhirVersions": ["4.0.1"]}"#.utf8),
            to: dir + "/src/package/package.json")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-czf", dir + "/www/pkg.tgz", "-C", dir + "/src", "package"]
        try FileBytes.makeDirectories(dir + "/www")
        try tar.run()
        tar.waitUntilExit()
        try #require(tar.terminationStatus == 0)

        let server = try LocalHTTPServer(directory: dir + "/www")
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"

        let ok = try BinaryRunner.run([
            "packages", "install", "test.download#1.2.3", "--from", base + "/pkg.tgz", "--package-cache",
            dir + "/cache",
        ])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        #expect(FileBytes.exists(dir + "/cache/test.download#1.2.3/package/package.json"))

        let missing = try BinaryRunner.run([
            "packages", "install", "test.download#9.9.9", "--from", base + "/nope.tgz", "--package-cache",
            dir + "/cache",
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("404"))
        #expect(!FileBytes.exists(dir + "/cache/test.download#9.9.9"))
    }
}

/// Python's http.server bound to 127.0.0.1 on a free port, serving one directory.
final class LocalHTTPServer {
    let process = Process()
    let port: Int

    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    init(directory: String) throws {
        port = try LoopbackPorts.freePort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", directory,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (at most ~10 s) until the server accepts connections.
        for _ in 0..<200 {
            if LoopbackPorts.isListening(port) { return }
            usleep(50_000)
        }
        stop()
        throw StartError(description: "http.server did not start on port \(port)")
    }

    /// Stops the server. SIGKILL, because a child spawned from a test thread inherits that
    /// thread's blocked signals, and SIGTERM would then never arrive.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

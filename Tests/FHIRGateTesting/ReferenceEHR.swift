import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The reference EHR for integration tests: a sekmet-fhir server (see `scripts/ehr.sh` and
/// `../shared/notes/reference-ehr.md`) on 127.0.0.1 over HTTPS with a fresh temporary data folder and
/// a self-signed certificate, started by a test and stopped by it.
///
/// ```swift
/// @Test(.enabled(if: ReferenceEHR.isAvailable, Comment(rawValue: ReferenceEHR.unavailableReason)))
/// func something() throws {
///     let ehr = try ReferenceEHR.start(auth: .smart, jwks: jwksJSON)
///     defer { ehr.stop() }
///     // ... HTTPS to ehr.baseURL, trusting ehr.caFile
/// }
/// ```
///
/// The server is a child process of the test process: `stop()` ends it (and `deinit` does when a
/// test forgot to), and `scripts/ehr.sh` kills it when the test process itself dies.
public final class ReferenceEHR: @unchecked Sendable {
    public enum Auth: String, Sendable {
        /// SMART Backend Services (client_credentials with a private_key_jwt assertion), scopes enforced.
        case smart
        /// Static bearer tokens (one random token, in `tokenFile`).
        case bearer
        /// No authentication.
        case none
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
        /// The server exited during start-up (e.g. its port was taken meanwhile): worth another try.
        var exited = false
    }

    /// The FHIR base, `https://127.0.0.1:PORT/fhir`.
    public let baseURL: String
    /// The server root (SMART discovery and the token endpoint live here), `https://127.0.0.1:PORT`.
    public let rootURL: String
    /// The self-signed certificate the server presents, to trust as the CA.
    public let caFile: String
    public let port: Int
    /// The temporary folder with the settings, data, certificate and `server.log` (removed by `stop()`).
    public let directory: String
    /// The static token clients must send with `--auth bearer`, else nil.
    public let tokenFile: String?
    /// With mutual TLS: the client certificate (PEM) the server accepts, issued by a CA made for
    /// this server with OpenSSL, and its key (unencrypted PEM, mode 0600); else nil.
    public let clientCertificateFile: String?
    public let clientKeyFile: String?

    private let child: SpawnedProcess
    private let lock = NSLock()
    private var stopped = false

    /// The server's process id.
    public var pid: Int32 { child.pid }

    /// The virtual environment `scripts/ehr.sh install` makes.
    public static var venvPath: String { TestSupport.repoRoot + "/.venv-ehr" }

    /// Whether sekmet-fhir is installed (`bash scripts/ehr.sh install`); tests are skipped otherwise.
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: venvPath + "/.installed-sekmet-fhir-0.1.1")
            && FileManager.default.isExecutableFile(atPath: venvPath + "/bin/sekmet")
    }

    /// Why tests that need the server are skipped.
    public static let unavailableReason =
        "the reference EHR (sekmet-fhir) is not installed: run bash scripts/ehr.sh install"

    /// Starts a server on a free port of 127.0.0.1 and waits until `/fhir/metadata` answers over HTTPS.
    /// - Parameters:
    ///   - jwks: with `.smart`, the client's public JWKS as JSON text (`{"keys": [...]}`).
    ///   - clientId: the SMART client registered with that JWKS.
    ///   - scopes: the scopes the client may be granted (SMART v1 or v2, space-separated).
    ///   - tokenLifetime: seconds a SMART access token is valid (`server_auth.token_lifetime`,
    ///     `expires_in` of token responses); nil for the script's default (300).
    ///   - mutualTLS: the server requires a client certificate (`scripts/ehr.sh start --mtls`):
    ///     see `clientCertificateFile` and `clientKeyFile`.
    public static func start(
        auth: Auth = .smart, jwks: String? = nil, clientId: String = "clinic-gateway",
        scopes: String = "system/*.cruds", tokenLifetime: Int? = nil, mutualTLS: Bool = false,
        readyTimeout: TimeInterval = 60
    ) throws -> ReferenceEHR {
        guard isAvailable else { throw StartError(description: unavailableReason) }
        if auth == .smart && jwks == nil { throw StartError(description: "auth .smart needs a JWKS") }
        // A free port can be taken by someone else before the server binds it: try a few.
        var lastError: any Error = StartError(description: "not started")
        for _ in 0..<3 {
            let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-ehr")
            do {
                return try ReferenceEHR(
                    directory: dir, port: try LoopbackPorts.freePort(), auth: auth, jwks: jwks,
                    clientId: clientId, scopes: scopes, tokenLifetime: tokenLifetime, mutualTLS: mutualTLS,
                    readyTimeout: readyTimeout)
            } catch let error as StartError where error.exited {
                TestSupport.removeTree(dir)
                lastError = error
            } catch {
                TestSupport.removeTree(dir)
                throw error
            }
        }
        throw lastError
    }

    private init(
        directory: String, port: Int, auth: Auth, jwks: String?, clientId: String, scopes: String,
        tokenLifetime: Int?, mutualTLS: Bool, readyTimeout: TimeInterval
    ) throws {
        self.directory = directory
        self.port = port
        rootURL = "https://127.0.0.1:\(port)"
        baseURL = rootURL + "/fhir"
        caFile = directory + "/tls.crt"
        tokenFile = auth == .bearer ? directory + "/bearer.token" : nil
        clientCertificateFile = mutualTLS ? directory + "/client.crt" : nil
        clientKeyFile = mutualTLS ? directory + "/client.key" : nil

        var arguments = [
            TestSupport.repoRoot + "/scripts/ehr.sh", "start", "--foreground", "--parent-pid", String(getpid()),
            "--dir", directory, "--port", String(port), "--auth", auth.rawValue, "--client-id", clientId,
            "--scopes", scopes,
        ]
        if let tokenLifetime { arguments += ["--token-lifetime", String(tokenLifetime)] }
        if mutualTLS { arguments.append("--mtls") }
        if let jwks {
            let jwksFile = directory + "/client-jwks.json"
            try Data(jwks.utf8).write(to: URL(fileURLWithPath: jwksFile))
            arguments += ["--jwks", jwksFile]
        }
        child = try SpawnedProcess(
            executable: "/bin/bash", arguments: arguments, logPath: directory + "/server.log")
        do {
            try waitUntilReady(timeout: readyTimeout)
        } catch {
            stop(removeDirectory: false)
            throw error
        }
    }

    deinit {
        stop()
    }

    /// Stops the server and its helpers (SIGTERM to its process group, then SIGKILL after `grace`
    /// seconds) and waits until it is gone, then
    /// removes its folder unless `removeDirectory` is false. Safe to call more than once.
    public func stop(removeDirectory: Bool = true, grace: TimeInterval = 3) {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        if child.isRunning {
            child.signal(SIGTERM)
            let deadline = Date().addingTimeInterval(grace)
            while child.isRunning && Date() < deadline { usleep(20_000) }
            if child.isRunning { child.signal(SIGKILL) }
        }
        child.wait()
        child.killGroup()
        if removeDirectory { TestSupport.removeTree(directory) }
    }

    /// The client certificate and key for curl, with mutual TLS.
    public var clientCertificate: (certificate: String, key: String)? {
        guard let clientCertificateFile, let clientKeyFile else { return nil }
        return (clientCertificateFile, clientKeyFile)
    }

    /// The last lines of the server's log (for failure messages).
    public func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    private func waitUntilReady(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard child.isRunning else {
                throw StartError(
                    description: "the reference EHR exited during start-up:\n\(logTail())", exited: true)
            }
            if FileManager.default.fileExists(atPath: caFile),
                clientCertificateFile.map({ FileManager.default.fileExists(atPath: $0) }) ?? true,
                let response = try? ReferenceEHRCurl.send(
                    baseURL + "/metadata", caFile: caFile, clientCertificate: clientCertificate, timeout: 2),
                response.status == 200
            {
                return
            }
            usleep(200_000)
        }
        throw StartError(description: "the reference EHR did not answer within \(Int(timeout)) s:\n\(logTail())")
    }
}

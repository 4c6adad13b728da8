import FHIRGateTesting
import Foundation
import HTTPTransport
import Testing

/// The transport against the real FHIR server (sekmet-fhir) over HTTPS on 127.0.0.1.
@Suite(
    "transport against the reference EHR (HTTPS)",
    .enabled(if: ReferenceEHR.isAvailable, Comment(rawValue: ReferenceEHR.unavailableReason)))
struct ReferenceEHRTransportTests {
    static let fhirJSON: HTTPHeaders = ["Accept": "application/fhir+json"]

    @Test("GET metadata with the server's CA; without it the handshake fails verification")
    func metadata() async throws {
        try await Self.withEHR { ehr in
            let trusted = try HTTPTransport(
                configuration: TransportConfiguration(tls: TLSConfiguration(caFile: ehr.caFile)))
            let response = try await trusted.send(HTTPRequest(url: ehr.baseURL + "/metadata", headers: Self.fhirJSON))
            await trusted.shutdown()
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"]?.contains("application/fhir+json") == true)
            #expect(try Self.json(response.body)["resourceType"] as? String == "CapabilityStatement")
            #expect(response.timing.tlsHandshake > .zero)

            let untrusted = try HTTPTransport()  // the system's CAs only
            let error = await #expect(throws: TransportError.self) {
                try await untrusted.send(HTTPRequest(url: ehr.baseURL + "/metadata"))
            }
            #expect(error?.kind == .tls, "\(String(describing: error))")
            await untrusted.shutdown()
        }
    }

    @Test("POST a Patient -> 201 with Location and ETag, then GET it back")
    func createAndRead() async throws {
        try await Self.withEHR { ehr in
            let transport = try HTTPTransport(
                configuration: TransportConfiguration(tls: TLSConfiguration(caFile: ehr.caFile)))
            let patient = #"{"resourceType":"Patient","active":true,"name":[{"family":"Transport","given":["Test"]}]}"#
            var headers = Self.fhirJSON
            headers.add("Content-Type", "application/fhir+json")
            let created = try await transport.send(
                HTTPRequest(method: .post, url: ehr.baseURL + "/Patient", headers: headers, body: Array(patient.utf8)))
            #expect(created.status == 201, "\(created.bodyText)")
            let location = try #require(created.headers["location"])
            #expect(created.headers["ETag"] != nil)
            let id = try #require(Self.patientID(location))

            let read = try await transport.send(
                HTTPRequest(url: ehr.baseURL + "/Patient/" + id, headers: Self.fhirJSON))
            await transport.shutdown()
            #expect(read.status == 200)
            let body = try Self.json(read.body)
            #expect(body["id"] as? String == id)
            #expect(body["active"] as? Bool == true)
            #expect(transport.statistics.connectionsOpened == 1)
        }
    }

    @Test("50 concurrent GETs all succeed over a few reused connections")
    func concurrentRequestsReuseConnections() async throws {
        try await Self.withEHR { ehr in
            let transport = try HTTPTransport(
                configuration: TransportConfiguration(
                    tls: TLSConfiguration(caFile: ehr.caFile), maxConnectionsPerHost: 4))
            let request = HTTPRequest(url: ehr.baseURL + "/metadata", headers: Self.fhirJSON)
            let (statuses, connections) = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
                for _ in 0..<50 { group.addTask { try await transport.send(request) } }
                var statuses: [Int] = []
                var connections = 0
                for try await response in group {
                    statuses.append(response.status)
                    connections += response.newConnections
                }
                return (statuses, connections)
            }
            let statistics = transport.statistics
            await transport.shutdown()
            #expect(statuses.count == 50 && statuses.allSatisfy { $0 == 200 })
            #expect(connections >= 1 && connections <= 4, "new connections: \(connections)")
            #expect(statistics.connectionsOpened == connections)
            #expect(statistics.completed == 50)
            #expect(statistics.openHandles == 0 && statistics.pending == 0)
        }
    }

    @Test("public-key pinning: the server's key passes, another key is a TLS error")
    func pinning() async throws {
        try await Self.withEHR { ehr in
            let pin = try Self.publicKeyPin(certificate: ehr.caFile)
            let right = try HTTPTransport(
                configuration: TransportConfiguration(
                    tls: TLSConfiguration(caFile: ehr.caFile, pinnedPublicKeys: [pin])))
            let response = try await right.send(HTTPRequest(url: ehr.baseURL + "/metadata"))
            await right.shutdown()
            #expect(response.status == 200)

            let otherPin = "sha256//" + Data(repeating: 7, count: 32).base64EncodedString()
            let wrong = try HTTPTransport(
                configuration: TransportConfiguration(
                    tls: TLSConfiguration(caFile: ehr.caFile, pinnedPublicKeys: [otherPin])))
            let error = await #expect(throws: TransportError.self) {
                try await wrong.send(HTTPRequest(url: ehr.baseURL + "/metadata"))
            }
            #expect(error?.kind == .tls, "\(String(describing: error))")
            #expect(error?.curlCode == 90)
            await wrong.shutdown()

            // An unreadable client certificate (mTLS) fails as TLS too, and prints no key password.
            let client = TLSConfiguration.ClientCertificate(
                certificateFile: "/nonexistent/client.pem", keyFile: "/nonexistent/client.key", keyPassword: "s3cret")
            let mtls = try HTTPTransport(
                configuration: TransportConfiguration(
                    tls: TLSConfiguration(caFile: ehr.caFile, clientCertificate: client)))
            let clientError = await #expect(throws: TransportError.self) {
                try await mtls.send(HTTPRequest(url: ehr.baseURL + "/metadata"))
            }
            #expect(clientError?.kind == .tls, "\(String(describing: clientError))")
            #expect(clientError.map { !$0.description.contains("s3cret") } == true)
            await mtls.shutdown()
        }
    }

    @Test(
        "mutual TLS: the server requires a client certificate; with it (also an encrypted key) 200, without it no answer"
    )
    func mutualTLS() async throws {
        try await Self.withEHR(mutualTLS: true) { ehr in
            let certificate = try #require(ehr.clientCertificateFile)
            let key = try #require(ehr.clientKeyFile)
            let request = HTTPRequest(url: ehr.baseURL + "/metadata", headers: Self.fhirJSON)

            func transport(key: String, password: String? = nil) throws -> HTTPTransport {
                let client = TLSConfiguration.ClientCertificate(
                    certificateFile: certificate, keyFile: key, keyPassword: password)
                return try HTTPTransport(
                    configuration: TransportConfiguration(
                        tls: TLSConfiguration(caFile: ehr.caFile, clientCertificate: client)))
            }
            let withCertificate = try transport(key: key)
            let response = try await withCertificate.send(request)
            await withCertificate.shutdown()
            #expect(response.status == 200)
            #expect(try Self.json(response.body)["resourceType"] as? String == "CapabilityStatement")

            // The same key encrypted (PKCS#8, AES-256) with a password, as a key file usually is.
            let encrypted = ehr.directory + "/client-encrypted.key"
            try ReferenceEHRCommand.check(
                "openssl", ["pkey", "-in", key, "-aes256", "-passout", "pass:k3y-pa55", "-out", encrypted])
            let withPassword = try transport(key: encrypted, password: "k3y-pa55")
            #expect(try await withPassword.send(request).status == 200)
            await withPassword.shutdown()

            // A wrong password: the key cannot be used, a TLS error that does not print the password.
            let wrongPassword = try transport(key: encrypted, password: "not-the-pa55")
            let keyError = await #expect(throws: TransportError.self) { try await wrongPassword.send(request) }
            #expect(keyError?.kind == .tls, "\(String(describing: keyError))")
            #expect(keyError.map { !$0.description.contains("not-the-pa55") } == true)
            await wrongPassword.shutdown()

            // No client certificate: the server ends the connection (TLS 1.3 reports the refusal
            // after the handshake, so curl sees a TLS error or a dropped connection, never a response).
            let without = try HTTPTransport(
                configuration: TransportConfiguration(tls: TLSConfiguration(caFile: ehr.caFile)))
            let refused = await #expect(throws: TransportError.self) { try await without.send(request) }
            #expect(refused?.kind == .tls || refused?.kind == .connectionDropped, "\(String(describing: refused))")
            await without.shutdown()
        }
    }

    /// Runs `body` with a fresh server (started and stopped off the concurrency pool: both block).
    static func withEHR(mutualTLS: Bool = false, _ body: (ReferenceEHR) async throws -> Void) async throws {
        let ehr = try await offPool { try ReferenceEHR.start(auth: .none, mutualTLS: mutualTLS) }
        do {
            try await body(ehr)
        } catch {
            await offPool { ehr.stop() }
            throw error
        }
        await offPool { ehr.stop() }
    }

    /// Runs blocking `work` on a thread of its own.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    static func offPool(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                work()
                continuation.resume()
            }
        }
    }

    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// The id in `.../Patient/ID[/_history/N]`.
    static func patientID(_ location: String) -> String? {
        guard let range = location.range(of: "Patient/") else { return nil }
        return location[range.upperBound...].split(separator: "/").first.map(String.init)
    }

    /// `sha256//BASE64` of the certificate's public key, computed with the openssl CLI.
    static func publicKeyPin(certificate: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c",
            "openssl x509 -in \"$1\" -pubkey -noout | openssl pkey -pubin -outform der"
                + " | openssl dgst -sha256 -binary | base64",
            "pin", certificate,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let pin = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(process.terminationStatus == 0 && pin.count == 44, "openssl failed: \(pin)")
        return "sha256//" + pin
    }
}

import FHIRGateTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The reference EHR (sekmet-fhir) as the tests run it: HTTPS on 127.0.0.1 with our own CA, SMART
/// Backend Services with enforced scopes, and no process left behind.
@Suite(
    "reference EHR (sekmet-fhir)",
    .enabled(if: ReferenceEHR.isAvailable, Comment(rawValue: ReferenceEHR.unavailableReason)))
struct ReferenceEHRTests {
    @Test("serves its CapabilityStatement over HTTPS on 127.0.0.1 only, and is gone after stop()")
    func metadataWithoutAuth() throws {
        let ehr = try ReferenceEHR.start(auth: .none)
        let pid = ehr.pid
        let directory = ehr.directory
        #expect(ehr.baseURL == "https://127.0.0.1:\(ehr.port)/fhir")

        let metadata = try ReferenceEHRCurl.send(
            ehr.baseURL + "/metadata", caFile: ehr.caFile, headers: ["Accept": "application/fhir+json"])
        #expect(metadata.status == 200)
        #expect(metadata.headers["content-type"]?.contains("application/fhir+json") == true)
        #expect(metadata.json?["resourceType"]?.stringValue == "CapabilityStatement")
        #expect(metadata.json?["fhirVersion"]?.stringValue == "4.0.1")
        // Without auth, reads are open.
        #expect(try ReferenceEHRCurl.send(ehr.baseURL + "/Patient?_count=1", caFile: ehr.caFile).status == 200)
        // The certificate is not trusted through the system CAs: verification is really on.
        #expect(throws: ReferenceEHRCommand.Failure.self) {
            try ReferenceEHRCurl.send(
                ehr.baseURL + "/metadata", caFile: "/etc/ssl/certs/ca-certificates.crt", timeout: 5)
        }
        #expect(Self.listeningAddresses(port: ehr.port) == ["127.0.0.1"])

        ehr.stop()
        #expect(Self.isGone(pid))
        #expect(!LoopbackPorts.isListening(ehr.port))
        #expect(!FileManager.default.fileExists(atPath: directory))
        ehr.stop()  // a second stop does nothing
    }

    @Test("SMART Backend Services: discovery, 401 without a token, private_key_jwt token, enforced scopes")
    func smartBackendServices() throws {
        let keyDir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-ehr-key")
        defer { TestSupport.removeTree(keyDir) }
        let key = try ReferenceEHRClientKey.generate(in: keyDir)
        let ehr = try ReferenceEHR.start(
            auth: .smart, jwks: key.jwks, clientId: "clinic-gateway", scopes: "system/Patient.rs")
        let pid = ehr.pid
        defer { ehr.stop() }

        // The CapabilityStatement stays public under SMART.
        let metadata = try ReferenceEHRCurl.send(ehr.baseURL + "/metadata", caFile: ehr.caFile)
        #expect(metadata.status == 200)
        #expect(metadata.json?["resourceType"]?.stringValue == "CapabilityStatement")

        let discovery = try ReferenceEHRCurl.send(ehr.rootURL + "/.well-known/smart-configuration", caFile: ehr.caFile)
        #expect(discovery.status == 200)
        let tokenURL = try #require(discovery.json?["token_endpoint"]?.stringValue)
        #expect(tokenURL == ehr.rootURL + "/auth/token")
        let methods =
            discovery.json?["token_endpoint_auth_methods_supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(methods.contains("private_key_jwt"))
        let algorithms =
            discovery.json?["token_endpoint_auth_signing_alg_values_supported"]?.arrayValue?.compactMap(\.stringValue)
            ?? []
        #expect(algorithms.contains("RS384") && algorithms.contains("ES384"))

        let anonymous = try ReferenceEHRCurl.send(ehr.baseURL + "/Patient?_count=1", caFile: ehr.caFile)
        #expect(anonymous.status == 401)
        #expect(anonymous.json?["resourceType"]?.stringValue == "OperationOutcome")
        #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)

        let token = try ReferenceEHRCurl.send(
            tokenURL, method: "POST", caFile: ehr.caFile,
            form: [
                ("grant_type", "client_credentials"), ("scope", "system/Patient.rs"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", try key.clientAssertion(clientId: "clinic-gateway", tokenURL: tokenURL)),
            ])
        #expect(token.status == 200, "token endpoint: \(token.bodyText)")
        let accessToken = try #require(token.json?["access_token"]?.stringValue)
        #expect(token.json?["scope"]?.stringValue == "system/Patient.rs")
        let bearer = ["Authorization": "Bearer " + accessToken]

        let read = try ReferenceEHRCurl.send(ehr.baseURL + "/Patient?_count=1", caFile: ehr.caFile, headers: bearer)
        #expect(read.status == 200)
        #expect(read.json?["resourceType"]?.stringValue == "Bundle")
        // system/Patient.rs does not allow creating an Observation.
        let create = try ReferenceEHRCurl.send(
            ehr.baseURL + "/Observation", method: "POST", caFile: ehr.caFile,
            headers: bearer.merging(["Content-Type": "application/fhir+json"]) { $1 },
            body: Array(#"{"resourceType":"Observation","status":"final","code":{"text":"test"}}"#.utf8))
        #expect(create.status == 403)
        // An assertion signed by a key that was not registered is refused.
        try FileManager.default.createDirectory(atPath: keyDir + "/other", withIntermediateDirectories: false)
        let otherKey = try ReferenceEHRClientKey.generate(in: keyDir + "/other")
        let forged = try ReferenceEHRCurl.send(
            tokenURL, method: "POST", caFile: ehr.caFile,
            form: [
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", try otherKey.clientAssertion(clientId: "clinic-gateway", tokenURL: tokenURL)),
            ])
        #expect(forged.status == 401)
        #expect(forged.json?["error"]?.stringValue == "invalid_client")

        ehr.stop()
        #expect(Self.isGone(pid))
    }

    @Test("a static bearer token is accepted and its absence refused")
    func bearerToken() throws {
        let ehr = try ReferenceEHR.start(auth: .bearer)
        defer { ehr.stop() }
        let tokenFile = try #require(ehr.tokenFile)
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try ReferenceEHRCurl.send(ehr.baseURL + "/Patient", caFile: ehr.caFile).status == 401)
        let wrong = try ReferenceEHRCurl.send(
            ehr.baseURL + "/Patient", caFile: ehr.caFile, headers: ["Authorization": "Bearer not-" + token])
        #expect(wrong.status == 401)
        let right = try ReferenceEHRCurl.send(
            ehr.baseURL + "/Patient", caFile: ehr.caFile, headers: ["Authorization": "Bearer " + token])
        #expect(right.status == 200)
    }

    @Test("a server a test forgot to stop is stopped when it is released")
    func deinitStops() throws {
        var pid: Int32 = 0
        var directory = ""
        do {
            let ehr = try ReferenceEHR.start(auth: .none)
            pid = ehr.pid
            directory = ehr.directory
            #expect(!Self.isGone(pid))
        }
        #expect(Self.isGone(pid))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    /// Whether no process `pid` exists any more (it was reaped by `stop()`), nor any process of its group.
    static func isGone(_ pid: Int32) -> Bool {
        let process = kill(pid, 0) == -1 && errno == ESRCH
        let group = kill(-pid, 0) == -1 && errno == ESRCH
        return process && group
    }

    /// The local IPv4 addresses with a listening TCP socket on `port` (from /proc/net/tcp), plus "::"
    /// style entries from /proc/net/tcp6 when any.
    static func listeningAddresses(port: Int) -> Set<String> {
        var found: Set<String> = []
        let portHex = String(format: "%04X", port)
        for (file, v6) in [("/proc/net/tcp", false), ("/proc/net/tcp6", true)] {
            // Read to the end: a procfs file reports size 0, and with many sockets open (hundreds
            // in TIME_WAIT during a full test run) one read does not return the whole table.
            guard let handle = FileHandle(forReadingAtPath: file) else { continue }
            let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            try? handle.close()
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3, fields[3] == "0A" else { continue }  // LISTEN
                let local = fields[1].split(separator: ":")
                guard local.count == 2, local[1] == portHex else { continue }
                if v6 {
                    found.insert("ipv6:" + local[0])
                } else if let raw = UInt32(local[0], radix: 16) {
                    // Little-endian hex of the IPv4 address.
                    found.insert("\(raw & 0xff).\(raw >> 8 & 0xff).\(raw >> 16 & 0xff).\(raw >> 24)")
                }
            }
        }
        return found
    }
}

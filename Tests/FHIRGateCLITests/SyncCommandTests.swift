import FHIRGate
import FHIRGateTesting
import Foundation
import Testing

/// `fhirgate push`, `pull`, `sync` and `outbox` on the built binary, against the reference EHR.
@Suite("sync commands", .serialized)
struct SyncCommandTests {
    @Test("every sync command has --help; a missing configuration is a usage error (exit 2)")
    func helpAndConfigurationErrors() throws {
        for command in [
            ["push"], ["pull"], ["sync"], ["outbox"], ["outbox", "status"], ["outbox", "dead-letters"],
            ["outbox", "retry"], ["outbox", "audit"],
        ] {
            let out = try BinaryRunner.run(command + ["--help"])
            #expect(out.status == 0, "\(command)")
            #expect(out.stdoutText.contains("USAGE"), "\(command)")
        }
        let missing = try BinaryRunner.run(["push", "--config", "/nonexistent/fhirgate.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/fhirgate.yaml"))

        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-cli-sync")
        defer { TestSupport.removeTree(dir) }
        try "targets:\n  - name: x\n    baseURL: https://h/fhir\n    auth: {type: bearer, token: abc}\n"
            .write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let inline = try BinaryRunner.run(["outbox", "status", "--config", dir + "/bad.yaml"])
        #expect(inline.status == 2)
        #expect(inline.stderr.contains("bad.yaml:4"), "\(inline.stderr)")
        #expect(!inline.stderr.contains("abc"), "the inline secret is not repeated")
    }

    @Test(
        "push, push again, pull a referral, outbox status and audit (JSON) against the reference EHR",
        .enabled(if: ReferenceEHR.isAvailable, Comment(rawValue: ReferenceEHR.unavailableReason)))
    func pushPullAndOutbox() async throws {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-cli-sync")
        defer { TestSupport.removeTree(dir) }
        let key = try SigningKey.generate(.es384)
        try key.writePEM(to: dir + "/key.pem")
        let ehr = try ReferenceEHR.start(
            auth: .smart, jwks: String(decoding: key.jwks.json.serialized(), as: UTF8.self))
        defer { ehr.stop() }
        let config = """
            store: {path: state/outbox.sqlite}
            clinic: {organization: ORG-CLINIC}
            targets:
              - name: ehr
                baseURL: \(ehr.baseURL)
                recipient: {practitioner: PR-REF-05-3}
                auth: {type: smart, clientId: clinic-gateway, keyFile: key.pem, scopes: system/*.cruds}
                tls: {caFile: \(ehr.caFile)}
                pull: {referrals: true}

            """
        try config.write(toFile: dir + "/fhirgate.yaml", atomically: true, encoding: .utf8)
        let records = TestSupport.repoRoot + "/Samples/records"
        let configArgs = ["--config", dir + "/fhirgate.yaml"]

        let first = try BinaryRunner.run(["push", records, "--format", "json"] + configArgs)
        #expect(first.status == 0, "\(first.stderr)")
        let firstReport = try JSONValue.parse(first.stdout)
        let sent = Int(Self.number(firstReport["sent"]) ?? "") ?? 0
        #expect(sent > 300)
        #expect(first.stderr.contains("fhirgate: ehr: sent"), "progress on stderr")

        let again = try BinaryRunner.run(["push", records, "--format", "json"] + configArgs)
        #expect(again.status == 0)
        let againReport = try JSONValue.parse(again.stdout)
        #expect(Self.number(againReport["sent"]) == "0")
        #expect(Self.number(againReport["unchanged"]) == String(sent))

        // The referrer's system posts a referral; pull brings it back as clinic records.
        let bundle = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: TestSupport.repoRoot + "/Samples/referral-bundle.json")))
        let transport = try HTTPTransport(
            configuration: TransportConfiguration(tls: TLSConfiguration(caFile: ehr.caFile)))
        let referrer = FHIRClient(
            baseURL: ehr.baseURL, transport: transport,
            auth: SMARTBackendAuth(
                fhirBaseURL: ehr.baseURL, clientID: "clinic-gateway", key: key, scopes: "system/*.cruds",
                transport: transport), model: try TestSupport.coreModel())
        let posted = try await referrer.send(.post, ehr.baseURL, body: bundle)
        await transport.shutdown()
        #expect(posted.status == 200)
        let pulled = try BinaryRunner.run(["pull", "--inbox", dir + "/inbox"] + configArgs)
        #expect(pulled.status == 0, "\(pulled.stdoutText) \(pulled.stderr)")
        #expect(pulled.stdoutText.contains("pulled 1 referrals"), "\(pulled.stdoutText)")
        let inbox = try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox")
        #expect(inbox.count == 1)
        if let file = inbox.first {
            let read = ClinicRecordReader().read(fileAtPath: dir + "/inbox/" + file)
            #expect(read.records.contains { $0.record.kind == .referral })
            #expect(!read.issues.contains { $0.severity <= .error })
        }
        let pulledAgain = try BinaryRunner.run(["pull", "--inbox", dir + "/inbox"] + configArgs)
        #expect(pulledAgain.stdoutText.contains("pulled 0 referrals"), "the watermark moved")

        let status = try BinaryRunner.run(["outbox", "status", "--format", "json"] + configArgs)
        #expect(status.status == 0)
        let rows = try JSONValue.parse(status.stdout).arrayValue ?? []
        #expect(Self.number(rows.first?["delivered"]) == String(sent))
        #expect(Self.number(rows.first?["dead-letter"]) == "0")

        let audit = try BinaryRunner.run(["outbox", "audit", "--limit", "5000", "--format", "json"] + configArgs)
        let events = try JSONValue.parse(audit.stdout).arrayValue ?? []
        #expect(events.filter { $0["action"]?.stringValue == "disclose" }.count == sent)
        #expect(events.contains { $0["action"]?.stringValue == "pull" })
        // No patient data in the audit trail: the sample patients' names never appear.
        #expect(!audit.stdoutText.contains("Placeholder"))
    }

    @Test("outbox dead-letters lists the server's answer and a hint; retry puts it back; status counts it")
    func deadLettersAndRetry() throws {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-cli-outbox")
        defer { TestSupport.removeTree(dir) }
        try "store: {path: state/outbox.sqlite}\ntargets:\n  - name: ehr\n    baseURL: https://127.0.0.1:9/fhir\n"
            .write(toFile: dir + "/fhirgate.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        let store = try SQLiteOutboxStore(path: dir + "/state/outbox.sqlite")
        _ = try store.enqueue(
            [
                NewOutboxItem(
                    target: "ehr", group: "p", sequence: 0, resourceType: "Patient", resourceId: "p1",
                    content: Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8), contentHash: "h", disclosure: "test")
            ], now: 1)
        let claimed = try store.claim(target: "ehr", now: 1, limit: 1)
        let outcome = OperationOutcomeSummary(issues: [
            .init(
                severity: "error", code: "invalid", diagnostics: "birthDate 1890-13-01 is not a date",
                expression: ["Patient.birthDate"])
        ])
        try store.markDeadLetter(
            claimed[0].id, status: 400, error: "HTTP 400 on PUT Patient", outcome: OutcomeJSON.encode(outcome),
            hint: "the server rejected the content", now: 2)
        let config = ["--config", dir + "/fhirgate.yaml"]

        let dead = try BinaryRunner.run(["outbox", "dead-letters"] + config)
        #expect(dead.status == 1)
        #expect(dead.stdoutText.contains("Patient/p1: HTTP 400"))
        #expect(dead.stdoutText.contains("invalid"))
        #expect(dead.stdoutText.contains("Patient.birthDate"))
        #expect(dead.stdoutText.contains("hint: the server rejected the content"))
        #expect(!dead.stdoutText.contains("1890-13-01"), "the server's free text only with --details")
        let details = try BinaryRunner.run(["outbox", "dead-letters", "--details"] + config)
        #expect(details.stdoutText.contains("1890-13-01"))

        let retried = try BinaryRunner.run(
            ["outbox", "retry", "--id", String(claimed[0].id), "--format", "json"] + config)
        #expect(retried.status == 0)
        #expect(retried.stdoutText.contains("\"requeued\":1"))
        let status = try BinaryRunner.run(["outbox", "status", "--format", "json"] + config)
        #expect(status.status == 0)
        let rows = try JSONValue.parse(status.stdout).arrayValue ?? []
        #expect(Self.number(rows.first?["pending"]) == "1")
        #expect(Self.number(rows.first?["dead-letter"]) == "0")
    }

    /// The lexeme of a JSON number.
    @Test(
        "push over mutual TLS: the client certificate and its encrypted key come from the configuration, the password from the environment",
        .enabled(if: ReferenceEHR.isAvailable, Comment(rawValue: ReferenceEHR.unavailableReason)))
    func pushOverMutualTLS() throws {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-cli-mtls")
        defer { TestSupport.removeTree(dir) }
        let key = try SigningKey.generate(.es384)
        try key.writePEM(to: dir + "/key.pem")
        let ehr = try ReferenceEHR.start(
            auth: .smart, jwks: String(decoding: key.jwks.json.serialized(), as: UTF8.self), mutualTLS: true)
        defer { ehr.stop() }
        let certificate = try #require(ehr.clientCertificateFile)
        let clientKey = try #require(ehr.clientKeyFile)
        let password = "mtls-k3y-pa55"
        try ReferenceEHRCommand.check(
            "openssl",
            ["pkey", "-in", clientKey, "-aes256", "-passout", "pass:" + password, "-out", dir + "/client.key"])
        func config(tls: String) -> String {
            """
            store: {path: state/outbox.sqlite}
            clinic: {organization: ORG-CLINIC}
            retry: {maxAttempts: 2, initialDelay: 10ms, maxDelay: 20ms}
            targets:
              - name: ehr
                baseURL: \(ehr.baseURL)
                recipient: {practitioner: PR-REF-05-3}
                auth: {type: smart, clientId: clinic-gateway, keyFile: key.pem, scopes: system/*.cruds}
                tls: {caFile: \(ehr.caFile)\(tls)}

            """
        }
        let records = TestSupport.repoRoot + "/Samples/records"

        // Without the client certificate the server accepts no connection: nothing is delivered,
        // nothing is dead-lettered, the run reports the target as failed.
        try config(tls: "").write(toFile: dir + "/plain.yaml", atomically: true, encoding: .utf8)
        let refused = try BinaryRunner.run(
            ["push", records, "--format", "json", "--wait-retries", "0", "--config", dir + "/plain.yaml"])
        #expect(refused.status == 1, "\(refused.stderr)")
        let refusedReport = try JSONValue.parse(refused.stdout)
        #expect(Self.number(refusedReport["sent"]) == "0")
        #expect(Self.number(refusedReport["deadLettered"]) == "0")
        #expect(refused.stdoutText.contains("connection dropped"), "\(refused.stdoutText)")

        let mutual = config(
            tls:
                ", clientCertificate: \(certificate), clientKey: client.key, clientKeyPassword: {env: FHIRGATE_TEST_CLIENT_KEY_PASSWORD}"
        )
        try mutual.write(toFile: dir + "/fhirgate.yaml", atomically: true, encoding: .utf8)
        let pushed = try BinaryRunner.run(
            ["push", records, "--format", "json", "--config", dir + "/fhirgate.yaml"],
            environment: ["FHIRGATE_TEST_CLIENT_KEY_PASSWORD": password])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let report = try JSONValue.parse(pushed.stdout)
        #expect((Int(Self.number(report["sent"]) ?? "") ?? 0) > 300)
        #expect(Self.number(report["deadLettered"]) == "0")
        #expect(!pushed.stderr.contains(password) && !pushed.stdoutText.contains(password))

        // The password is a secret: a missing environment variable is a configuration error (exit 2).
        let noPassword = try BinaryRunner.run(["push", records, "--config", dir + "/fhirgate.yaml"])
        #expect(noPassword.status == 2, "\(noPassword.stderr)")
        #expect(noPassword.stderr.contains("FHIRGATE_TEST_CLIENT_KEY_PASSWORD"), "\(noPassword.stderr)")
    }

    static func number(_ value: JSONValue?) -> String? {
        if case .number(let lexeme) = value { return lexeme }
        return nil
    }
}

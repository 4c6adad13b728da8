import FHIRGateTesting
import Foundation
import Testing

@testable import GatewayConfig

@Suite struct SampleConfigurationTests {
    @Test func theSampleLoadsWithPathsResolvedAgainstItsFolder() throws {
        let file = TestSupport.repoRoot + "/Samples/fhirgate.yaml"
        let configuration = try GatewayConfiguration.load(path: file)
        let samples = TestSupport.repoRoot + "/Samples"
        #expect(configuration.file == file)
        #expect(configuration.store.path == samples + "/.fhirgate/outbox.sqlite")
        #expect(configuration.clinic == ClinicSettings(base: "https://clinic.example.org", organization: "ORG-CLINIC"))
        #expect(
            configuration.retry == RetrySettings(maxAttempts: 8, initialDelay: .seconds(1), maxDelay: .seconds(300)))
        #expect(configuration.concurrency == 4)
        #expect(configuration.targets.map(\.name) == ["referrer-ehr", "practice-ehr"])

        let referrer = try #require(configuration.target(named: "referrer-ehr"))
        #expect(referrer.baseURL == "https://ehr.example.org/fhir")
        #expect(referrer.format == .json)
        #expect(referrer.recipient == .practitioner("PR-REF-05-3"))
        #expect(
            referrer.auth
                == .smart(
                    SMARTSettings(
                        clientId: "clinic-gateway", keyFile: samples + "/keys/clinic-gateway.pem",
                        scopes: ["system/*.cruds"], tokenEndpoint: nil)))
        #expect(referrer.tls == TLSSettings())
        #expect(referrer.capabilities == .server)
        #expect(referrer.maxBundleEntries == 100)
        #expect(referrer.pull.referrals)

        let practice = try #require(configuration.target(named: "practice-ehr"))
        #expect(practice.recipient == .organization("ORG-REF-1"))
        #expect(practice.auth == .bearer(token: .environment("PRACTICE_EHR_TOKEN")))
        let declared = samples + "/targets/oracle-like-capabilities.json"
        #expect(practice.capabilities == .declared(file: declared))
        #expect(FileManager.default.fileExists(atPath: declared))
        #expect(practice.maxBundleEntries == 50)
        #expect(!practice.pull.referrals)
    }

    @Test func everythingOptionalHasADefault() throws {
        let configuration = try GatewayConfiguration.parse(
            yaml: """
                targets:
                  - name: ehr
                    baseURL: https://ehr.test/fhir/
                """, file: "/etc/fhirgate/gw.yaml")
        #expect(configuration.store.path == "/etc/fhirgate/.fhirgate/outbox.sqlite")
        #expect(configuration.clinic == ClinicSettings())
        #expect(configuration.retry == RetrySettings())
        #expect(configuration.retry.maxAttempts == 8)
        #expect(configuration.retry.initialDelay == .seconds(1))
        #expect(configuration.retry.maxDelay == .seconds(300))
        #expect(configuration.retry.multiplier == 2)
        #expect(configuration.concurrency == 4)
        let target = try #require(configuration.targets.first)
        #expect(target == TargetConfiguration(name: "ehr", baseURL: "https://ehr.test/fhir"))
        #expect(target.format == .json && target.auth == .none && target.capabilities == .server)
        #expect(target.maxBundleEntries == 100 && !target.pull.referrals && target.recipient == nil)

        let empty = try GatewayConfiguration.parse(yaml: "# nothing yet\n", file: "/srv/gw.yaml")
        #expect(empty.targets.isEmpty)
        #expect(empty.store.path == "/srv/.fhirgate/outbox.sqlite")
    }

    @Test func durationsAndOtherValuesAreParsed() throws {
        let cases: [(String, Duration)] = [
            ("250ms", .milliseconds(250)), ("1s", .seconds(1)), ("90s", .seconds(90)), ("5m", .seconds(300)),
            ("1h", .seconds(3600)),
        ]
        for (text, expected) in cases {
            let configuration = try GatewayConfiguration.parse(
                yaml: "retry: {initialDelay: \(text), maxDelay: 2h}", file: "/x/c.yaml")
            #expect(configuration.retry.initialDelay == expected, "\(text)")
        }
        for bad in ["1", "1.5s", "1d", "ms", "-1s", "\"1s\"", "[1s]"] {
            #expect(throws: ConfigError.self, "\(bad)") {
                try GatewayConfiguration.parse(yaml: "retry: {initialDelay: \(bad)}", file: "/x/c.yaml")
            }
        }
        let other = try GatewayConfiguration.parse(
            yaml: """
                store: {path: /var/lib/fhirgate/outbox.sqlite}
                retry: {multiplier: 1.5, maxAttempts: 3}
                targets:
                  - name: ehr.two_3
                    baseURL: https://ehr.test
                    format: xml
                    auth: {type: basic, username: gw, password: {file: ../secrets/pw}}
                    tls:
                      caFile: ca.pem
                      clientCertificate: /pki/client.pem
                      clientKey: /pki/client.key
                      clientKeyPassword: {env: CLIENT_KEY_PASSWORD}
                      pinnedPublicKeys: ["sha256//AAAA"]
                """, file: "/etc/gw/c.yaml")
        #expect(other.store.path == "/var/lib/fhirgate/outbox.sqlite")
        #expect(other.retry.multiplier == 1.5 && other.retry.maxAttempts == 3)
        let target = try #require(other.targets.first)
        #expect(target.format == .xml)
        #expect(target.auth == .basic(username: "gw", password: .file("/etc/secrets/pw")))
        #expect(
            target.tls
                == TLSSettings(
                    caFile: "/etc/gw/ca.pem", clientCertificate: "/pki/client.pem", clientKey: "/pki/client.key",
                    clientKeyPassword: .environment("CLIENT_KEY_PASSWORD"), pinnedPublicKeys: ["sha256//AAAA"]))
    }
}

import FHIRGateTesting
import Foundation
import Testing

@testable import GatewayConfig

@Suite struct ConfigErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var yaml: String
        var kind: ConfigError.Kind
        var line: Int
        var column: Int
        var keyPath: String?
        var description: String { "\(kind): \(keyPath ?? "-")" }
    }

    static let target = "targets:\n  - name: ehr\n    baseURL: https://ehr.test\n"

    static let cases: [Case] = [
        Case(yaml: "store:\n  path: [a\n", kind: .syntax, line: 3, column: 1, keyPath: nil),
        Case(yaml: "store:\n  pth: x\n", kind: .unknownKey, line: 2, column: 3, keyPath: "store.pth"),
        Case(
            yaml: target + "    auth:\n      type: none\n      type: bearer\n", kind: .duplicateKey, line: 5,
            column: 7, keyPath: "targets[0].auth.type"),
        Case(
            yaml: target + "  - name: second\n    format: xml\n", kind: .missingKey, line: 4, column: 5,
            keyPath: "targets[1].baseURL"),
        Case(yaml: "concurrency: many\n", kind: .wrongType, line: 1, column: 14, keyPath: "concurrency"),
        Case(yaml: "targets: {name: x}\n", kind: .wrongType, line: 1, column: 10, keyPath: "targets"),
        Case(
            yaml: target + "    auth:\n      type: kerberos\n", kind: .invalidValue, line: 5, column: 13,
            keyPath: "targets[0].auth.type"),
        Case(
            yaml: target + "    auth: {type: bearer, token: s3cr3t-t0ken}\n", kind: .inlineSecret, line: 4,
            column: 33, keyPath: "targets[0].auth.token"),
    ]

    @Test(arguments: cases) func everyErrorKindHasItsPlaceAndKeyPath(_ c: Case) {
        do {
            _ = try GatewayConfiguration.parse(yaml: c.yaml, file: "conf/gw.yaml")
            Issue.record("expected \(c.kind)")
        } catch {
            #expect(error.kind == c.kind)
            #expect(error.file == "conf/gw.yaml")
            #expect(error.line == c.line)
            #expect(error.column == c.column)
            #expect(error.keyPath == c.keyPath)
            let place = "conf/gw.yaml:\(c.line):\(c.column): " + (c.keyPath.map { $0 + ": " } ?? "")
            #expect(error.description.hasPrefix(place), "\(error.description)")
        }
    }

    @Test func inlineSecretsAreRefusedWithoutRepeatingThem() {
        let secrets = [
            Self.target + "    auth: {type: bearer, token: s3cr3t-t0ken}\n",
            Self.target + "    auth: {type: basic, username: gw, password: s3cr3t-t0ken}\n",
            Self.target + "    tls: {clientCertificate: c.pem, clientKey: k.pem, clientKeyPassword: s3cr3t-t0ken}\n",
        ]
        for yaml in secrets {
            do {
                _ = try GatewayConfiguration.parse(yaml: yaml, file: "gw.yaml")
                Issue.record("expected an inline secret error")
            } catch {
                #expect(error.kind == .inlineSecret)
                #expect(error.description.contains("{file: path} or {env: NAME}"))
                #expect(!error.description.contains("s3cr3t"))
            }
        }
    }

    @Test func valuesAreNeverRepeatedInMessages() {
        let yamls = [
            Self.target.replacingOccurrences(of: "https://ehr.test", with: "http://private-host.test"),
            Self.target + "    format: private-format\n",
            "concurrency: private-count\n",
            "retry: {initialDelay: private-delay}\n",
            "clinic: {base: private-base}\n",
        ]
        for yaml in yamls {
            do {
                _ = try GatewayConfiguration.parse(yaml: yaml, file: "gw.yaml")
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.contains("private"), "\(error.description)")
            }
        }
    }

    @Test func ruleViolationsBeyondShape() {
        let cases: [(String, String?)] = [
            (Self.target + "  - name: ehr\n    baseURL: https://b.test\n", "targets[1].name"),
            ("targets:\n  - name: a b\n    baseURL: https://ehr.test\n", "targets[0].name"),
            (Self.target + "    auth: {type: smart, clientId: c, keyFile: k.pem}\n", "targets[0].auth.scopes"),
            (Self.target + "    auth: {type: none, clientId: c}\n", "targets[0].auth.clientId"),
            (Self.target + "    auth: {type: bearer, token: {file: a, env: B}}\n", "targets[0].auth.token"),
            (Self.target + "    auth: {type: bearer, token: {env: 9LIVES}}\n", "targets[0].auth.token.env"),
            (Self.target + "    tls: {clientKey: k.pem}\n", "targets[0].tls.clientKey"),
            (Self.target + "    tls: {pinnedPublicKeys: [md5//x]}\n", "targets[0].tls.pinnedPublicKeys[0]"),
            (Self.target + "    capabilities: {source: declared}\n", "targets[0].capabilities.file"),
            (Self.target + "    capabilities: {file: c.json}\n", "targets[0].capabilities.file"),
            (Self.target + "    maxBundleEntries: 0\n", "targets[0].maxBundleEntries"),
            (Self.target + "    pull: {referrals: yes please}\n", "targets[0].pull.referrals"),
            ("retry: {initialDelay: 10s, maxDelay: 1s}\n", "retry.maxDelay"),
            ("concurrency: 1000\n", "concurrency"),
            ("- just\n- a list\n", nil),
        ]
        for (yaml, path) in cases {
            do {
                _ = try GatewayConfiguration.parse(yaml: yaml, file: "gw.yaml")
                Issue.record("expected an error at \(path ?? "the root")")
            } catch {
                #expect(error.keyPath == path, "\(error.description)")
                #expect(error.line != nil, "\(error.description)")
            }
        }
    }

    @Test func deepNestingAndUnreadableFilesAreErrorsNotCrashes() throws {
        let deep = "store: " + String(repeating: "[", count: 100_000)
        #expect(throws: ConfigError.self) { try GatewayConfiguration.parse(yaml: deep, file: "gw.yaml") }
        do {
            _ = try GatewayConfiguration.load(path: "/nonexistent/fhirgate.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description.hasPrefix("/nonexistent/fhirgate.yaml: "))
        }
    }
}

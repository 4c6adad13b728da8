import FHIRGate
import FHIRGateTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the 154 R4 validator cases of ../shared/corpora/validator/manifest.json: each instance is
/// read (JSON or XML) and validated with the R4 core package plus the case's supporting files;
/// our error + fatal count (reader + validator) is compared with the Java validator's, for the base
/// validation and, when the case names a profile, for the validation against that profile.
///
/// Prints agreement per module and writes every disagreement, with our issues and the Java
/// outcome's errors side by side, to `.build/validator-conformance.md` (or
/// `$FHIRGATE_VALIDATOR_REPORT`). `FHIRGATE_VALIDATOR_FILTER=text` runs only the cases whose name or
/// file contains `text` (the thresholds are not checked then).
@Suite(.serialized)
struct ValidatorSuiteTests {
    static let folder = TestSupport.sharedPath("corpora/validator")

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    @Test(.enabled(if: folder != nil, "needs ../shared/corpora/validator"))
    func manifestListsEveryCaseWithItsFiles() throws {
        guard let folder = Self.folder else { return }
        let cases = try ValidatorSuiteCase.load(manifest: folder + "/manifest.json")
        #expect(cases.count == 154, "expected the 154 R4 cases, found \(cases.count)")
        for c in cases {
            #expect(FileBytes.exists(folder + "/" + c.file), "\(c.name): missing \(c.file)")
            for s in c.supporting { #expect(FileBytes.exists(folder + "/" + s), "\(c.name): missing \(s)") }
            if let profile = c.profile {
                #expect(c.supporting.contains(profile), "\(c.name): the profile is not among the supporting files")
                #expect(c.profileErrors != nil, "\(c.name): a profile without profile_errors")
            }
        }
        #expect(Set(cases.map(\.module)).isSuperset(of: ["general", "profile", "extensions", "references", "xhtml"]))
    }

    @Test func reportListsDisagreementsSideBySide() {
        let testCase = ValidatorSuiteCase(
            name: "demo", file: "demo.json", module: "general", supporting: [], profile: "p.xml", errors: 1,
            profileErrors: 0, expectedOutcome: nil, profileOutcome: nil)
        let issue = Issue(
            .error, .cardinalityMin, "minimum 1 | not met", path: "Patient.name",
            position: SourcePosition(line: 3, column: 5))
        let agreeing = ValidatorSuiteResult(
            testCase: testCase, base: .init(expected: 1, issues: [issue]), profile: .init(expected: 0, issues: []))
        let disagreeing = ValidatorSuiteResult(
            testCase: testCase, base: .init(expected: 1, issues: []),
            profile: .init(expected: 0, issues: [], note: "no url"))
        #expect(agreeing.exact && agreeing.validity)
        #expect(!disagreeing.exact && !disagreeing.validity)
        let report = ValidatorSuiteReport(results: [agreeing, disagreeing], folder: "/nonexistent")
        #expect(report.exact == 1 && report.validity == 1)
        let text = report.markdown()
        #expect(text.contains("exact error-count agreement: 1/2 (50.0%)"))
        #expect(text.contains("## Disagreements (1)"))
        #expect(text.contains("**base**: expected 1, ours 0"))
        #expect(text.contains("note: no url"))
        let withIssue = ValidatorSuiteReport(
            results: [
                ValidatorSuiteResult(testCase: testCase, base: .init(expected: 0, issues: [issue]), profile: nil)
            ], folder: "/nonexistent")
        #expect(withIssue.markdown().contains("`VAL-CARDINALITY-MIN` Patient.name @3:5: minimum 1 \\| not met"))
    }

    /// Case name -> side ("theirs" or "ours") from Fixtures/validator-disagreements.json.
    static func explainedDisagreements() throws -> [String: String] {
        let path = TestSupport.repoRoot + "/Tests/ConformanceTests/Fixtures/validator-disagreements.json"
        let json = try JSONValue.parse(try FileBytes.read(path))
        var out: [String: String] = [:]
        for (name, entry) in json["cases"]?.objectValue?.pairs ?? JSONObject().pairs {
            let side = entry["side"]?.stringValue ?? ""
            let reason = entry["reason"]?.stringValue ?? ""
            #expect(side == "theirs" || side == "ours", "\(name): side must be theirs or ours")
            #expect(reason.count > 10, "\(name): a reason is required")
            out[name] = side
        }
        return out
    }

    @Test(
        .enabled(
            if: folder != nil && TestSupport.hasCorePackage, "needs ../shared/corpora/validator and the R4 core package"
        ))
    func officialValidatorCases() throws {
        guard let folder = Self.folder else { return }
        let model = try TestSupport.coreModel()
        let filter = Self.environment("FHIRGATE_VALIDATOR_FILTER")
        let cases = try ValidatorSuiteCase.load(manifest: folder + "/manifest.json").filter { c in
            guard let filter else { return true }
            return c.name.contains(filter) || c.file.contains(filter)
        }
        let runner = ValidatorSuiteRunner(folder: folder, model: model)
        let clock = ContinuousClock()
        let start = clock.now
        let results = cases.map { runner.run($0) }
        let elapsed = clock.now - start
        let report = ValidatorSuiteReport(results: results, folder: folder)

        print("Validator suite per module (cases, exact error count, valid/invalid):")
        print(report.table())
        print("Validator suite exact: \(report.exact)/\(results.count) agree on the error count")
        print("Validator suite validity: \(report.validity)/\(results.count) agree on valid vs invalid")
        print("Validator suite time: \(elapsed)")
        if filter != nil {
            for r in results {
                let profile = r.profile.map { ", profile \($0.count)/\($0.expected)" } ?? ""
                print(
                    "  \(r.exact ? "AGREE" : "DIFFER") \(r.testCase.name): base \(r.base.count)/\(r.base.expected)\(profile)"
                )
                for issue in r.base.issues + (r.profile?.issues ?? []) { print("    " + issue.description) }
            }
        }

        let reportPath =
            Self.environment("FHIRGATE_VALIDATOR_REPORT") ?? TestSupport.repoRoot + "/.build/validator-conformance.md"
        if let slash = reportPath.lastIndex(of: "/") { try? FileBytes.makeDirectories(String(reportPath[..<slash])) }
        try FileBytes.writeAtomically(Array(report.markdown().utf8), to: reportPath)
        print("Validator suite report: \(reportPath)")

        if filter == nil {
            // Every disagreement is explained in Fixtures/validator-disagreements.json, and every
            // entry there still disagrees (a fixed case must leave the list).
            let explained = try Self.explainedDisagreements()
            let disagreeing = Set(results.filter { !$0.exact }.map(\.testCase.name))
            let unexplained = disagreeing.subtracting(explained.keys).sorted()
            let stale = Set(explained.keys).subtracting(disagreeing).sorted()
            print(
                "Validator suite disagreements: \(disagreeing.count), explained \(disagreeing.count - unexplained.count)"
                    + " (theirs \(explained.values.filter { $0 == "theirs" }.count), ours \(explained.values.filter { $0 == "ours" }.count))"
            )
            #expect(
                unexplained.isEmpty, "disagreements without a reason in validator-disagreements.json: \(unexplained)")
            #expect(stale.isEmpty, "validator-disagreements.json lists cases that now agree: \(stale)")
            #expect(results.count == 154)
            #expect(report.exact >= (try JSONComparison.threshold("validatorExact")))
            #expect(report.validity >= (try JSONComparison.threshold("validatorValidity")))
        }
    }
}

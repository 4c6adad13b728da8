import FHIRGate
import FHIRGateTesting
import Testing

/// Validates the 719 official R4 examples (../shared/corpora/examples-r4-json) against their base
/// definitions and claimed profiles, with bindings and invariants. Every error must be a genuine
/// defect of an example listed in Fixtures/validator-example-defects.json (file, reason, exact
/// `CODE path` of each error); an error the list does not explain fails, and so does a listed
/// error that is no longer reported (a stale list). The clean count is checked against
/// `validatorExamplesClean` in thresholds.json.
@Suite(.serialized)
struct ValidatorExamplesTests {
    static let examplesFolder = TestSupport.sharedPath("corpora/examples-r4-json")
    static let defectsPath = TestSupport.repoRoot + "/Tests/ConformanceTests/Fixtures/validator-example-defects.json"

    @Test func defectListIsWellFormed() throws {
        let defects = try ExampleDefects.load(Self.defectsPath)
        #expect(!defects.entries.isEmpty, "the defect list is empty")
        var seen: Set<String> = []
        for entry in defects.entries {
            #expect(entry.file.hasSuffix(".json") && !entry.file.contains("/"), "\(entry.file): a bare file name")
            #expect(entry.reason.count >= 20, "\(entry.file): the reason must say why the example is wrong")
            #expect(!entry.errors.isEmpty, "\(entry.file): no errors listed")
            for error in entry.errors {
                let parts = error.split(separator: " ")
                #expect(
                    parts.count == 2 && parts[0].hasPrefix("VAL-"),
                    "\(entry.file): '\(error)' is not 'VAL-CODE path'")
                #expect(seen.insert(entry.file + " " + error).inserted, "\(entry.file): '\(error)' is listed twice")
            }
        }
    }

    @Test func ledgerFindsUnexplainedAndStaleErrors() {
        let listed = ExampleDefects(entries: [
            .init(file: "A.json", reason: "a reason long enough", errors: ["VAL-X A.b", "VAL-Y A.c"]),
            .init(file: "B.json", reason: "another reason", errors: ["VAL-X B.d"]),
        ])
        let reported: [String: Set<String>] = [
            "A.json": ["VAL-X A.b", "VAL-Z A.e"],
            "C.json": ["VAL-X C.f"],
        ]
        let diff = listed.compare(reported: reported)
        #expect(diff.unexplained == ["A.json VAL-Z A.e", "C.json VAL-X C.f"])
        #expect(diff.stale == ["A.json VAL-Y A.c", "B.json VAL-X B.d"])
        let exact = listed.compare(reported: [
            "A.json": ["VAL-X A.b", "VAL-Y A.c"], "B.json": ["VAL-X B.d"],
        ])
        #expect(exact.unexplained.isEmpty && exact.stale.isEmpty)
    }

    @Test(
        .enabled(
            if: examplesFolder != nil && TestSupport.hasCorePackage, "needs ../shared examples and the R4 core package")
    )
    func officialExamplesValidate() throws {
        guard let folder = Self.examplesFolder else { return }
        let defects = try ExampleDefects.load(Self.defectsPath)
        let model = try TestSupport.coreModel()
        let context = ValidationContext(model: model, store: TestSupport.coreStore)
        var inputs = InputValidator(validator: Validator(context: context))
        inputs.concurrency = 2
        let sources = ValidationSource.expand([folder])
        #expect(sources.count >= 700, "expected the 719 official examples, found \(sources.count)")

        let clock = ContinuousClock()
        let start = clock.now
        var reports: [ValidationReport] = []
        inputs.validate(sources) { reports.append($0) }
        let elapsed = clock.now - start
        #expect(reports.count == sources.count, "one report per example file")
        #expect(reports.allSatisfy { !$0.unreadable }, "every example is readable")

        var reported: [String: Set<String>] = [:]
        var messages: [String: String] = [:]
        var byCode: [String: Int] = [:]
        for report in reports where report.hasErrors {
            let name = Self.fileName(report.file)
            for issue in report.issues where issue.severity <= .error {
                let key = issue.code.rawValue + " " + (issue.path ?? "-")
                reported[name, default: []].insert(key)
                messages[name + " " + key] = issue.message
                byCode[issue.code.rawValue, default: 0] += 1
            }
        }
        let clean = reports.count - reported.count
        print("Validator examples: \(clean)/\(reports.count) with no errors (\(elapsed))")
        if !byCode.isEmpty {
            let codes = byCode.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
            print("Validator examples errors by code: " + codes.joined(separator: ", "))
        }

        let diff = defects.compare(reported: reported)
        let explainedFiles = Set(defects.entries.map(\.file)).intersection(reported.keys).count
        print(
            "Validator examples: \(reported.count) files with errors, \(explainedFiles) explained by "
                + "validator-example-defects.json, \(diff.unexplained.count) unexplained errors, \(diff.stale.count) stale entries"
        )
        for key in diff.unexplained {
            print("  unexplained: \(key): \(messages[key] ?? "")")
        }
        for key in diff.stale {
            print("  stale (listed, no longer reported): \(key)")
        }
        #expect(
            diff.unexplained.isEmpty,
            "errors not explained by validator-example-defects.json: \(diff.unexplained.prefix(20).joined(separator: "; "))"
        )
        #expect(
            diff.stale.isEmpty,
            "listed defects no longer reported (update validator-example-defects.json): \(diff.stale.prefix(20).joined(separator: "; "))"
        )
        #expect(clean >= (try JSONComparison.threshold("validatorExamplesClean")))
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// Fixtures/validator-example-defects.json: the errors on the official examples that are genuine
/// defects of the examples, with the reason for each.
struct ExampleDefects {
    struct Entry {
        var file: String
        var reason: String
        /// `ISSUE-CODE path` of each error this entry explains.
        var errors: [String]
    }

    var entries: [Entry]

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ path: String) throws -> ExampleDefects {
        let json = try JSONValue.parse(try FileBytes.read(path))
        guard let list = json["defects"]?.arrayValue else {
            throw Malformed(description: "\(path): no 'defects' array")
        }
        var entries: [Entry] = []
        for (n, item) in list.enumerated() {
            guard let file = item["file"]?.stringValue, let reason = item["reason"]?.stringValue,
                let errors = item["errors"]?.arrayValue
            else { throw Malformed(description: "\(path): defect \(n) needs 'file', 'reason' and 'errors'") }
            let keys = errors.compactMap(\.stringValue)
            guard keys.count == errors.count else {
                throw Malformed(description: "\(path): defect \(n) has an error that is not a string")
            }
            entries.append(Entry(file: file, reason: reason, errors: keys))
        }
        return ExampleDefects(entries: entries)
    }

    /// `file key` strings: reported errors the list does not explain, and listed errors that are
    /// not reported; both sorted.
    func compare(reported: [String: Set<String>]) -> (unexplained: [String], stale: [String]) {
        var listed: [String: Set<String>] = [:]
        for entry in entries { listed[entry.file, default: []].formUnion(entry.errors) }
        var unexplained: [String] = []
        for (file, keys) in reported {
            let known = listed[file] ?? []
            unexplained += keys.subtracting(known).map { file + " " + $0 }
        }
        var stale: [String] = []
        for (file, keys) in listed {
            let found = reported[file] ?? []
            stale += keys.subtracting(found).map { file + " " + $0 }
        }
        return (unexplained.sorted(), stale.sorted())
    }
}

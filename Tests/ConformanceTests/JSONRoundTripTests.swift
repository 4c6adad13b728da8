import FHIRGate
import FHIRGateTesting
import Testing

/// Reads every official R4 JSON example with the core model, writes it back, and compares the
/// two documents as JSON values (key order ignored, number lexemes exact).
@Suite(.serialized)
struct JSONRoundTripTests {
    static let examplesFolder = TestSupport.sharedPath("corpora/examples-r4-json")

    /// `"key": number` entries of Tests/ConformanceTests/thresholds.json.
    static func threshold(_ key: String) throws -> Int {
        let path = TestSupport.repoRoot + "/Tests/ConformanceTests/thresholds.json"
        let value = try JSONValue.parse(try FileBytes.read(path))
        guard case .number(let lexeme)? = value[key], let n = Int(lexeme) else {
            Testing.Issue.record("thresholds.json has no number for '\(key)'")
            return Int.max
        }
        return n
    }

    /// Examples allowed to have error-level reader issues, from
    /// Tests/ConformanceTests/Fixtures/json-known-issues.txt (`file.json  reason`, `#` comments).
    static func knownIssues() -> Set<String> {
        let path = TestSupport.repoRoot + "/Tests/ConformanceTests/Fixtures/json-known-issues.txt"
        guard let bytes = try? FileBytes.read(path) else { return [] }
        var names: Set<String> = []
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            if let name = trimmed.split(separator: " ", maxSplits: 1).first { names.insert(String(name)) }
        }
        return names
    }

    @Test(
        .enabled(
            if: examplesFolder != nil && TestSupport.hasCorePackage, "needs ../shared examples and the R4 core package")
    )
    func officialExamplesRoundTrip() throws {
        guard let folder = Self.examplesFolder else { return }
        let model = try TestSupport.coreModel()
        let reader = FHIRJSONReader(model: model)
        let writer = FHIRJSONWriter(model: model)
        let pretty = FHIRJSONWriter(model: model, pretty: true)
        let files = TestSupport.files(in: folder, suffix: ".json")
        #expect(files.count >= 700, "expected the 719 official examples, found \(files.count)")
        let known = Self.knownIssues()
        var passed = 0
        var failures: [String] = []
        var unexpectedIssues: [String] = []
        for name in files {
            let bytes = try FileBytes.read(folder + "/" + name)
            do {
                let parsed = try reader.read(bytes)
                let errors = parsed.issues.filter { $0.severity <= .error }
                if !errors.isEmpty && !known.contains(name) {
                    unexpectedIssues.append("\(name): \(errors.prefix(3).map(\.description).joined(separator: "; "))")
                }
                let original = try JSONValue.parse(bytes)
                let compact = try JSONValue.parse(writer.write(parsed.root))
                let indented = try JSONValue.parse(pretty.write(parsed.root))
                if original == compact && original == indented {
                    passed += 1
                } else {
                    failures.append(name)
                }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        print("JSON round trip: \(passed)/\(files.count) passed")
        if !failures.isEmpty { print("JSON round trip failures: \(failures.prefix(20))") }
        #expect(passed >= (try Self.threshold("jsonRoundTrip")))
        #expect(unexpectedIssues.isEmpty, "examples with error-level issues: \(unexpectedIssues.prefix(10))")
    }

    /// Every example listed as a known exception must still have issues (so the list stays honest).
    @Test(
        .enabled(
            if: examplesFolder != nil && TestSupport.hasCorePackage, "needs ../shared examples and the R4 core package")
    )
    func knownIssueListIsCurrent() throws {
        guard let folder = Self.examplesFolder else { return }
        let reader = FHIRJSONReader(model: try TestSupport.coreModel())
        for name in Self.knownIssues().sorted() {
            let parsed = try reader.read(fileAtPath: folder + "/" + name)
            #expect(parsed.hasErrors, "\(name) is listed in json-known-issues.txt but reads without errors")
        }
    }
}

import FHIRGate
import FHIRGateTesting
import Testing

/// Inputs written to a temporary folder for the `fhirgate validate` tests.
private struct Inputs {
    let dir: String

    init() throws {
        dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-validate")
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        if let slash = path.lastIndex(of: "/") { try FileBytes.makeDirectories(String(path[..<slash])) }
        try FileBytes.writeAtomically(Array(text.utf8), to: path)
        return path
    }

    func remove() { TestSupport.removeTree(dir) }

    /// A small resource with no error; it carries no value that may show in output.
    static let good = #"{"resourceType":"Patient","id":"p1","active":true}"#
    /// Two reader errors (an unknown element, a string where a boolean belongs) and values that
    /// must never appear in the output.
    static let bad = """
        {"resourceType":"Patient","id":"p2","active":"Zyxwvut",
         "secretThing":"SECRETVALUE","name":[{"family":"Qwertzuiop"}]}
        """
}

@Suite("fhirgate validate (runs the built binary)", .enabled(if: TestSupport.hasCorePackage))
struct ValidateCommandTests {
    @Test("text output: one header per resource, errors first with path and line:col, then a summary")
    func textReport() throws {
        let inputs = try Inputs()
        defer { inputs.remove() }
        let good = try inputs.write("good.json", Inputs.good)
        let bad = try inputs.write("bad.json", Inputs.bad)
        let out = try BinaryRunner.run(["validate", good, bad])
        #expect(out.status == 1, "stderr: \(out.stderr)")
        let lines = out.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let goodHeader = try #require(lines.firstIndex { $0.hasPrefix(good + "  Patient/p1  ") }, "\(lines)")
        #expect(!lines[goodHeader].contains("error"))
        let badHeader = try #require(lines.firstIndex { $0.hasPrefix(bad + "  Patient/p2  ") }, "\(lines)")
        #expect(goodHeader < badHeader, "reports follow the input order")
        let issueLines = lines[(badHeader + 1)...].prefix { $0.hasPrefix("  ") }
        let unknown = try #require(issueLines.first { $0.contains("[STRUCT-UNKNOWN-ELEMENT]") })
        #expect(unknown.hasPrefix("  error"))
        #expect(unknown.contains("Patient.secretThing"))
        #expect(unknown.contains("2:2 "), "line:col of the element: \(unknown)")
        let severities = issueLines.compactMap { $0.split(separator: " ").first.map(String.init) }
        let ranks = severities.map { ["fatal", "error", "warning", "information"].firstIndex(of: $0) ?? 9 }
        #expect(ranks == ranks.sorted(), "most severe first: \(severities)")
        #expect(lines[badHeader].contains("error"))
        let summary = try #require(lines.last { !$0.isEmpty })
        #expect(summary.hasPrefix("2 resources in 2 files: 1 with errors; "), "\(summary)")
        for secret in ["Zyxwvut", "SECRETVALUE", "Qwertzuiop"] {
            #expect(!out.stdoutText.contains(secret) && !out.stderr.contains(secret), "output quotes \(secret)")
        }
    }

    @Test("--format json for a single input prints its OperationOutcome with our codes, FHIRPath and line:col")
    func singleOperationOutcome() throws {
        let inputs = try Inputs()
        defer { inputs.remove() }
        let bad = try inputs.write("bad.json", Inputs.bad)
        let out = try BinaryRunner.run(["validate", bad, "--format", "json"])
        #expect(out.status == 1, "stderr: \(out.stderr)")
        let outcome = try JSONValue.parse(out.stdout)
        #expect(outcome["resourceType"] == .string("OperationOutcome"))
        let issues = try #require(outcome["issue"]?.arrayValue)
        let unknown = try #require(
            issues.first { $0["details"]?["coding"]?.arrayValue?.first?["code"] == .string("STRUCT-UNKNOWN-ELEMENT") })
        #expect(unknown["severity"] == .string("error"))
        #expect(unknown["expression"]?.arrayValue == [.string("Patient.secretThing")])
        let lineExtension = unknown["extension"]?.arrayValue?.first {
            $0["url"] == .string("http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line")
        }
        #expect(lineExtension?["valueInteger"] == .number("2"))
        for secret in ["Zyxwvut", "SECRETVALUE", "Qwertzuiop"] { #expect(!out.stdoutText.contains(secret)) }

        let good = try inputs.write("good.json", Inputs.good)
        let clean = try BinaryRunner.run(["validate", good, "--format", "json"])
        #expect(clean.status == 0, "stdout: \(clean.stdoutText) stderr: \(clean.stderr)")
        let cleanOutcome = try JSONValue.parse(clean.stdout)
        #expect(cleanOutcome["resourceType"] == .string("OperationOutcome"))
        let severities = (cleanOutcome["issue"]?.arrayValue ?? []).compactMap { $0["severity"]?.stringValue }
        #expect(!severities.contains("error") && !severities.contains("fatal"))
    }

    @Test("--format json for several resources prints one {file, resource, outcome} object a line")
    func jsonLines() throws {
        let inputs = try Inputs()
        defer { inputs.remove() }
        let good = try inputs.write("good.json", Inputs.good)
        let stream = try inputs.write(
            "export.ndjson", Inputs.good + "\n\n" + #"{"resourceType":"Patient","# + "\n" + Inputs.good + "\n")
        let out = try BinaryRunner.run(["validate", good, stream, "--format", "json"])
        #expect(out.status == 2, "an unreadable NDJSON line exits 2; stderr: \(out.stderr)")
        let lines = out.stdoutText.split(separator: "\n").map { try? JSONValue.parse(String($0)) }
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0?["outcome"]?["resourceType"] == .string("OperationOutcome") })
        #expect(lines.map { $0?["file"]?.stringValue } == [good, stream, stream, stream])
        #expect(lines.map { $0?["line"] } == [nil, .number("1"), .number("3"), .number("4")])
        #expect(
            lines.map { $0?["resource"] } == [
                .string("Patient/p1"), .string("Patient/p1"), .null, .string("Patient/p1"),
            ])
        let fatal = lines[2]?["outcome"]?["issue"]?.arrayValue?.first
        #expect(fatal?["severity"] == .string("fatal"))
        #expect(out.stderr.contains("1 unreadable"), "the summary goes to stderr with --format json: \(out.stderr)")
    }

    @Test("standard input: a document gives one outcome, NDJSON content one line per resource")
    func standardInput() throws {
        let document = try BinaryRunner.run(["validate", "-", "--format", "json"], stdin: Array(Inputs.bad.utf8))
        #expect(document.status == 1)
        #expect(try JSONValue.parse(document.stdout)["resourceType"] == .string("OperationOutcome"))

        let ndjson = Array((Inputs.good + "\n" + Inputs.good.replacingOccurrences("p1", "p3") + "\n").utf8)
        let stream = try BinaryRunner.run(["validate", "-", "--format", "json", "--threads", "1"], stdin: ndjson)
        #expect(stream.status == 0, "stderr: \(stream.stderr)")
        let lines = stream.stdoutText.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        #expect(lines.map { $0["resource"] } == [.string("Patient/p1"), .string("Patient/p3")])
        #expect(lines.map { $0["file"] } == [.string("<stdin>"), .string("<stdin>")])

        let text = try BinaryRunner.run(["validate", "-"], stdin: Array("\n{\"resourceType\": \"Patient\",".utf8))
        #expect(text.status == 2)
        #expect(text.stdoutText.contains("<stdin>  (unreadable)  unreadable"), "\(text.stdoutText)")
        #expect(text.stdoutText.contains("[JSON-SYNTAX]"))
    }

    @Test("folders are searched recursively for .json, .xml and .ndjson; hidden and other files are skipped")
    func folders() throws {
        let inputs = try Inputs()
        defer { inputs.remove() }
        try inputs.write("a.json", Inputs.good)
        try inputs.write("sub/deeper/b.xml", #"<Patient xmlns="http://hl7.org/fhir"><id value="x1"/></Patient>"#)
        try inputs.write("sub/c.ndjson", Inputs.good + "\n")
        try inputs.write("notes.txt", "not FHIR")
        try inputs.write(".hidden.json", "not FHIR either")
        let out = try BinaryRunner.run(["validate", inputs.dir, "--format", "json"])
        #expect(out.status == 0, "stdout: \(out.stdoutText) stderr: \(out.stderr)")
        let lines = out.stdoutText.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        #expect(
            lines.map { $0["file"]?.stringValue }
                == [inputs.dir + "/a.json", inputs.dir + "/sub/c.ndjson", inputs.dir + "/sub/deeper/b.xml"])
        #expect(lines.last?["resource"] == .string("Patient/x1"))
    }

    @Test("unreadable inputs exit 2 and are reported, and the other inputs are still validated")
    func unreadableInputs() throws {
        let inputs = try Inputs()
        defer { inputs.remove() }
        let good = try inputs.write("good.json", Inputs.good)
        let junk = try inputs.write("junk.json", "hello")
        let doctype = try inputs.write(
            "doctype.xml", #"<!DOCTYPE x [<!ENTITY e "y">]><Patient xmlns="http://hl7.org/fhir"/>"#)
        let missing = inputs.dir + "/missing.json"
        let out = try BinaryRunner.run(["validate", missing, junk, doctype, good])
        #expect(out.status == 2, "stderr: \(out.stderr)")
        for path in [missing, junk, doctype] {
            #expect(out.stdoutText.contains(path + "  (unreadable)  unreadable"), "\(path): \(out.stdoutText)")
        }
        #expect(out.stdoutText.contains(good + "  Patient/p1  "))
        #expect(out.stdoutText.contains("; 3 unreadable"))
        let empty = try BinaryRunner.run(["validate", inputs.dir + "/nothing-here/"])
        #expect(empty.status == 2)
    }

    @Test("usage errors exit 2: unknown --profile, missing --definitions, stdin twice")
    func usageErrors() throws {
        let inputs = try Inputs()
        defer { inputs.remove() }
        let good = try inputs.write("good.json", Inputs.good)
        let profile = try BinaryRunner.run([
            "validate", good, "--profile", "http://example.org/StructureDefinition/nope",
        ])
        #expect(profile.status == 2)
        #expect(profile.stderr.contains("http://example.org/StructureDefinition/nope"))
        let definitions = try BinaryRunner.run(["validate", good, "--definitions", inputs.dir + "/no-such-folder"])
        #expect(definitions.status == 2)
        let twice = try BinaryRunner.run(["validate", "-", "-"])
        #expect(twice.status == 2)
    }

    @Test("--definitions loads an XML profile that --profile then names")
    func profileFromDefinitions() throws {
        let folder = try #require(TestSupport.sharedPath("corpora/validator"), "../shared validator corpus missing")
        let out = try BinaryRunner.run([
            "validate", folder + "/patient-bad-gender.xml", "--definitions", folder + "/patient-conform-profile.xml",
            "--profile", "http://hl7.org/fhir/StructureDefinition/patient-conform-profile", "--format", "json",
        ])
        #expect(out.status == 0 || out.status == 1, "stderr: \(out.stderr)")
        #expect(try JSONValue.parse(out.stdout)["resourceType"] == .string("OperationOutcome"))
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

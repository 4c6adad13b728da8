import FHIRGate
import FHIRGateTesting
import Testing

@Suite("fhirgate definitions (runs the built binary)", .enabled(if: TestSupport.hasCorePackage))
struct DefinitionsCommandTests {
    @Test("resolve finds core definitions by URL, by URL|version and by type name; exit 1 when one is missing")
    func resolveCore() throws {
        let out = try BinaryRunner.run([
            "definitions", "resolve", "Patient", "http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1",
            "--format", "json",
        ])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let results = try #require(try JSONValue.parse(out.stdout).arrayValue)
        #expect(results.count == 2)
        #expect(results[0]["url"]?.stringValue == "http://hl7.org/fhir/StructureDefinition/Patient")
        #expect(results[1]["resourceType"]?.stringValue == "ValueSet")
        #expect(results.allSatisfy { $0["source"]?.stringValue == "hl7.fhir.r4.core#4.0.1" })

        let missing = try BinaryRunner.run(["definitions", "resolve", "Patient", "http://example.org/none"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("http://example.org/none: not found"))
    }

    @Test("definitions given on the command line take precedence, and --show prints the resource")
    func extraDefinitions() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let url = "https://fhirgate.dev/fhir/ValueSet/test-only"
        try FileBytes.writeAtomically(
            Array(#"{"resourceType":"ValueSet","id":"t","url":"\#(url)","version":"1.0.0","status":"draft"}"#.utf8),
            to: dir + "/vs.json")
        let out = try BinaryRunner.run(["definitions", "resolve", url, "--definitions", dir, "--show"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(try JSONValue.parse(out.stdout)["id"]?.stringValue == "t")
        let without = try BinaryRunner.run(["definitions", "resolve", url])
        #expect(without.status == 1)

        let sources = try BinaryRunner.run(["definitions", "sources", "--definitions", dir, "--format", "json"])
        #expect(sources.status == 0, "stderr: \(sources.stderr)")
        let list = try #require(try JSONValue.parse(sources.stdout)["sources"]?.arrayValue)
        #expect(list.first?["kind"]?.stringValue == "files")
        #expect(list.first?["counts"]?["ValueSet"] == .number("1"))
    }

    @Test("a definitions path that does not exist is reported and exits 1")
    func missingPath() throws {
        let out = try BinaryRunner.run(["definitions", "sources", "--definitions", "/nonexistent/defs"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("/nonexistent/defs"))
    }
}

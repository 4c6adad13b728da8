import FHIRGate
import FHIRGateTesting
import Testing

@Suite("fhirgate convert (runs the built binary)", .enabled(if: TestSupport.hasCorePackage))
struct ConvertCommandTests {
    private var example: String? { TestSupport.sharedPath("corpora/examples-r4-json/Patient-example.json") }

    @Test("JSON -> XML -> JSON through stdin and stdout gives back the same JSON value")
    func jsonXMLJSON() throws {
        let path = try #require(example, "../shared corpora missing")
        let original = try FileBytes.read(path)
        let toXML = try BinaryRunner.run(["convert", path])
        #expect(toXML.status == 0, "stderr: \(toXML.stderr)")
        #expect(toXML.stdoutText.contains("<Patient xmlns=\"http://hl7.org/fhir\">"))
        let back = try BinaryRunner.run(["convert", "-", "--to", "json"], stdin: toXML.stdout)
        #expect(back.status == 0, "stderr: \(back.stderr)")
        let difference = JSONComparison.firstDifference(try JSONValue.parse(original), try JSONValue.parse(back.stdout))
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("--pretty re-formats JSON and keeps decimals verbatim")
    func prettyKeepsDecimals() throws {
        let input = Array(
            #"{"resourceType":"Observation","status":"final","code":{"text":"t"},"valueQuantity":{"value":1.10}}"#.utf8)
        let out = try BinaryRunner.run(["convert", "-", "--to", "json", "--pretty"], stdin: input)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(out.stdoutText.contains("\"value\": 1.10"))
        #expect(out.stdoutText.contains("\n  \"status\": \"final\""))
    }

    @Test("an unreadable input exits 2 naming the file, and the other inputs are still converted")
    func unreadableInput() throws {
        let path = try #require(example, "../shared corpora missing")
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let out = try BinaryRunner.run(["convert", dir + "/missing.json", path, "-o", dir + "/out"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("missing.json"))
        #expect(FileBytes.exists(dir + "/out/Patient-example.xml"))
    }

    @Test("malformed JSON exits 2 with line and column on stderr")
    func malformed() throws {
        let out = try BinaryRunner.run(
            ["convert", "-"], stdin: Array("{\n  \"resourceType\": \"Patient\",\n  \"id\": }".utf8))
        #expect(out.status == 2)
        #expect(out.stderr.contains("<stdin>:3:"), "stderr: \(out.stderr)")
        #expect(out.stdout.isEmpty)
    }

    @Test("unknown elements are reported with their path but do not fail conversion unless --strict")
    func unknownElements() throws {
        let input = Array(#"{"resourceType":"Patient","id":"x","favouriteColour":"blue"}"#.utf8)
        let lenient = try BinaryRunner.run(["convert", "-"], stdin: input)
        #expect(lenient.status == 0)
        #expect(lenient.stderr.contains("Patient.favouriteColour"))
        #expect(!lenient.stderr.contains("blue"), "values must not appear in messages")
        let strict = try BinaryRunner.run(["convert", "-", "--strict"], stdin: input)
        #expect(strict.status == 1)
    }

    @Test("NDJSON is converted line by line; a bad line is reported with its line number and the rest go on")
    func ndjson() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let lines = [
            #"{"resourceType":"Patient","id":"a","birthDate":"1970"}"#,
            #"{"resourceType":"Patient","id":"b","#,
            "",
            #"{"resourceType":"Observation","id":"c","status":"final","code":{"text":"x"},"valueDecimal":0.5e2}"#,
        ]
        try FileBytes.writeAtomically(Array(lines.joined(separator: "\n").utf8), to: dir + "/in.ndjson")
        let out = try BinaryRunner.run(["convert", dir + "/in.ndjson", "--to", "json"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("in.ndjson:2:"), "stderr: \(out.stderr)")
        let written = out.stdoutText.split(separator: "\n")
        #expect(written.count == 2)
        #expect(written.last?.contains("\"valueDecimal\":0.5e2") == true)
        let toXML = try BinaryRunner.run(["convert", dir + "/in.ndjson", "--to", "xml"])
        #expect(toXML.status == 2)
        #expect(toXML.stderr.contains("only be converted to NDJSON"))
    }

    @Test("usage errors exit 2 and every command has --help")
    func usage() throws {
        #expect(try BinaryRunner.run(["convert", "--no-such-flag", "x"]).status == 2)
        #expect(try BinaryRunner.run(["convert", "x", "--to", "yaml"]).status == 2)
        for command in [
            ["--help"], ["convert", "--help"], ["packages", "--help"], ["packages", "install", "--help"],
            ["packages", "list", "--help"],
        ] {
            let out = try BinaryRunner.run(command)
            #expect(out.status == 0, "\(command)")
            #expect(out.stdoutText.contains("USAGE"), "\(command)")
        }
    }
}

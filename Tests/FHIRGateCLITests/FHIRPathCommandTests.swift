import FHIRGate
import FHIRGateTesting
import Testing

@Suite("fhirgate fhirpath (runs the built binary)", .enabled(if: TestSupport.hasCorePackage))
struct FHIRPathCommandTests {
    private var example: String? { TestSupport.sharedPath("corpora/examples-r4-json/Patient-example.json") }

    @Test("a path on a resource prints one typed item per line")
    func textOutput() throws {
        let path = try #require(example, "../shared corpora missing")
        let out = try BinaryRunner.run(["fhirpath", "name[0].given", path])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(out.stdoutText == "FHIR.string\tPeter\nFHIR.string\tJames\n")
        let complex = try BinaryRunner.run(["fhirpath", "name[0]", path])
        #expect(complex.status == 0, "stderr: \(complex.stderr)")
        #expect(complex.stdoutText.hasPrefix("FHIR.HumanName\t{\"use\":\"official\","))
    }

    @Test("--format json prints typed items with FHIR JSON for complex elements and exact decimals")
    func jsonOutput() throws {
        let path = try #require(example, "../shared corpora missing")
        let out = try BinaryRunner.run(["fhirpath", "name[0] | birthDate | active", path, "--format", "json"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let items = try #require(try JSONValue.parse(out.stdout).arrayValue)
        #expect(items.count == 3)
        #expect(items.first?["type"] == .string("FHIR.HumanName"))
        #expect(items.first?["value"]?["family"] == .string("Chalmers"))
        #expect(items.dropFirst().first?["value"] == .string("1974-12-25"))
        #expect(items.last?["type"] == .string("FHIR.boolean") && items.last?["value"] == .bool(true))

        let observation = Array(
            #"{"resourceType":"Observation","status":"final","code":{"text":"t"},"valueQuantity":{"value":1.10,"code":"mg","system":"http://unitsofmeasure.org"}}"#
                .utf8)
        let quantity = try BinaryRunner.run(
            ["fhirpath", "value.value | 2.50 'mg'", "-", "--format", "json"], stdin: observation)
        #expect(quantity.status == 0, "stderr: \(quantity.stderr)")
        #expect(
            quantity.stdoutText
                == #"[{"type":"FHIR.decimal","value":1.10},{"type":"System.Quantity","value":{"value":2.50,"unit":"mg"}}]"#
                + "\n")
    }

    @Test("a syntax error exits 2 naming the position, with nothing on stdout")
    func syntaxError() throws {
        let path = try #require(example, "../shared corpora missing")
        let out = try BinaryRunner.run(["fhirpath", "name.given +", path])
        #expect(out.status == 2)
        #expect(out.stderr.contains("syntax error at 1:13"), "stderr: \(out.stderr)")
        #expect(out.stdout.isEmpty)
    }

    @Test("a missing or unreadable input exits 2 naming the file")
    func missingFile() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeTree(dir) }
        let missing = try BinaryRunner.run(["fhirpath", "id", dir + "/missing.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing.json"))
        let garbage = try BinaryRunner.run(["fhirpath", "id", "-"], stdin: Array("not fhir".utf8))
        #expect(garbage.status == 2)
        #expect(garbage.stderr.contains("<stdin>"))
        let broken = try BinaryRunner.run(
            ["fhirpath", "id", "-"], stdin: Array("{\"resourceType\": \"Patient\",".utf8))
        #expect(broken.status == 2)
        #expect(broken.stdout.isEmpty)
    }

    @Test("--var defines string variables; without an input the expression sees an empty collection")
    func variables() throws {
        let out = try BinaryRunner.run([
            "fhirpath", "%greeting + ' ' + %who", "--var", "greeting=hello", "--var", "who=a=b",
        ])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(out.stdoutText == "System.String\thello a=b\n")
        let empty = try BinaryRunner.run(["fhirpath", "$this | %context | 1"])
        #expect(empty.status == 0, "stderr: \(empty.stderr)")
        #expect(empty.stdoutText == "System.Integer\t1\n")
        let undefined = try BinaryRunner.run(["fhirpath", "%missing"])
        #expect(undefined.status == 2)
        #expect(undefined.stderr.contains("1:1"), "stderr: \(undefined.stderr)")
        let bad = try BinaryRunner.run(["fhirpath", "1", "--var", "novalue"])
        #expect(bad.status == 2)
    }

    @Test("the resource can come from standard input, as JSON or XML; an empty result prints nothing")
    func standardInput() throws {
        let json = Array(#"{"resourceType":"Patient","id":"p1","gender":"female"}"#.utf8)
        let fromJSON = try BinaryRunner.run(["fhirpath", "Patient.gender", "-"], stdin: json)
        #expect(fromJSON.status == 0, "stderr: \(fromJSON.stderr)")
        #expect(fromJSON.stdoutText == "FHIR.code\tfemale\n")
        let xml = Array(#"<Patient xmlns="http://hl7.org/fhir"><id value="p2"/><gender value="male"/></Patient>"#.utf8)
        let fromXML = try BinaryRunner.run(["fhirpath", "gender", "-", "--format", "json"], stdin: xml)
        #expect(fromXML.status == 0, "stderr: \(fromXML.stderr)")
        #expect(fromXML.stdoutText == #"[{"type":"FHIR.code","value":"male"}]"# + "\n")
        let none = try BinaryRunner.run(["fhirpath", "birthDate", "-"], stdin: json)
        #expect(none.status == 0)
        #expect(none.stdout.isEmpty)
        let noneJSON = try BinaryRunner.run(["fhirpath", "birthDate", "-", "--format", "json"], stdin: json)
        #expect(noneJSON.stdoutText == "[]\n")
    }
}

import FHIRGate
import FHIRGateTesting
import Testing

@Suite("fhirgate translate (runs the built binary)", .enabled(if: TestSupport.hasCorePackage))
struct TranslateCommandTests {
    static func translate(_ extra: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(["translate", ClinicSamples.records] + ClinicSamples.translateArguments + extra)
    }

    @Test(
        "the sample records give a transaction Bundle whose every resource validates with zero errors",
        .enabled(if: ClinicSamples.canValidate, "needs Profiles/ and ../shared/packages/hl7.fhir.us.core#3.1.0"))
    func transactionBundleValidates() throws {
        let out = try Self.translate([])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let bundle = try FHIRJSONReader(model: try TestSupport.coreModel()).read(out.stdout).root
        #expect(bundle.resourceType == "Bundle")
        #expect(bundle.children(named: "type").first?.value == "transaction")
        let entries = bundle.children(named: "entry")
        #expect(entries.count > 100)
        let validator = Validator(context: try #require(ClinicSamples.validationContext))
        var failures: [String] = []
        var types: Set<String> = []
        for (i, entry) in entries.enumerated() {
            let request = entry.children(named: "request").first
            #expect(request?.children(named: "method").first?.value == "PUT")
            guard let resource = entry.children(named: "resource").first else {
                failures.append("entry \(i): no resource")
                continue
            }
            types.insert(resource.resourceType ?? "?")
            let errors = validator.validate(resource).filter { $0.severity <= .error }
            if !errors.isEmpty {
                failures.append(
                    "entry \(i) \(resource.resourceType ?? ""): " + errors.map(\.description).joined(separator: "; "))
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
        for type in ["Patient", "Encounter", "Procedure", "MedicationAdministration", "Observation", "Provenance"] {
            #expect(types.contains(type), "\(type)")
        }
        let bundleErrors = validator.validate(bundle).filter { $0.severity <= .error }
        #expect(bundleErrors.isEmpty, "\(bundleErrors.prefix(10).map(\.description))")
        // The report: on stderr (the Bundle is on stdout), withheld items with their reasons.
        #expect(out.stderr.contains("withheld: DocumentReference "), "\(out.stderr)")
        #expect(out.stderr.contains("psychotherapy note: never disclosed"))
        #expect(out.stderr.contains("fhirgate translate: files: 4, records: "))
    }

    @Test("XML output reads back to the same resources as the JSON output")
    func xmlReadsBack() throws {
        let model = try TestSupport.coreModel()
        let json = try Self.translate(["--bundle", "collection"])
        let xml = try Self.translate(["--bundle", "collection", "--format", "xml"])
        #expect(json.status == 0 && xml.status == 0, "stderr: \(xml.stderr)")
        #expect(xml.stdoutText.hasPrefix("<?xml") || xml.stdoutText.hasPrefix("<Bundle"))
        let fromXML = try FHIRXMLReader(model: model).read(xml.stdout)
        #expect(fromXML.issues.filter { $0.severity <= .error }.isEmpty)
        let fromJSON = try FHIRJSONReader(model: model).read(json.stdout)
        #expect(fromXML.root.children(named: "type").first?.value == "collection")
        let rewritten = FHIRJSONWriter(model: model, pretty: true).write(fromXML.root)
        let difference = JSONComparison.firstDifference(
            try JSONValue.parse(FHIRJSONWriter(model: model, pretty: true).write(fromJSON.root)),
            try JSONValue.parse(rewritten))
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("--bundle none writes one file per resource into the -o folder")
    func oneFilePerResource() throws {
        let scratch = try ClinicScratch()
        defer { scratch.remove() }
        let bundle = try Self.translate(["--bundle", "collection"])
        let entries = try JSONValue.parse(bundle.stdout)["entry"]?.arrayValue ?? []
        let out = try Self.translate(["--bundle", "none", "-o", scratch.dir + "/out", "--report", "json"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let names = try FileBytes.listDirectory(scratch.dir + "/out")
        #expect(names.count == entries.count)
        let expected = entries.compactMap { entry -> String? in
            guard let type = entry["resource"]?["resourceType"]?.stringValue,
                let id = entry["resource"]?["id"]?.stringValue
            else { return nil }
            return type + "-" + id + ".json"
        }
        #expect(names == expected.sorted())
        let first = try #require(names.first)
        let resource = try JSONValue.parse(try FileBytes.read(scratch.dir + "/out/" + first))
        #expect(resource["resourceType"] != nil)
        let report = try JSONValue.parse(out.stdout)
        #expect(report["counts"]?["files written"] == .number(entries.count))
        #expect(
            (report["withheld"]?.arrayValue ?? []).contains {
                $0["reason"]?.stringValue?.contains("psychotherapy") == true
            })
    }

    @Test("a bad record is reported with file, line and field and the rest is translated (exit 1); bad input exits 2")
    func errorsAndExitCodes() throws {
        let scratch = try ClinicScratch()
        defer { scratch.remove() }
        let good =
            #"{"kind":"practitioner","formatVersion":1,"id":"PR-1","npi":"1234567893","name":{"family":"Example"}}"#
        let bad =
            #"{"kind":"patient","formatVersion":1,"id":"MRN-9","name":{"family":"Zyxwvut"},"gender":"female","#
            + #""birthDate":"1984-13-45"}"#
        let path = try scratch.write("records.ndjson", good + "\n" + bad + "\n")
        let out = try BinaryRunner.run(["translate", path, "--translation-time", "2026-01-01T00:00:00Z"])
        #expect(out.status == 1, "stderr: \(out.stderr)")
        #expect(out.stderr.contains(path + ":2:"), "\(out.stderr)")
        #expect(out.stderr.contains("patient.birthDate"), "\(out.stderr)")
        #expect(!out.stderr.contains("Zyxwvut") && !out.stderr.contains("1984-13-45"))
        let bundle = try JSONValue.parse(out.stdout)
        let types = (bundle["entry"]?.arrayValue ?? []).compactMap { $0["resource"]?["resourceType"]?.stringValue }
        #expect(types.contains("Practitioner"))
        #expect(!types.contains("Patient"))

        let missing = try BinaryRunner.run(["translate", scratch.dir + "/none.ndjson"])
        #expect(missing.status == 2)
        let syntax = try scratch.write("broken.json", "[{\"kind\": ")
        #expect(try BinaryRunner.run(["translate", syntax, "--translation-time", "2026-01-01T00:00:00Z"]).status == 2)
        for arguments in [
            ["translate", path, "--bundle", "none"],
            ["translate", path, "--translation-time", "yesterday"],
            ["translate", path, "--recipient", "PR-UNKNOWN", "--translation-time", "2026-01-01T00:00:00Z"],
            ["translate", path, "--format", "turtle"],
        ] {
            let usage = try BinaryRunner.run(arguments)
            #expect(usage.status == 2, "\(arguments): \(usage.stderr)")
        }
    }

    @Test("without --recipient the SUD patient's labelled resources are withheld, each with its reason")
    func withheldWithoutRecipient() throws {
        let arguments = ["translate", ClinicSamples.records, "--report", "json"]
        let out = try BinaryRunner.run(
            arguments + ["--translation-time", ClinicSamples.translationTime, "--clinic-organization", "ORG-CLINIC"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let report = try JSONValue.parse(Array(out.stderr.utf8))
        let reasons = (report["withheld"]?.arrayValue ?? []).compactMap { $0["reason"]?.stringValue }
        #expect(reasons.filter { $0.contains("no recipient named") }.count > 10, "\(reasons.prefix(5))")
        #expect(!out.stdoutText.contains("42CFRPart2"), "no SUD-labelled resource goes out")
        let withRecipient = try Self.translate([])
        #expect(withRecipient.stdoutText.contains("42CFRPart2"), "the Part 2 consent covers the recipient")
    }

    @Test("standard input: NDJSON from samples generate is translated")
    func standardInput() throws {
        let generated = try BinaryRunner.run(["samples", "generate", "--patients", "1", "--seed", "3"])
        let out = try BinaryRunner.run(
            ["translate", "-", "--translation-time", "2026-01-01T00:00:00Z", "--clinic-organization", "ORG-CLINIC"],
            stdin: generated.stdout)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let bundle = try JSONValue.parse(out.stdout)
        #expect(bundle["type"] == .string("transaction"))
        #expect((bundle["entry"]?.arrayValue?.count ?? 0) > 20)
    }
}

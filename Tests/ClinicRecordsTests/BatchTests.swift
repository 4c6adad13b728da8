import ClinicRecords
import FHIRModel
import Testing

@Suite struct BatchTests {
    /// The example records as one NDJSON text (one record per line), in fixture order.
    static func exampleLines() throws -> [String] {
        try Fixtures.files("examples", suffix: ".json").sorted().map { file in
            try Fixtures.text("examples/" + file).split(separator: "\n").map {
                String($0).trimmedOf(" ")
            }.joined()
        }
    }

    @Test func ndjsonBadLineInTheMiddleKeepsTheOthers() throws {
        var lines = try Self.exampleLines()
        let middle = lines.count / 2
        lines.insert(#"{"kind": "patient", "formatVersion": 1, "id": "MRN-9", "name": {"family": "Q"}}"#, at: middle)
        lines.insert(#"{"kind": "patient", "formatVersion": 1, "#, at: middle + 1)
        lines.insert("", at: middle + 2)
        let result = Fixtures.read(lines.joined(separator: "\n") + "\n", fileName: "batch.ndjson")
        #expect(result.records.count == lines.count - 3)
        let errors = result.issues.filter { $0.severity <= .error }
        #expect(errors.count == 3, "\(result.summary)")
        // The record missing birthDate and gender on its line, the broken line after it.
        #expect(errors.contains { $0.path == "patient.birthDate" && $0.position?.line == Int32(middle + 1) })
        #expect(errors.contains { $0.path == "patient.gender" && $0.position?.line == Int32(middle + 1) })
        #expect(errors.contains { $0.code == .jsonSyntax && $0.position?.line == Int32(middle + 2) })
        // Records after the bad lines carry their own line numbers.
        #expect(result.records.last?.position.line == Int32(lines.count))
    }

    @Test func crlfNDJSONAndBOMAreRead() throws {
        let lines = try Self.exampleLines()
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array(lines.joined(separator: "\r\n").utf8)
        let result = ClinicRecordReader().read(bytes, fileName: "batch.jsonl")
        #expect(result.issues.isEmpty, "\(result.summary)")
        #expect(result.records.count == lines.count)
    }

    @Test func arrayBadElementInTheMiddleKeepsTheOthers() throws {
        let lines = try Self.exampleLines()
        var items = lines
        items.insert(#"{"kind": "organization", "formatVersion": 1, "id": "ORG-2", "name": "", "npi": "1"}"#, at: 3)
        let text = "[\n" + items.joined(separator: ",\n") + "\n]\n"
        let result = Fixtures.read(text, fileName: "batch.json")
        #expect(result.records.count == lines.count)
        let errors = result.issues.filter { $0.severity <= .error }
        #expect(Set(errors.compactMap(\.path)) == ["organization.name", "organization.npi"], "\(result.summary)")
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.position?.line == 5 && $0.file == "batch.json" })
    }

    @Test func batchCheckerResolvesReferences() throws {
        let text = try Self.exampleLines().joined(separator: "\n")
        let result = Fixtures.read(text, fileName: "batch.ndjson")
        #expect(result.issues.isEmpty)
        let issues = ClinicRecordBatchChecker.check(result.records)
        // Nothing is an error: every reference either resolves or names a record outside the batch.
        #expect(!issues.contains { $0.severity <= .error }, "\(issues)")
        let outside = Set(issues.filter { $0.code == .recordReferenceOutsideBatch }.compactMap(\.path))
        // PR-MD-1, PR-RN-1 and PR-TH-1 are not among the examples; the patient MRN-000123 is.
        #expect(outside.contains("infusionSession.performers[0].practitionerId"))
        #expect(outside.contains("therapySession.therapistId"))
        #expect(!outside.contains("referral.patientId"))
        #expect(!outside.contains("referral.practitionerId"))
        #expect(!outside.contains("treatmentCourse.referralId"))
        #expect(issues.allSatisfy { $0.severity == .warning && $0.message.contains("not in this batch") })
    }

    @Test func batchCheckerFindsWrongKindsAndOtherPatients() throws {
        let lines = [
            #"{"kind":"patient","formatVersion":1,"id":"P1","name":{"family":"A"},"birthDate":"1980-01-01","gender":"female"}"#,
            #"{"kind":"patient","formatVersion":1,"id":"P2","name":{"family":"B"},"birthDate":"1980-01-01","gender":"male"}"#,
            #"{"kind":"therapySession","formatVersion":1,"id":"T1","sessionType":"preparation","patientId":"P1","courseId":"P2","therapistId":"X","start":"2026-01-01T10:00:00Z","end":"2026-01-01T11:00:00Z","mode":"in-person","status":"completed"}"#,
            #"{"kind":"questionnaireResponse","formatVersion":1,"id":"Q1","instrument":"dissociation-nrs","patientId":"P2","sessionId":"T1","authored":"2026-01-01T11:00:00Z","answers":{"dissociation-nrs":3}}"#,
            #"{"kind":"patient","formatVersion":1,"id":"P1","name":{"family":"C"},"birthDate":"1980-01-01","gender":"female"}"#,
        ]
        let first = Fixtures.read(lines[0...3].joined(separator: "\n"), fileName: "a.ndjson")
        let second = Fixtures.read(lines[4], fileName: "b.ndjson")
        #expect(first.issues.isEmpty && second.issues.isEmpty)
        let issues = ClinicRecordBatchChecker.check(first.records + second.records)
        let errors = issues.filter { $0.severity == .error }
        #expect(
            errors.contains {
                $0.path == "therapySession.courseId" && $0.code == .recordReference && $0.position?.line == 3
            })
        #expect(
            errors.contains { $0.path == "questionnaireResponse.sessionId" && $0.message.contains("another patient") })
        #expect(errors.contains { $0.code == .recordDuplicateId && $0.file == "b.ndjson" })
        #expect(issues.contains { $0.path == "therapySession.therapistId" && $0.severity == .warning })
    }

    @Test func limitsAreEnforced() throws {
        let text = try Self.exampleLines().joined(separator: "\n")
        var small = ClinicRecordReader.Limits()
        small.maxBytes = 100
        let tooBig = ClinicRecordReader(limits: small).read(Array(text.utf8), fileName: "x.ndjson")
        #expect(tooBig.records.isEmpty)
        #expect(tooBig.issues.first?.code == .jsonSizeLimit)
        var few = ClinicRecordReader.Limits()
        few.maxRecords = 2
        let capped = ClinicRecordReader(limits: few).read(Array(text.utf8), fileName: "x.ndjson")
        #expect(capped.records.count == 2)
        #expect(capped.issues.contains { $0.code == .jsonSizeLimit })
    }

    @Test func hostileInputNeverCrashes() {
        let inputs = [
            "", " ", "{", "[", "]", "{}", "[]", "null", "42", "\"x\"", "[[[[]]]]", "{\"kind\":1}",
            "{\"kind\":\"patient\",\"formatVersion\":1,\"name\":[],\"telecom\":{},\"race\":[1,null]}",
            "{\"kind\":\"infusionSession\",\"administrations\":[{\"rates\":[[],{},null,\"x\"]}],\"vitals\":[1]}",
            "{\"kind\":\"questionnaireResponse\",\"answers\":[],\"instrument\":7}",
            String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 50_000),
            "{\"kind\":\"patient\",\"birthDate\":\"\u{FFFF}\"}", "\u{FEFF}{}",
        ]
        for input in inputs {
            for name in ["x.json", "x.ndjson"] {
                let result = Fixtures.read(input, fileName: name)
                #expect(result.records.isEmpty)
                // An empty array is an empty batch, not an error.
                if !input.trimmedOf(" ").isEmpty && !(input == "[]" && name == "x.json") {
                    #expect(result.hasErrors, "\(name): \(input.prefix(40))")
                }
            }
        }
    }
}

extension String {
    func trimmedOf(_ set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}

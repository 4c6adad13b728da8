import ClinicRecords
import FHIRJSON
import FHIRModel
import Testing

@Suite struct WriterTests {
    /// Reads one record file and returns its records (the fixture must read cleanly).
    private func records(_ relative: String) throws -> [ClinicRecord] {
        let result = ClinicRecordReader().read(fileAtPath: Fixtures.path(relative))
        #expect(result.issues.isEmpty, "\(relative):\n\(result.summary)")
        return result.records.map(\.record)
    }

    @Test func everyExampleFixtureRoundTrips() throws {
        let files = try Fixtures.files("examples", suffix: ".json")
        #expect(files.count >= 13)
        var kinds: Set<ClinicRecordKind> = []
        for file in files {
            for record in try records("examples/" + file) {
                kinds.insert(record.kind)
                for pretty in [false, true] {
                    let bytes = ClinicRecordWriter(pretty: pretty).data(record)
                    let back = ClinicRecordReader().read(bytes, fileName: file)
                    #expect(back.issues.isEmpty, "\(file) (pretty: \(pretty)):\n\(back.summary)")
                    #expect(back.records.map(\.record) == [record], "\(file) (pretty: \(pretty))")
                }
            }
        }
        #expect(kinds == Set(ClinicRecordKind.allCases))
    }

    /// The written JSON equals the fixture's JSON (same fields, same values, number lexemes as
    /// written), with the fields in the same order: the fixtures use the canonical order.
    @Test func examplesAreWrittenWithTheirFieldsValuesAndOrder() throws {
        for file in try Fixtures.files("examples", suffix: ".json") {
            let original = try JSONValue.parse(try Fixtures.bytes("examples/" + file))
            let record = try #require(try records("examples/" + file).first)
            let written = ClinicRecordWriter().jsonValue(record)
            #expect(written == original, "\(file): written JSON differs from the fixture")
            #expect(Self.keyPaths(written) == Self.keyPaths(original), "\(file): field order differs")
        }
    }

    /// Every object key with its path, in document order.
    static func keyPaths(_ value: JSONValue, _ path: String = "") -> [String] {
        switch value {
        case .object(let o):
            o.pairs.flatMap { key, v in [path + "." + key] + keyPaths(v, path + "." + key) }
        case .array(let items):
            items.enumerated().flatMap { i, v in keyPaths(v, path + "[\(i)]") }
        default:
            []
        }
    }

    @Test func decimalsAreWrittenAsTheyWereRead() throws {
        let record = try #require(try records("examples/infusionSession.json").first)
        let text = String(decoding: ClinicRecordWriter().ndjsonLine(record), as: UTF8.self)
        #expect(text.contains("\"value\":70.0,\"unit\":\"kg\""))
        #expect(text.contains("{\"value\":0.5,\"unit\":\"mg/kg/h\"}"))
        #expect(text.contains("\"dose\":{\"value\":11.7,\"unit\":\"mg\"}"))
        #expect(text.contains("\"temperatureCel\":36.8"))
        #expect(!text.contains("70.00") && !text.contains("36.80"))
    }

    @Test func canonicalFieldOrderStartsWithTheEnvelope() throws {
        let record = try #require(try records("examples/referral.json").first)
        guard case .object(let object) = ClinicRecordWriter().jsonValue(record) else {
            Testing.Issue.record("not an object")
            return
        }
        #expect(Array(object.keys.prefix(4)) == ["kind", "formatVersion", "id", "placerId"])
        #expect(object.keys.last == "failedTrialsCount")
    }

    @Test func absentFieldsAndEmptyArraysAreLeftOut() throws {
        let patient = PatientRecord(
            id: "MRN-1", name: PersonName(family: "Testcase"), birthDate: FHIRDate("1980-01-02")!, gender: .unknown)
        let text = String(decoding: ClinicRecordWriter().ndjsonLine(.patient(patient)), as: UTF8.self)
        #expect(
            text
                == "{\"kind\":\"patient\",\"formatVersion\":1,\"id\":\"MRN-1\",\"name\":{\"family\":\"Testcase\"},"
                + "\"birthDate\":\"1980-01-02\",\"gender\":\"unknown\"}\n")
        let back = ClinicRecordReader().read(Array(text.utf8), fileName: "one.ndjson")
        #expect(back.records.map(\.record) == [.patient(patient)])
    }

    @Test func scoresAndAnswerCodesKeepTheirJSONTypes() throws {
        let record = try #require(try records("examples/questionnaireResponse.json").first)
        let text = String(decoding: ClinicRecordWriter().ndjsonLine(record), as: UTF8.self)
        #expect(text.contains("\"44259-0\":2,"))
        #expect(text.contains("\"44250-9\":\"LA6570-1\""))
        #expect(text.contains("\"suppliedTotal\":14}"))
    }

    @Test func ndjsonAndArrayDocumentsReadBackInOrder() throws {
        var all: [ClinicRecord] = []
        for file in try Fixtures.files("examples", suffix: ".json").sorted() {
            all += try records("examples/" + file)
        }
        let writer = ClinicRecordWriter()
        let lines = writer.ndjson(all)
        #expect(lines.filter { $0 == 0x0A }.count == all.count)
        let fromLines = ClinicRecordReader().read(lines, fileName: "all.ndjson")
        #expect(fromLines.issues.isEmpty, "\(fromLines.summary)")
        #expect(fromLines.records.map(\.record) == all)
        #expect(fromLines.records.map { Int($0.position.line) } == Array(1...all.count))
        let array = ClinicRecordWriter(pretty: true).jsonArray(all)
        let fromArray = ClinicRecordReader().read(array, fileName: "all.json")
        #expect(fromArray.issues.isEmpty, "\(fromArray.summary)")
        #expect(fromArray.records.map(\.record) == all)
        var streamed: [UInt8] = []
        let count = writer.streamNDJSON(all) { streamed += $0 }
        #expect(count == all.count)
        #expect(streamed == lines)
    }

    @Test func writingIsStableOverReadAndWrite() throws {
        for file in try Fixtures.files("examples", suffix: ".json") {
            let record = try #require(try records("examples/" + file).first)
            let once = ClinicRecordWriter().ndjsonLine(record)
            let again = ClinicRecordReader().read(once, fileName: "x.ndjson").records.map(\.record)
            #expect(again.count == 1)
            if let first = again.first { #expect(ClinicRecordWriter().ndjsonLine(first) == once, "\(file)") }
        }
    }

    @Test func stringsAreEscaped() throws {
        let note = "Says \"urgent\".\nSecond line\twith a tab and \\ backslash"
        let referral = ReferralRecord(
            id: "REF-1", patientId: "MRN-1", practitionerId: "PR-1", organizationId: "ORG-1",
            date: FHIRDate("2026-02-20")!, intent: .order, status: .requested, reasons: [ReasonCode(icd10: "F33.2")],
            notes: note)
        let bytes = ClinicRecordWriter().ndjsonLine(.referral(referral))
        #expect(bytes.filter { $0 == 0x0A }.count == 1, "a newline in a string must be escaped in NDJSON")
        let back = ClinicRecordReader().read(bytes, fileName: "x.ndjson")
        #expect(back.records.map(\.record) == [.referral(referral)])
    }
}

import ClinicRecords
import FHIRModel
import Testing

/// The bad-record corpus: one file per rule under `Fixtures/bad/`, with the errors each must give
/// (code, field path, line) in `Fixtures/bad/expected.tsv`.
@Suite struct BadRecordTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var code: String
        var path: String?
        var line: Int
        var description: String { "\(file) \(code) \(path ?? "-") line \(line)" }
    }

    static let expectations: [Expectation] = {
        guard let text = try? Fixtures.text("bad/expected.tsv") else { return [] }
        return text.split(separator: "\n").compactMap { line -> Expectation? in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: "\t").map(String.init)
            guard parts.count == 4, let number = Int(parts[3]) else { return nil }
            return Expectation(file: parts[0], code: parts[1], path: parts[2] == "-" ? nil : parts[2], line: number)
        }
    }()

    static var files: [String] { Array(Set(expectations.map(\.file))).sorted() }

    @Test func theCorpusCoversEveryFile() throws {
        let onDisk = try Fixtures.files("bad", suffix: "json") + Fixtures.files("bad", suffix: ".ndjson")
        #expect(Set(onDisk) == Set(Self.files))
        #expect(Self.files.count >= 30)
    }

    @Test(arguments: BadRecordTests.files)
    func badFileGivesItsErrors(file: String) throws {
        let result = ClinicRecordReader().read(fileAtPath: Fixtures.path("bad/" + file))
        let expected = Self.expectations.filter { $0.file == file }
        for e in expected {
            let hit = result.issues.contains {
                $0.code.rawValue == e.code && $0.path == e.path && Int($0.position?.line ?? 0) == e.line
                    && $0.severity <= .error && $0.file == Fixtures.path("bad/" + file)
            }
            #expect(hit, "missing \(e)\ngot:\n\(result.summary)")
        }
        // Nothing else: every error of the file is expected (so the rules do not cascade).
        let errors = result.issues.filter { $0.severity <= .error }
        #expect(errors.count == expected.count, "\(file):\n\(result.summary)")
        // A record with an error never comes out.
        let badRecordCount = result.records.count
        #expect(badRecordCount <= 1, "\(file)")
    }

    /// Every string value of a bad fixture that could be patient data (names, ids, dates, free text,
    /// the bad values themselves) must not appear in any message.
    @Test(arguments: BadRecordTests.files)
    func messagesQuoteNoValues(file: String) throws {
        let text = try Fixtures.text("bad/" + file)
        let result = ClinicRecordReader().read(fileAtPath: Fixtures.path("bad/" + file))
        #expect(!result.issues.isEmpty)
        let values = Self.stringValues(in: text).filter { !Self.isCodeWord($0) }
        for issue in result.issues {
            for value in values {
                #expect(!issue.message.contains(value), "\(file): message quotes a value: \(issue)")
            }
        }
    }

    /// The quoted strings of a JSON text that are values (not keys).
    static func stringValues(in text: String) -> [String] {
        var out: [String] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i] == "\"" else {
                i += 1
                continue
            }
            var j = i + 1
            var value = ""
            while j < chars.count && chars[j] != "\"" {
                value.append(chars[j])
                j += 1
            }
            var k = j + 1
            while k < chars.count && chars[k] == " " { k += 1 }
            if k >= chars.count || chars[k] != ":" { out.append(value) }
            i = j + 1
        }
        return out
    }

    /// Codes and units the messages may name when listing what is allowed (`male`, `mg/kg/h`, `TREAT`).
    static func isCodeWord(_ s: String) -> Bool {
        if RecordUnit(rawValue: s) != nil { return true }
        let lowerCode =
            s.first.map { $0.isLowercase } == true && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        let upperCode = !s.isEmpty && s.allSatisfy { $0.isUppercase && $0.isLetter }
        return lowerCode || upperCode
    }
}

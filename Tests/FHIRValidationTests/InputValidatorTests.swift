import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// Reading inputs for validation: documents, NDJSON, folders, ordering of issues and labels.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct InputValidatorTests {
    static func inputs(concurrency: Int = 1) throws -> InputValidator {
        let context = ValidationContext(model: try TestSupport.coreModel(), store: TestSupport.coreStore)
        var inputs = InputValidator(validator: Validator(context: context))
        inputs.concurrency = concurrency
        return inputs
    }

    static let patient = #"{"resourceType":"Patient","id":"p1","active":true}"#

    @Test func contentDecidesTheKind() {
        #expect(DocumentKind.detect(Array("  \n{\"a\":1}".utf8)) == .json)
        #expect(DocumentKind.detect([0xEF, 0xBB, 0xBF] + Array("<Patient/>".utf8)) == .xml)
        #expect(DocumentKind.detect(Array("{\n  \"resourceType\": \"Patient\"\n}\n".utf8)) == .json)
        #expect(DocumentKind.detect(Array("{\"a\":1}\n{\"b\":2}\n".utf8)) == .ndjson)
        #expect(DocumentKind.detect(Array("{\"a\":1}\r\n\r\n  {\"b\":2}".utf8)) == .ndjson)
        #expect(DocumentKind.detect(Array("{\"a\":1}\n".utf8)) == .json)
        #expect(DocumentKind.detect(Array(" \n\t".utf8)) == .empty)
        #expect(DocumentKind.detect(Array("hello".utf8)) == .unknown)
    }

    @Test func labelsShowOnlyWellFormedIDs() throws {
        let reader = FHIRJSONReader(model: try TestSupport.coreModel())
        func label(_ json: String) throws -> String? { ValidationReport.label(of: try reader.read(json).root) }
        #expect(try label(Self.patient) == "Patient/p1")
        #expect(try label(#"{"resourceType":"Patient"}"#) == "Patient")
        #expect(try label(#"{"resourceType":"Patient","id":"has space"}"#) == "Patient/(invalid id)")
        #expect(
            try label(#"{"resourceType":"Patient","id":"\#(String(repeating: "a", count: 65))"}"#)
                == "Patient/(invalid id)")
        #expect(try label(#"{"id":"x"}"#) == nil)
    }

    @Test func issuesAreOrderedMostSevereFirstThenByPosition() {
        let issues = [
            Issue(.warning, "W", "w", position: SourcePosition(line: 1, column: 1)),
            Issue(.error, "E2", "e2"),
            Issue(.error, "E1", "e1", position: SourcePosition(line: 9, column: 2)),
            Issue(.fatal, "F", "f"),
            Issue(.error, "E0", "e0", position: SourcePosition(line: 3, column: 7)),
            Issue(.information, "I", "i"),
        ]
        let report = ValidationReport(file: "f", resource: nil, issues: issues)
        #expect(report.issues.map(\.code.rawValue) == ["F", "E0", "E1", "E2", "W", "I"])
        #expect(report.errorCount == 4 && report.warningCount == 1 && report.informationCount == 1)
        #expect(report.hasErrors)
    }

    @Test func unreadableDocumentsGiveAFatalReport() throws {
        let inputs = try Self.inputs()
        let empty = inputs.validateDocument([], file: "e.json")
        #expect(empty.count == 1 && empty[0].unreadable && empty[0].issues.first?.severity == .fatal)
        let syntax = inputs.validateDocument(Array(#"{"resourceType":"Patient",}"#.utf8), file: "s.json")
        #expect(syntax.first?.unreadable == true && syntax.first?.issues.first?.code == .jsonSyntax)
        let doctype = inputs.validateDocument(
            Array(#"<!DOCTYPE x><Patient xmlns="http://hl7.org/fhir"/>"#.utf8), file: "d.xml")
        #expect(doctype.first?.unreadable == true && doctype.first?.resource == nil)
        let missing = inputs.validateFile("/nonexistent/x.json")
        #expect(missing.first?.unreadable == true && missing.first?.issues.first?.code == .ioRead)
    }

    @Test func jsonWithoutAResourceTypeIsNotFHIR() throws {
        let inputs = try Self.inputs()
        let manifest = inputs.validateDocument(Array("{\n  \"name\": \"my.package\"\n}".utf8), file: "package.json")
        let report = try #require(manifest.first)
        #expect(manifest.count == 1 && report.unreadable && report.resource == nil)
        #expect(report.issues.map(\.code) == [.missingResourceType] && report.issues.first?.severity == .fatal)
        #expect(report.issues.first?.message.contains("my.package") == false)
        let lines = inputs.validateDocument(Array((Self.patient + "\n{\"id\":\"x\"}\n").utf8), file: "l.ndjson")
        #expect(lines.map(\.unreadable) == [false, true] && lines.map(\.line) == [1, 2])
    }

    @Test func readerIssuesAreKeptBesideTheValidators() throws {
        let inputs = try Self.inputs()
        let reports = inputs.validateDocument(
            Array(#"{"resourceType":"Patient","id":"p9","unknownThing":1}"#.utf8), file: "u.json")
        let report = try #require(reports.first)
        #expect(report.resource == "Patient/p9" && !report.unreadable)
        #expect(report.issues.contains { $0.code == .unknownElement && $0.path == "Patient.unknownThing" })
        #expect(report.issues.allSatisfy { $0.file == nil })
    }

    @Test func ndjsonInMemoryKeepsLineNumbersAndGoesOnAfterABadLine() throws {
        let text =
            Self.patient + "\n\n" + #"{"resourceType":"Patient","id":"p2","bogus":true}"# + "\n{oops\n"
            + Self.patient + "\n"
        for concurrency in [1, 2] {
            let reports = try Self.inputs(concurrency: concurrency).validateDocument(Array(text.utf8), file: "-")
            #expect(reports.map(\.line) == [1, 3, 4, 5])
            #expect(reports.map(\.unreadable) == [false, false, true, false])
            let bogus = reports[1].issues.first { $0.code == .unknownElement }
            #expect(bogus?.position?.line == 3, "positions are lines of the whole input")
            #expect(reports[2].issues.first?.position?.line == 4)
        }
    }

    @Test func foldersAreExpandedRecursivelyInOrder() throws {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-inputs")
        defer { TestSupport.removeTree(dir) }
        let names = [
            "b.json", "a/z.XML", "a/y.ndjson", "c.txt", ".hidden.json", ".git/x.json", "d.jsonl", "package.json",
        ]
        for name in names {
            let path = dir + "/" + name
            if let slash = path.lastIndex(of: "/") { try FileBytes.makeDirectories(String(path[..<slash])) }
            try FileBytes.writeAtomically(Array(Self.patient.utf8), to: path)
        }
        let sources = ValidationSource.expand(["-", dir, dir + "/missing.json", dir + "/x.ndjson"])
        #expect(
            sources == [
                .standardInput, .ndjson(path: dir + "/a/y.ndjson"), .document(path: dir + "/a/z.XML"),
                .document(path: dir + "/b.json"), .ndjson(path: dir + "/d.jsonl"),
                .document(path: dir + "/missing.json"), .ndjson(path: dir + "/x.ndjson"),
            ])
        var reports: [ValidationReport] = []
        let standardInput: () -> Result<[UInt8], FHIRFormatError> = { .success(Array(Self.patient.utf8)) }
        try Self.inputs(concurrency: 2).validate(sources, standardInput: standardInput) { reports.append($0) }
        #expect(
            reports.map(\.file) == [
                "<stdin>", dir + "/a/y.ndjson", dir + "/a/z.XML", dir + "/b.json", dir + "/d.jsonl",
                dir + "/missing.json", dir + "/x.ndjson",
            ])
        #expect(
            reports.map(\.unreadable) == [false, false, false, false, false, true, true],
            "content, not the name, tells JSON")
    }

    @Test func documentsInMemoryComeBackInOrder() throws {
        let documents = (0..<24).map { i in
            (name: "doc\(i)", bytes: Array(#"{"resourceType":"Patient","id":"p\#(i)"}"#.utf8))
        }
        let reports = try Self.inputs(concurrency: 4).validate(documents: documents)
        #expect(reports.map(\.file) == documents.map(\.name))
        #expect(reports.map(\.resource) == (0..<24).map { "Patient/p\($0)" })
    }

    /// Several threads meeting a profile for the first time at once must all get it (a profile
    /// being resolved on one thread is not "unknown" to another).
    @Test func concurrentFirstUseOfAProfileFindsIt() throws {
        let documents = (0..<16).map { i in
            (name: "doc\(i)", bytes: Array(#"{"resourceType":"Observation","id":"o\#(i)"}"#.utf8))
        }
        for _ in 0..<3 {
            let reports = try Self.inputs(concurrency: 4).validate(documents: documents)
            let unknown = reports.flatMap(\.issues).filter { $0.code == .profileUnknown }
            #expect(unknown.isEmpty, "\(unknown.count) resources found no definition of their type")
        }
    }
}

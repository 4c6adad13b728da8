import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@Suite struct NDJSONTests {
    /// Writes `bytes` to a fresh temporary file and returns its path and directory.
    func temporaryFile(_ bytes: [UInt8]) throws -> (path: String, dir: String) {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-ndjson")
        let path = dir + "/data.ndjson"
        try FileBytes.writeAtomically(bytes, to: path)
        return (path, dir)
    }

    func records(_ text: String, chunkSize: Int = 7, limits: JSONLimits = .default) throws -> [NDJSONRecord] {
        let file = try temporaryFile(Array(text.utf8))
        defer { TestSupport.removeTree(file.dir) }
        let reader = NDJSONReader(model: MiniModel.model, limits: limits, chunkSize: chunkSize)
        return Array(try reader.records(path: file.path))
    }

    @Test func badLineInTheMiddleDoesNotStopTheRest() throws {
        let text = """
            {"resourceType":"Patient","id":"a"}
            {"resourceType":"Patient","id": oops}
            {"resourceType":"Observation","status":"final","bogus":1}
            {"resourceType":"Patient","id":"d"}
            """
        let all = try records(text)
        #expect(all.map(\.line) == [1, 2, 3, 4])
        #expect(try all[0].result.get().root.childValue("id") == "a")
        guard case .failure(let error) = all[1].result else {
            Testing.Issue.record("line 2 should fail")
            return
        }
        #expect(error.issue.code == .jsonSyntax)
        #expect(error.issue.position == SourcePosition(line: 2, column: 33))
        let third = try all[2].result.get()
        #expect(third.codes == ["STRUCT-UNKNOWN-ELEMENT"])
        #expect(third.issues.first?.position == SourcePosition(line: 3, column: 48))
        #expect(third.root.position.line == 3)
        #expect(try all[3].result.get().root.childValue("id") == "d")
    }

    @Test(arguments: [1, 2, 7, 64, 1 << 16])
    func chunkSizeDoesNotChangeTheResult(_ chunkSize: Int) throws {
        let lines = (0..<50).map { #"{"resourceType":"Patient","id":"p\#($0)","name":[{"family":"Fämily\#($0)"}]}"# }
        let all = try records(lines.joined(separator: "\n") + "\n", chunkSize: chunkSize)
        #expect(all.count == 50)
        #expect(all.map(\.line) == Array(1...50))
        for (i, record) in all.enumerated() {
            let root = try record.result.get().root
            #expect(root.childValue("id") == "p\(i)")
            #expect(root.child(named: "name")?.childValue("family") == "Fämily\(i)")
        }
    }

    @Test func blankLinesAndCRLFAreHandled() throws {
        let text =
            "\r\n{\"resourceType\":\"Patient\",\"id\":\"a\"}\r\n\n   \n{\"resourceType\":\"Patient\",\"id\":\"b\"}"
        let all = try records(text)
        #expect(all.map(\.line) == [2, 5])
        #expect(try all.map { try $0.result.get().root.childValue("id") } == ["a", "b"])
    }

    @Test func overlongLineIsReportedAndSkippedWithoutBuffering() throws {
        let long = #"{"resourceType":"Patient","id":"\#(String(repeating: "x", count: 500))"}"#
        let text =
            #"{"resourceType":"Patient","id":"a"}"# + "\n" + long + "\n" + #"{"resourceType":"Patient","id":"c"}"#
        let all = try records(text, chunkSize: 16, limits: JSONLimits(maxBytes: 100))
        #expect(all.count == 3)
        guard case .failure(let error) = all[1].result else {
            Testing.Issue.record("line 2 should exceed the limit")
            return
        }
        #expect(error.issue.code == .jsonSizeLimit && error.issue.position?.line == 2)
        #expect(try all[2].result.get().root.childValue("id") == "c")
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: FHIRFormatError.self) {
            _ = try NDJSONReader(model: nil).records(path: "/nonexistent/fhirgate/file.ndjson")
        }
    }

    @Test func writerAppendsCompactLinesAndReaderReadsThemBack() throws {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-ndjson")
        defer { TestSupport.removeTree(dir) }
        let path = dir + "/out.ndjson"
        let sources = [
            #"{"resourceType":"Patient","id":"a","text":{"status":"generated","div":"<div>\n</div>"}}"#,
            #"{"resourceType":"Observation","status":"final","valueQuantity":{"value":1.50}}"#,
        ]
        let trees = try sources.map { try MiniModel.read($0).root }
        let writer = try NDJSONWriter(path: path, model: MiniModel.model, append: false, bufferSize: 8)
        for t in trees { try writer.write(t) }
        try writer.close()
        let appender = try NDJSONWriter(path: path, model: MiniModel.model, append: true)
        try appender.write(trees[0])
        try appender.close()

        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(String(lines[0]) == sources[0] && String(lines[1]) == sources[1] && String(lines[2]) == sources[0])
        let back = Array(try NDJSONReader(model: MiniModel.model).records(path: path))
        #expect(back.count == 3)
        #expect(back.allSatisfy { (try? $0.result.get().issues.isEmpty) == true })
        #expect(
            NDJSONWriter.encode(trees, model: MiniModel.model) == Array((sources.joined(separator: "\n") + "\n").utf8))
    }
}

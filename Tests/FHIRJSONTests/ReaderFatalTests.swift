import FHIRJSON
import FHIRModel
import Testing

/// Fatal problems: thrown as FHIRFormatError with a position, never a crash.
@Suite struct ReaderFatalTests {
    /// Reads bytes with the mini model and returns the thrown error (or records a failure).
    func error(_ bytes: [UInt8], limits: JSONLimits = .default) -> FHIRFormatError? {
        do {
            _ = try FHIRJSONReader(model: MiniModel.model, limits: limits).read(bytes)
            Testing.Issue.record("expected an error")
            return nil
        } catch {
            return error
        }
    }

    func error(_ text: String, limits: JSONLimits = .default) -> FHIRFormatError? {
        error(Array(text.utf8), limits: limits)
    }

    @Test func duplicateKeysAreFatal() throws {
        let cases = [
            (#"{"resourceType":"Patient","active":true,"active":false}"#, 41),
            (#"{"resourceType":"Patient","resourceType":"Patient"}"#, 27),
            (#"{"resourceType":"Observation","valueString":"a","valueString":"b"}"#, 49),
            (#"{"resourceType":"Patient","_active":{},"_active":{}}"#, 40),
            (#"{"resourceType":"Patient","x":1,"x":2}"#, 33),
            (#"{"resourceType":"Patient","name":[{"family":"a","family":"b"}]}"#, 49),
        ]
        for (json, column) in cases {
            let e = try #require(error(json))
            #expect(e.issue.code == .jsonDuplicateKey, "\(json)")
            #expect(e.issue.position == SourcePosition(line: 1, column: column), "\(json): \(e)")
        }
        // Untyped reading too.
        #expect(throws: FHIRFormatError.self) { try FHIRJSONReader(model: nil).read(#"{"a":1,"b":{"c":1,"c":2}}"#) }
    }

    @Test func duplicatesInLargeUnknownObjectsAreFound() throws {
        var members = (0..<200).map { #""k\#($0)":\#($0)"# }
        members.append(#""k7":0"#)
        let json = #"{"resourceType":"Patient","extra":{"# + members.joined(separator: ",") + "}}"
        #expect(error(json)?.issue.code == .jsonDuplicateKey)
    }

    @Test(
        arguments: [
            ([0xC3, 0x28], "invalid continuation"),
            ([0xC0, 0xAF], "overlong 2-byte"),
            ([0xE0, 0x80, 0xAF], "overlong 3-byte"),
            ([0xF0, 0x80, 0x80, 0xAF], "overlong 4-byte"),
            ([0xED, 0xA0, 0x80], "encoded surrogate"),
            ([0xF4, 0x90, 0x80, 0x80], "beyond U+10FFFF"),
            ([0xFF], "invalid byte"),
            ([0xE2, 0x82], "truncated sequence"),
        ] as [([UInt8], String)])
    func invalidUTF8IsFatal(_ bad: [UInt8], _ label: String) throws {
        let bytes = Array(#"{"resourceType":"Patient","id":"a"#.utf8) + bad + Array(#""}"#.utf8)
        let e = try #require(error(bytes))
        #expect(e.issue.code == .jsonEncoding, "\(label)")
        #expect(e.issue.position == SourcePosition(line: 1, column: 34), "\(label): \(e)")
    }

    @Test(arguments: [#"\ud800"#, #"\udc00"#, #"\ud800\u0041"#, #"\ud800x"#])
    func loneSurrogateEscapesAreFatal(_ escape: String) throws {
        let e = try #require(error(#"{"resourceType":"Patient","id":"a\#(escape)"}"#))
        #expect(e.issue.code == .jsonEncoding)
        #expect(e.issue.position?.isKnown == true)
    }

    @Test func millionOpenBracketsGiveADepthError() throws {
        let deep = [UInt8](repeating: 0x5B, count: 1_000_000)
        let typed = Array(#"{"resourceType":"Patient","x":"#.utf8) + deep
        #expect(error(typed)?.issue.code == .jsonDepthLimit)
        #expect(throws: FHIRFormatError.self) { try FHIRJSONReader(model: nil).read(Array(#"{"a":"#.utf8) + deep) }
        // A top-level array is refused before any nesting.
        #expect(error(deep)?.issue.code == .jsonWrongType)
        // Deep objects through known elements too.
        let objects = String(repeating: #"{"resourceType":"Parameters","parameter":[{"resource":"#, count: 200)
        let e = try #require(error(objects, limits: JSONLimits(maxDepth: 64)))
        #expect(e.issue.code == .jsonDepthLimit && e.issue.position?.isKnown == true)
    }

    @Test func stackGuardStopsDeepInputEvenWithoutADepthLimit() throws {
        let unlimited = JSONLimits(maxDepth: Int.max, maxBytes: Int.max)
        let deep = [UInt8](repeating: 0x5B, count: 1_000_000)
        let typed = Array(#"{"resourceType":"Patient","x":"#.utf8) + deep
        #expect(error(typed, limits: unlimited)?.issue.code == .jsonDepthLimit)
        let nested = String(repeating: #"{"resourceType":"Parameters","parameter":[{"resource":"#, count: 100_000)
        #expect(error(nested, limits: unlimited)?.issue.code == .jsonDepthLimit)
        do {
            _ = try JSONValue.parse(deep, limits: unlimited)
            Testing.Issue.record("expected a depth error")
        } catch {
            #expect(error.issue.code == .jsonDepthLimit)
        }
    }

    @Test func depthLimitIsExact() throws {
        let limits = JSONLimits(maxDepth: 4)
        let ok = #"{"resourceType":"Patient","x":[[{"y":1}]]}"#  // depth 4
        #expect(throws: Never.self) { try FHIRJSONReader(model: MiniModel.model, limits: limits).read(ok) }
        let tooDeep = #"{"resourceType":"Patient","x":[[[{"y":1}]]]}"#
        #expect(error(tooDeep, limits: limits)?.issue.code == .jsonDepthLimit)
    }

    @Test func sizeLimitIsFatal() throws {
        let json = #"{"resourceType":"Patient","id":"abc"}"#
        #expect(error(json, limits: JSONLimits(maxBytes: 10))?.issue.code == .jsonSizeLimit)
        #expect(throws: Never.self) {
            try FHIRJSONReader(model: MiniModel.model, limits: JSONLimits(maxBytes: json.utf8.count)).read(json)
        }
    }

    @Test(arguments: ["", "   \n  ", "\u{FEFF}"])
    func emptyInputIsFatal(_ text: String) throws {
        let e = try #require(error(text))
        #expect(e.issue.code == .jsonSyntax)
        #expect(e.issue.position?.isKnown == true)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"resourceType":"Patient"}"#.utf8)
        #expect(try FHIRJSONReader(model: MiniModel.model).read(bytes).root.typeName == "Patient")
    }

    @Test(arguments: [
        (#"{"resourceType":"Patient"} x"#, 28),
        (#"{"resourceType":"Patient"}{}"#, 27),
        (#"{"resourceType":"Patient"}]"#, 27),
    ])
    func trailingGarbageIsFatal(_ json: String, _ column: Int) throws {
        let e = try #require(error(json))
        #expect(e.issue.code == .jsonSyntax)
        #expect(e.issue.position == SourcePosition(line: 1, column: column))
    }

    @Test func trailingNulByteIsFatal() throws {
        let e = try #require(error(Array(#"{"resourceType":"Patient"}"#.utf8) + [0]))
        #expect(e.issue.code == .jsonSyntax)
    }

    @Test func syntaxErrorsNameLineAndColumn() throws {
        let e = try #require(error("{\n  \"resourceType\": \"Patient\",\n  \"active\": tru\n}"))
        #expect(e.issue.code == .jsonSyntax)
        #expect(e.issue.position == SourcePosition(line: 3, column: 13))
    }

    @Test func nonObjectDocumentsAreRefused() throws {
        for text in ["[]", "\"Patient\"", "12", "true", "null"] {
            #expect(error(text)?.issue.code == .jsonWrongType, "\(text)")
        }
        #expect(error("<Patient/>")?.issue.code == .jsonSyntax)
    }

    @Test func errorMessagesDoNotEchoValues() throws {
        let e = try #require(error(#"{"resourceType":"Patient","id":"SECRET"  "x":1}"#))
        #expect(!e.description.contains("SECRET"))
    }
}

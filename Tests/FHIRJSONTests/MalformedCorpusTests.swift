import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

/// Every file of Fixtures/malformed must give a FHIRFormatError with a position: with the
/// typed reader, the untyped reader and the raw JSONValue parser. Never a crash.
@Suite struct MalformedCorpusTests {
    static let folder: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures/malformed"
    }()

    static let files = TestSupport.files(in: folder, suffix: ".json")

    @Test func corpusIsPresent() {
        #expect(Self.files.count >= 40, "malformed corpus missing at \(Self.folder)")
    }

    @Test(arguments: files)
    func malformedFileIsAFormatErrorWithPosition(_ name: String) throws {
        let bytes = try FileBytes.read(Self.folder + "/" + name)
        let readers = [FHIRJSONReader(model: MiniModel.model), FHIRJSONReader(model: nil)]
        var validJSON = false
        for reader in readers {
            do {
                let parsed = try reader.read(bytes)
                Testing.Issue.record("\(name) was accepted: \(parsed.root.typeName ?? "?")")
            } catch {
                #expect(error.issue.severity == .fatal)
                #expect(error.issue.position?.isKnown == true, "\(name): \(error)")
                #expect(error.issue.code.rawValue.hasPrefix("JSON-"), "\(name): \(error)")
                // Valid JSON that is not an object is refused by the FHIR readers only.
                validJSON = error.issue.code == .jsonWrongType
            }
        }
        if !validJSON {
            #expect(throws: FHIRFormatError.self, "\(name)") { try JSONValue.parse(bytes) }
        }
    }

    @Test func specificCodes() throws {
        let expected: [String: IssueCode] = [
            "invalid-utf8.json": .jsonEncoding, "overlong-utf8-slash.json": .jsonEncoding,
            "lone-high-surrogate.json": .jsonEncoding, "duplicate-key.json": .jsonDuplicateKey,
            "duplicate-in-contained.json": .jsonDuplicateKey, "deep-arrays.json": .jsonDepthLimit,
            "deep-objects.json": .jsonDepthLimit, "unclosed-deep.json": .jsonDepthLimit,
            "trailing-garbage.json": .jsonSyntax, "utf16-bom.json": .jsonEncoding, "empty.json": .jsonSyntax,
            "top-level-array.json": .jsonWrongType,
        ]
        let reader = FHIRJSONReader(model: MiniModel.model)
        for (name, code) in expected {
            let bytes = try FileBytes.read(Self.folder + "/" + name)
            #expect(throws: FHIRFormatError.self) { try reader.read(bytes) }
            do {
                _ = try reader.read(bytes)
            } catch {
                #expect(error.issue.code == code, "\(name): \(error)")
            }
        }
    }
}

import FHIRJSON
import FHIRModel
import Testing

/// The reader's fast paths (word-at-a-time string and key scanning, the key hash tables, the
/// node stack that builds children in place) must give exactly what the simple byte-by-byte
/// rules give, wherever the interesting byte falls relative to an 8-byte word.
@Suite struct ReaderFastPathTests {
    /// Runs the scanner's `readString` on `body` wrapped in quotes (and some padding after it).
    static func scanString(_ body: [UInt8], padding: Int = 0) -> Result<String, FHIRFormatError> {
        let bytes = [0x22] + body + [0x22] + [UInt8](repeating: 0x20, count: padding)
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer, limits: .default)
            return Result { () throws(FHIRFormatError) -> String in try scanner.readString() }
        }
    }

    @Test func specialBytesAreFoundAtEveryOffset() throws {
        for length in 0..<40 {
            for padding in [0, 3, 9] {
                let plain = [UInt8](repeating: 0x61, count: length)
                #expect(try Self.scanString(plain, padding: padding).get() == String(repeating: "a", count: length))
                for at in 0..<length {
                    // An escaped quote, a two-byte character and an escaped code point at `at`.
                    var escaped = plain
                    escaped.replaceSubrange(at..<at + 1, with: Array(#"\""#.utf8))
                    let expected =
                        String(repeating: "a", count: at) + "\"" + String(repeating: "a", count: length - at - 1)
                    #expect(try Self.scanString(escaped, padding: padding).get() == expected)
                    var accented = plain
                    accented.replaceSubrange(at..<at + 1, with: Array("é".utf8))
                    let accentedText =
                        String(repeating: "a", count: at) + "é" + String(repeating: "a", count: length - at - 1)
                    #expect(try Self.scanString(accented, padding: padding).get() == accentedText)
                    var unicode = accented + Array(#"\u00e9\ud83d\ude00\n"#.utf8)
                    unicode += plain
                    #expect(
                        try Self.scanString(unicode, padding: padding).get() == accentedText + "é😀\n"
                            + String(repeating: "a", count: length))
                }
            }
        }
    }

    @Test func stringErrorsKeepTheirFirstPosition() throws {
        for length in 1..<30 {
            for at in 0..<length {
                var control = [UInt8](repeating: 0x62, count: length)
                control[at] = 0x01
                var invalid = [UInt8](repeating: 0x62, count: length)
                invalid[at] = 0xFF
                // An escape before the bad byte sends the scan down the slow path first.
                var both = Array(#"\n"#.utf8) + invalid
                both.append(0x01)
                for (body, code, column) in [
                    (control, IssueCode.jsonSyntax, at + 2), (invalid, .jsonEncoding, at + 2),
                    (both, .jsonEncoding, at + 4),
                ] {
                    switch Self.scanString(body, padding: 8) {
                    case .success: Issue.record("accepted a bad string of \(length) bytes (bad byte at \(at))")
                    case .failure(let error):
                        #expect(error.issue.code == code)
                        #expect(error.issue.position == SourcePosition(line: 1, column: column))
                    }
                }
            }
            let unterminated = [0x22] + [UInt8](repeating: 0x63, count: length)
            let result = unterminated.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(bytes: buffer, limits: .default)
                return Result { () throws(FHIRFormatError) -> String in try scanner.readString() }
            }
            #expect(throws: FHIRFormatError.self) { try result.get() }
        }
    }

    @Test func plainKeysHashTheSameWayAsTheTables() {
        for length in 0..<40 {
            let key = (0..<length).map { UInt8(0x41 + ($0 * 7) % 26) }
            let bytes = [0x22] + key + Array(#"":1"#.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(bytes: buffer, limits: .default)
                let span = scanner.scanPlainKey()
                #expect(span?.start == 1 && span?.end == 1 + length)
                #expect(scanner.offset == length + 2)
                let direct = key.withUnsafeBufferPointer { k in
                    k.baseAddress.map { JSONScanner.keyHash($0, length) } ?? 0
                }
                #expect(span?.hash == direct)
                // A key with an escape or a non-ASCII byte anywhere is left to the general path.
                for at in 0..<length {
                    for odd: UInt8 in [0x5C, 0xC3] {
                        var other = bytes
                        other[1 + at] = odd
                        other.withUnsafeBufferPointer { buffer in
                            var scanner = JSONScanner(bytes: buffer, limits: .default)
                            #expect(scanner.scanPlainKey() == nil)
                            #expect(scanner.offset == 0)
                        }
                    }
                }
            }
        }
        // No bytes hash to 0, which is what the tables use for an empty key.
        let empty = [UInt8](repeating: 0, count: 1)
        #expect(empty.withUnsafeBufferPointer { $0.baseAddress.map { JSONScanner.keyHash($0, 0) } } == 0)
    }

    /// A model whose keys collide in the reader's hash (same length, same first and last eight
    /// bytes), so lookups must compare the bytes.
    static let collidingModel: ModelInfo = {
        func e(_ name: String, _ types: [String], array: Bool = false, choice: Bool = false) -> ElementSummary {
            ElementSummary(
                name: name, types: types, isArray: array, isChoice: choice, min: 0, isXMLAttribute: false,
                backbonePath: nil)
        }
        let base = [e("id", ["string"]), e("extension", ["Extension"], array: true)]
        var types = ["string", "boolean", "integer", "uri"].map { p in
            TypeSummary(name: p, kind: .primitive, baseType: nil, isAbstract: false, url: "", elements: base)
        }
        types.append(
            TypeSummary(name: "Element", kind: .complex, baseType: nil, isAbstract: false, url: "", elements: base))
        types.append(
            TypeSummary(
                name: "Extension", kind: .complex, baseType: "Element", isAbstract: false, url: "",
                elements: base + [e("url", ["uri"]), e("value", ["string", "boolean"], choice: true)]))
        types.append(
            TypeSummary(
                name: "Thing", kind: .resource, baseType: nil, isAbstract: false, url: "",
                elements: [
                    e("id", ["string"]), e("abcdefghXyzstuvwxyz", ["string"]), e("abcdefghYyzstuvwxyz", ["integer"]),
                    e("abcdefghZyzstuvwxyz", ["boolean"], array: true),
                    e("value", ["string", "integer", "boolean"], choice: true),
                    e("extension", ["Extension"], array: true),
                ]))
        return ModelInfo(types: types, fhirVersion: "4.0.1")
    }()

    @Test func collidingKeysAreToldApartAndSorted() throws {
        let reader = FHIRJSONReader(model: Self.collidingModel)
        let json = #"""
            {"resourceType":"Thing","abcdefghZyzstuvwxyz":[true,false],"valueInteger":3,"abcdefghYyzstuvwxyz":7,
             "abcdefghXyzstuvwxyz":"x","id":"t1","abcdefghWyzstuvwxyz":"unknown"}
            """#
        let parsed = try reader.read(json)
        #expect(parsed.codes == ["STRUCT-UNKNOWN-ELEMENT"])
        #expect(
            parsed.root.children.map(\.name) == [
                "id", "abcdefghXyzstuvwxyz", "abcdefghYyzstuvwxyz", "abcdefghZyzstuvwxyz", "abcdefghZyzstuvwxyz",
                "value", "abcdefghWyzstuvwxyz",
            ])
        #expect(
            parsed.root.children.map(\.typeName) == [
                "string", "string", "integer", "boolean", "boolean", "integer", nil,
            ])
        #expect(parsed.root.child(named: "abcdefghYyzstuvwxyz")?.value == "7")
    }

    @Test func anUnknownKeyNamedLikeAChoiceSortsWithTheChoice() throws {
        // `value` alone is not a key of `value[x]`; it is kept as unknown but sorts by its name.
        let reader = FHIRJSONReader(model: Self.collidingModel)
        let parsed = try reader.read(#"{"resourceType":"Thing","extension":[],"value":1,"id":"a"}"#)
        #expect(parsed.root.children.map(\.name) == ["id", "value"])
        #expect(parsed.root.children.last?.isUnknown == true)
        #expect(parsed.codes == ["JSON-EMPTY", "STRUCT-UNKNOWN-ELEMENT"])
    }

    @Test func manySiblingsAtSeveralLevelsKeepTheirOrder() throws {
        // Enough siblings and nesting to grow the node stack while objects are open.
        var entries: [String] = []
        for i in 0..<700 {
            let given = (0..<(i % 5)).map { "\"g\($0)\"" }.joined(separator: ",")
            let givenMember = given.isEmpty ? "" : #""given":[\#(given)],"#
            entries.append(
                #"{"fullUrl":"urn:e\#(i)","resource":{"resourceType":"Patient","id":"p\#(i)","name":[{\#(givenMember)"family":"F\#(i)"}],"active":\#(i % 2 == 0)}}"#
            )
        }
        let json = #"{"resourceType":"Bundle","type":"collection","entry":["# + entries.joined(separator: ",") + "]}"
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty)
        let read = parsed.root.children(named: "entry")
        #expect(read.count == 700)
        for (i, entry) in read.enumerated() {
            #expect(entry.childValue("fullUrl") == "urn:e\(i)")
            let patient = try #require(entry.child(named: "resource"))
            #expect(patient.children.map(\.name) == ["id", "active", "name"])
            let name = try #require(patient.child(named: "name"))
            #expect(name.children.map(\.name) == ["family"] + Array(repeating: "given", count: i % 5))
            #expect(name.children(named: "given").map(\.value) == (0..<(i % 5)).map { "g\($0)" })
        }
        #expect(try MiniModel.sameJSON(json, MiniModel.writer.writeString(parsed.root)))
    }

    @Test func mergesInsertAndNullsAreRemovedInsideNestedObjects() throws {
        let json = #"""
            {"resourceType":"Patient","name":[{"given":["a",null],"_given":[null,{"id":"x"},{"id":"extra"}],
             "family":null},{"_family":{"id":"f"},"given":[null]}]}
            """#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["STRUCT-PRIMITIVE-MISMATCH", "JSON-NULL-VALUE", "JSON-NULL-VALUE"])
        #expect(
            parsed.issues.map(\.path) == [
                "Patient.name[0].given", "Patient.name[0].family", "Patient.name[1].given[0]",
            ])
        let names = parsed.root.children(named: "name")
        #expect(names.count == 2)
        #expect(names[0].children.map(\.name) == ["given", "given", "given"])
        #expect(names[0].children.map(\.value) == ["a", nil, nil])
        #expect(names[0].children.map { $0.childValue("id") } == [nil, "x", "extra"])
        #expect(names[1].children.map(\.name) == ["family"])
        #expect(names[1].children.first?.childValue("id") == "f")
    }
}

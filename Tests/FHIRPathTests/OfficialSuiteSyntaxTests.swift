import FHIRGateTesting
import FHIRModel
import FHIRPath
import Testing

/// One `<test>` of the official FHIRPath R4 suite, reduced to what the syntax layer needs.
struct SuiteCase {
    var name: String
    var expression: String
    /// The `invalid` attribute of `<expression>` (`syntax`, `semantic`, `execution`, ...), or nil.
    var invalid: String?
}

/// A tiny extraction of `<test>` / `<expression>` from tests-fhir-r4.xml (no XML dependency).
enum SuiteExtractor {
    static func cases(in xml: String) -> [SuiteCase] {
        let text = removingComments(xml)
        var result: [SuiteCase] = []
        var rest = text[...]
        while let open = rest.range(of: "<test") {
            rest = rest[open.upperBound...]
            guard let next = rest.first, next == " " || next == "\t" || next == "\n" || next == ">" else { continue }
            guard let tagEnd = rest.firstIndex(of: ">"), let close = rest.range(of: "</test>") else { break }
            let tag = rest[..<tagEnd]
            let body = rest[rest.index(after: tagEnd)..<close.lowerBound]
            rest = rest[close.upperBound...]
            guard let exprOpen = body.range(of: "<expression"),
                let exprTagEnd = body[exprOpen.upperBound...].firstIndex(of: ">"),
                let exprClose = body.range(of: "</expression>")
            else { continue }
            let exprTag = body[exprOpen.upperBound..<exprTagEnd]
            let raw = body[body.index(after: exprTagEnd)..<exprClose.lowerBound]
            result.append(
                SuiteCase(
                    name: attribute("name", in: tag) ?? "?", expression: decodeEntities(raw),
                    invalid: attribute("invalid", in: exprTag)))
        }
        return result
    }

    static func removingComments(_ xml: String) -> String {
        var out = ""
        var rest = xml[...]
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        var rest = tag
        while let found = rest.range(of: name + "=\"") {
            let before = found.lowerBound == tag.startIndex ? " " : tag[tag.index(before: found.lowerBound)]
            rest = rest[found.upperBound...]
            guard before == " " || before == "\t" || before == "\n" else { continue }
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return decodeEntities(rest[..<end])
        }
        return nil
    }

    static func decodeEntities(_ text: Substring) -> String {
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst())
                } else {
                    scalar = nil
                }
                if let scalar, let u = Unicode.Scalar(scalar) {
                    out.unicodeScalars.append(u)
                } else {
                    out += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}

@Suite struct OfficialSuiteSyntaxTests {
    @Test func entityDecoding() {
        #expect(SuiteExtractor.decodeEntities("a &lt; b &amp;&amp; c &gt; &quot;&apos;") == "a < b && c > \"'")
        #expect(SuiteExtractor.decodeEntities("&#65;&#x42;&#X43;&bogus;") == "ABC&bogus;")
    }

    @Test func extraction() {
        let xml = """
            <tests><!-- <test name="hidden"><expression>x</expression></test> -->
            <test name="a" inputfile="p.xml"><expression invalid="syntax">1 &lt; </expression></test>
            <test name="b"><expression>name.given</expression><output type="string">x</output></test>
            </tests>
            """
        let cases = SuiteExtractor.cases(in: xml)
        #expect(cases.map(\.name) == ["a", "b"])
        #expect(cases.first?.expression == "1 < ")
        #expect(cases.first?.invalid == "syntax")
        #expect(cases.last?.invalid == nil)
    }

    @Test func officialR4Suite() throws {
        guard let path = TestSupport.sharedPath("corpora/fhirpath/tests-fhir-r4.xml") else {
            print("skipping: ../shared/corpora/fhirpath/tests-fhir-r4.xml is absent")
            return
        }
        let xml = String(decoding: try FileBytes.read(path), as: UTF8.self)
        let cases = SuiteExtractor.cases(in: xml)
        // 937 `<test` tags in the file, two of them inside an XML comment.
        #expect(cases.count == 935)
        var asExpected = 0
        var failures: [String] = []
        for test in cases {
            let expectSyntaxError = test.invalid == "syntax"
            do throws(FHIRPathError) {
                let tree = try FHIRPathParser.parse(test.expression)
                if expectSyntaxError {
                    failures.append("\(test.name): parsed but should be a syntax error")
                    continue
                }
                // The canonical form must parse back to the same shape.
                let printed = FHIRPathPrinter.print(tree)
                let again = try FHIRPathParser.parse(printed)
                if FHIRPathPrinter.print(again) != printed {
                    failures.append("\(test.name): printed form does not round-trip")
                    continue
                }
                asExpected += 1
            } catch {
                if expectSyntaxError && error.kind == .syntax {
                    asExpected += 1
                } else {
                    failures.append("\(test.name): \(error)")
                }
            }
        }
        print("FHIRPath syntax: \(asExpected)/\(cases.count) as expected")
        for failure in failures.prefix(40) { print("  " + failure) }
        #expect(asExpected >= (try JSONComparison.threshold("fhirpathSyntax")))
    }
}

import FHIRGateTesting
import FHIRModel
import FHIRPath
import Testing

@Suite struct OfficialSuiteSyntaxTests {
    @Test func entityDecoding() {
        #expect(FHIRPathSuiteExtractor.decodeEntities("a &lt; b &amp;&amp; c &gt; &quot;&apos;") == "a < b && c > \"'")
        #expect(FHIRPathSuiteExtractor.decodeEntities("&#65;&#x42;&#X43;&bogus;") == "ABC&bogus;")
    }

    @Test func extraction() {
        let xml = """
            <tests><group name="g"><!-- <test name="hidden"><expression>x</expression></test> -->
            <test name="a" inputfile="p.xml"><expression invalid="syntax">1 &lt; </expression></test>
            <test name="b"><expression>name.given</expression><output type="string">x</output></test>
            </group></tests>
            """
        let cases = FHIRPathSuiteExtractor.cases(in: xml)
        #expect(cases.map(\.name) == ["a", "b"])
        #expect(cases.first?.expression == "1 < ")
        #expect(cases.first?.invalid == "syntax")
        #expect(cases.last?.invalid == nil)
        #expect(cases.map(\.group) == ["g", "g"])
        #expect(cases.first?.inputFile == "p.xml")
        #expect(cases.last?.outputs == [FHIRPathSuiteCase.Output(type: "string", text: "x")])
    }

    @Test func officialR4Suite() throws {
        guard let path = TestSupport.sharedPath("corpora/fhirpath/tests-fhir-r4.xml") else {
            print("skipping: ../shared/corpora/fhirpath/tests-fhir-r4.xml is absent")
            return
        }
        let xml = String(decoding: try FileBytes.read(path), as: UTF8.self)
        let cases = FHIRPathSuiteExtractor.cases(in: xml)
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

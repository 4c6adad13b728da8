import FHIRGate
import FHIRGateTesting
import Testing

/// JSON -> tree -> XML -> tree -> JSON over the official R4 examples: the result must equal the
/// original as JSON values, with narrative `div`s compared as XML.
@Suite(.serialized)
struct XMLRoundTripTests {
    static let examplesFolder = TestSupport.sharedPath("corpora/examples-r4-json")

    @Test(
        .enabled(
            if: examplesFolder != nil && TestSupport.hasCorePackage, "needs ../shared examples and the R4 core package")
    )
    func officialExamplesThroughXML() throws {
        guard let folder = Self.examplesFolder else { return }
        let model = try TestSupport.coreModel()
        let jsonReader = FHIRJSONReader(model: model)
        let jsonWriter = FHIRJSONWriter(model: model)
        let xmlWriter = FHIRXMLWriter(model: model)
        let prettyWriter = FHIRXMLWriter(model: model, pretty: true)
        let xmlReader = FHIRXMLReader(model: model)
        let files = TestSupport.files(in: folder, suffix: ".json")
        #expect(files.count >= 700, "expected the 719 official examples, found \(files.count)")
        var passed = 0
        var failures: [String] = []
        for name in files {
            do {
                let bytes = try FileBytes.read(folder + "/" + name)
                let original = try JSONValue.parse(bytes)
                let tree = try jsonReader.read(bytes).root
                var ok = true
                for writer in [xmlWriter, prettyWriter] {
                    let xml = try writer.write(tree)
                    let back = try xmlReader.read(xml)
                    let errors = back.issues.filter { $0.severity <= .error }
                    if !errors.isEmpty {
                        failures.append("\(name): XML reader issues: \(errors.prefix(3).map(\.description))")
                        ok = false
                        break
                    }
                    let json = try JSONValue.parse(jsonWriter.write(back.root))
                    if let difference = JSONComparison.firstDifference(original, json) {
                        failures.append("\(name): \(difference)")
                        ok = false
                        break
                    }
                }
                if ok { passed += 1 }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        print("XML round trip: \(passed)/\(files.count)")
        for failure in failures.prefix(20) { print("XML round trip failure: \(failure)") }
        #expect(passed >= (try JSONComparison.threshold("xmlRoundTrip")))
        #expect(failures.count == 0, "round trip failures: \(failures.prefix(10))")
    }

    @Test func comparisonTreatsDivsAsXML() throws {
        let a = try JSONValue.parse(
            #"{"text": {"div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p class='a' id=\"b\">x &amp; y</p></div>"}}"#
        )
        let b = try JSONValue.parse(
            #"{"text": {"div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p id=\"b\" class=\"a\">x &#38; y</p></div>"}}"#
        )
        let c = try JSONValue.parse(
            #"{"text": {"div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p id=\"b\" class=\"a\">x y</p></div>"}}"#)
        #expect(JSONComparison.firstDifference(a, b) == nil)
        #expect(JSONComparison.firstDifference(a, c) != nil)
        #expect(JSONComparison.firstDifference(.number("1.10"), .number("1.1")) != nil)
    }
}

import FHIRGate
import FHIRGateTesting
import Testing

@Suite(.enabled(if: XMLTest.hasModel, "needs the R4 core package"))
struct XMLWriterTests {
    static func writer(pretty: Bool = false, declaration: Bool = false) throws -> FHIRXMLWriter {
        FHIRXMLWriter(model: try TestSupport.coreModel(), pretty: pretty, xmlDeclaration: declaration)
    }

    static func tree(json: String) throws -> ElementNode {
        try FHIRJSONReader(model: try TestSupport.coreModel()).read(json).root
    }

    @Test func writesAttributesChoicesAndExtensions() throws {
        let node = try Self.tree(
            json: #"""
                {"resourceType": "Observation", "id": "o1", "status": "final",
                 "code": {"coding": [{"id": "c1", "system": "http://loinc.org", "code": "1-8"}]},
                 "valueQuantity": {"value": 1.10, "unit": "g"},
                 "_status": {"extension": [{"url": "http://example.org/e", "valueBoolean": true}]}}
                """#)
        let xml = try Self.writer().writeString(node)
        #expect(
            xml
                == "<Observation xmlns=\"http://hl7.org/fhir\"><id value=\"o1\"/>"
                + "<status value=\"final\"><extension url=\"http://example.org/e\"><valueBoolean value=\"true\"/></extension></status>"
                + "<code><coding id=\"c1\"><system value=\"http://loinc.org\"/><code value=\"1-8\"/></coding></code>"
                + "<valueQuantity><value value=\"1.10\"/><unit value=\"g\"/></valueQuantity></Observation>")
    }

    @Test func writesResourceContainersAndNarrative() throws {
        let node = try Self.tree(
            json: #"""
                {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {
                  "resourceType": "Patient", "text": {"status": "generated",
                    "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a &amp; b</p></div>"},
                  "contained": [{"resourceType": "Organization", "id": "o"}]}}]}
                """#)
        let xml = try Self.writer(declaration: true).writeString(node)
        #expect(
            xml
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>"
                + "<entry><resource><Patient><text><status value=\"generated\"/>"
                + "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a &amp; b</p></div></text>"
                + "<contained><Organization><id value=\"o\"/></Organization></contained></Patient></resource></entry></Bundle>"
        )
    }

    @Test func narrativeWithoutNamespaceGetsTheXHTMLNamespace() throws {
        var node = ElementNode.resource("Basic")
        node.children = [
            ElementNode(
                name: "text", typeName: "Narrative",
                children: [
                    .primitive("status", type: "code", value: "generated"),
                    .primitive("div", type: "xhtml", value: "<div><b>x</b></div>"),
                ])
        ]
        let xml = try Self.writer().writeString(node)
        #expect(xml.contains("<div xmlns=\"http://www.w3.org/1999/xhtml\"><b>x</b></div>"))
        let back = try XMLTest.reader().read(xml)
        #expect(back.root.at("text", "div")?.value == "<div xmlns=\"http://www.w3.org/1999/xhtml\"><b>x</b></div>")
    }

    @Test func escapesValues() throws {
        var node = ElementNode.resource("Patient")
        node.children = [.primitive("id", type: "id", value: "a\"b<c>&d\te\nf\rg'h")]
        let xml = try Self.writer().writeString(node)
        #expect(xml.contains("<id value=\"a&quot;b&lt;c&gt;&amp;d&#9;e&#10;f&#13;g'h\"/>"))
        #expect(try XMLTest.reader().read(xml).root.childValue("id") == "a\"b<c>&d\te\nf\rg'h")
    }

    @Test func rejectsWhatXMLCannotCarry() throws {
        var node = ElementNode.resource("Patient")
        node.children = [
            ElementNode(
                name: "name", typeName: "HumanName", children: [.primitive("family", type: "string", value: "a\u{1}b")],
                flags: .listItem)
        ]
        #expect {
            _ = try Self.writer().write(node)
        } throws: { error in
            guard let e = error as? FHIRFormatError else { return false }
            return e.issue.path == "Patient.name[0].family" && !e.issue.message.contains("a\u{1}b")
        }
        var badName = ElementNode.resource("Patient")
        badName.children = [ElementNode(name: "my key", value: "v", flags: .unknown)]
        #expect(throws: FHIRFormatError.self) { try Self.writer().write(badName) }
        var bad = ElementNode.resource("Basic")
        bad.children = [
            ElementNode(
                name: "text", typeName: "Narrative",
                children: [.primitive("div", type: "xhtml", value: "<div><p></div>")])
        ]
        #expect {
            _ = try Self.writer().write(bad)
        } throws: { ($0 as? FHIRFormatError)?.issue.path == "Basic.text.div" }
    }

    @Test func prettyOutputReadsBackTheSame() throws {
        let node = try Self.tree(
            json: #"""
                {"resourceType": "Patient", "id": "p", "name": [{"family": "B", "given": ["A", "C"]}],
                 "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">\n  <p>x</p>\n</div>"}}
                """#)
        let pretty = try Self.writer(pretty: true, declaration: true).writeString(node)
        #expect(pretty.contains("\n  <id value=\"p\"/>\n"))
        #expect(pretty.contains("\n  <name>\n    <family value=\"B\"/>\n"))
        let back = try XMLTest.reader().read(pretty)
        #expect(back.issues.isEmpty)
        let model = try TestSupport.coreModel()
        let a = FHIRJSONWriter(model: model).writeString(node)
        let b = FHIRJSONWriter(model: model).writeString(back.root)
        #expect(a == b)
    }

    @Test func outputIsDeterministic() throws {
        let node = try Self.tree(json: #"{"resourceType": "Patient", "id": "p", "active": true, "gender": "male"}"#)
        let w = try Self.writer()
        #expect(try w.write(node) == (try w.write(node)))
        #expect(
            try FHIRXMLWriter(model: try TestSupport.coreModel()).write(node)
                == (try FHIRXMLWriter(model: try TestSupport.coreModel()).write(node)))
    }
}

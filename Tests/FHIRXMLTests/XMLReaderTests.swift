import FHIRGate
import FHIRGateTesting
import Testing

@Suite(.enabled(if: XMLTest.hasModel, "needs the R4 core package"))
struct XMLReaderTests {
    @Test("a non-repeating element given twice, or a choice given two types, is reported and kept")
    func repeatedSingleElements() throws {
        let xml = XMLTest.resource(
            "Patient",
            """
            <gender value="male"/>
            <gender value="female"/>
            <deceasedBoolean value="true"/><deceasedDateTime value="2020"/>
            <name><given value="a"/><given value="b"/></name>
            """)
        let parsed = try XMLTest.read(xml)
        let codes = parsed.issues.map(\.code)
        #expect(codes == [.elementRepeated, .choiceConflict])
        #expect(parsed.issues.first?.path == "Patient.gender")
        #expect(parsed.issues.first?.position?.line == 2)  // the second <gender>
        #expect(parsed.root.children(named: "gender").count == 2)
        // Repeating elements (given) are not reported.
        #expect(!parsed.issues.contains { $0.path?.contains("given") == true })
    }

    @Test func primitivesWithIdsAndExtensions() throws {
        let xml = XMLTest.resource(
            "Patient",
            """
            <id value="p1"/>
            <name id="n1"><family value="Chalmers"/><given value="Peter"/><given id="g2" value="James">\
            <extension url="http://example.org/nick"><valueString value="Jim"/></extension></given></name>
            <birthDate><extension url="http://example.org/absent"><valueCode value="unknown"/></extension></birthDate>
            """)
        let parsed = try XMLTest.read(xml)
        #expect(parsed.issues.isEmpty)
        let root = parsed.root
        #expect(root.isResource && root.typeName == "Patient")
        #expect(root.childValue("id") == "p1")
        let name = try #require(root.child(named: "name"))
        #expect(name.isListItem && name.typeName == "HumanName")
        #expect(name.childValue("id") == "n1")
        let given = name.children(named: "given")
        #expect(given.map(\.value) == ["Peter", "James"])
        #expect(given.allSatisfy { $0.isListItem && $0.isPrimitive })
        #expect(given[1].childValue("id") == "g2")
        let ext = try #require(given[1].child(named: "extension"))
        #expect(ext.childValue("url") == "http://example.org/nick")
        let value = try #require(ext.child(named: "value"))
        #expect(value.isChoice && value.typeName == "string" && value.value == "Jim" && value.wireName == "valueString")
        // A primitive with only an extension has no value.
        let birthDate = try #require(root.child(named: "birthDate"))
        #expect(birthDate.isPrimitive && birthDate.value == nil && birthDate.children.count == 1)

        let json = try XMLTest.json(xml)
        let expected = try JSONValue.parse(
            #"""
            {"resourceType": "Patient", "id": "p1",
             "name": [{"id": "n1", "family": "Chalmers", "given": ["Peter", "James"],
                       "_given": [null, {"id": "g2", "extension": [{"url": "http://example.org/nick", "valueString": "Jim"}]}]}],
             "_birthDate": {"extension": [{"url": "http://example.org/absent", "valueCode": "unknown"}]}}
            """#)
        #expect(json == expected)
    }

    @Test func choiceTypesAndDecimalLexemes() throws {
        let xml = XMLTest.resource(
            "Observation",
            """
            <status value="final"/><code><text value="t"/></code>
            <effectiveDateTime value="2024-03"/>
            <valueQuantity><value value="1.10"/><unit value="g"/></valueQuantity>
            <component><code><text value="c"/></code><valueQuantity><value value="0.5e2"/></valueQuantity></component>
            <component><code><text value="d"/></code><valueInteger value="007"/></component>
            """)
        let parsed = try XMLTest.read(xml)
        #expect(parsed.issues.isEmpty)
        let value = try #require(parsed.root.child(named: "value"))
        #expect(value.isChoice && value.typeName == "Quantity" && value.wireName == "valueQuantity")
        #expect(value.childValue("value") == "1.10")
        let effective = try #require(parsed.root.child(named: "effective"))
        #expect(effective.typeName == "dateTime" && effective.value == "2024-03")
        let components = parsed.root.children(named: "component")
        #expect(components[0].at("value", "value")?.value == "0.5e2")
        #expect(components[1].child(named: "value")?.typeName == "integer")
        let json = try XMLTest.json(xml)
        #expect(json["valueQuantity"]?["value"] == .number("1.10"))
        #expect(json["component"]?.arrayValue?[0]["valueQuantity"]?["value"] == .number("0.5e2"))
        #expect(json["effectiveDateTime"] == .string("2024-03"))
    }

    @Test func containedAndBundleResources() throws {
        let patient = XMLTest.resource(
            "Patient",
            """
            <id value="p"/>
            <contained><Organization><id value="o1"/><name value="Org"/></Organization></contained>
            <contained><Practitioner><id value="pr"/></Practitioner></contained>
            <managingOrganization><reference value="#o1"/></managingOrganization>
            """)
        let parsed = try XMLTest.read(patient)
        #expect(parsed.issues.isEmpty)
        let contained = parsed.root.children(named: "contained")
        #expect(contained.map(\.typeName) == ["Organization", "Practitioner"])
        #expect(contained.allSatisfy { $0.isResource && $0.isListItem })
        #expect(contained[0].childValue("name") == "Org")

        let bundle = XMLTest.resource(
            "Bundle",
            """
            <type value="collection"/>
            <entry><fullUrl value="urn:uuid:1"/><resource>\(patient)</resource></entry>
            <entry><resource><Basic><code><text value="x"/></code></Basic></resource></entry>
            """)
        let b = try XMLTest.read(bundle)
        #expect(b.issues.isEmpty)
        let entries = b.root.children(named: "entry")
        #expect(entries.count == 2)
        let resource = try #require(entries[0].child(named: "resource"))
        #expect(resource.isResource && resource.typeName == "Patient" && !resource.isListItem)
        #expect(resource.children(named: "contained").count == 2)
        let json = try XMLTest.json(bundle)
        #expect(json["entry"]?.arrayValue?[1]["resource"]?["resourceType"] == .string("Basic"))
        #expect(json["entry"]?.arrayValue?[0]["resource"]?["contained"]?.arrayValue?.count == 2)
    }

    @Test func narrativeIsCapturedAsEscapedXHTML() throws {
        let xml = XMLTest.resource(
            "Basic",
            """
            <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml" xmlns:x="urn:other">\
            <p title="a &quot;q&quot; &amp; &lt;b&gt;" class='c'>x &amp; y &lt; z &gt; w<br/>&#160;<x:tag x:attr="1">t</x:tag></p>\
            <!-- note --></div></text>
            <code><text value="x"/></code>
            """)
        let parsed = try XMLTest.read(xml)
        #expect(parsed.issues.isEmpty)
        let div = try #require(parsed.root.at("text", "div"))
        #expect(div.typeName == "xhtml" && div.isPrimitive)
        let expected =
            "<div xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:x=\"urn:other\">"
            + "<p title=\"a &quot;q&quot; &amp; &lt;b&gt;\" class=\"c\">x &amp; y &lt; z &gt; w<br/>\u{A0}"
            + "<x:tag x:attr=\"1\">t</x:tag></p><!-- note --></div>"
        #expect(div.value == expected)
    }

    @Test func narrativeNamespaceFromAncestorIsDeclared() throws {
        let xml =
            "<Basic xmlns=\"http://hl7.org/fhir\" xmlns:h=\"http://www.w3.org/1999/xhtml\">"
            + "<text><status value=\"generated\"/><h:div><h:p>x</h:p></h:div></text><code><text value=\"x\"/></code></Basic>"
        let parsed = try XMLTest.read(xml)
        #expect(parsed.issues.isEmpty)
        #expect(
            parsed.root.at("text", "div")?.value
                == "<h:div xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:p>x</h:p></h:div>")
    }

    @Test func childrenEndUpInDefinitionOrder() throws {
        let xml = XMLTest.resource(
            "Patient",
            "<gender value=\"male\"/><name><given value=\"A\"/><family value=\"B\"/></name><id value=\"p\"/><active value=\"true\"/>"
        )
        let parsed = try XMLTest.read(xml)
        #expect(parsed.root.children.map(\.name) == ["id", "active", "name", "gender"])
        #expect(parsed.root.child(named: "name")?.children.map(\.name) == ["family", "given"])
    }

    @Test func unknownContentIsReportedAndKept() throws {
        let xml = """
            <Patient xmlns="http://hl7.org/fhir">
              <id value="p"/>
              <nickname value="Pete"/>
              <name>
                <family value="B"/>
                <middle value="X"><deeper value="1"/></middle>
              </name>
              <name><family value="C" colour="red"/></name>
              <gender value="male">stray text</gender>
              <other:thing xmlns:other="urn:other"/>
            </Patient>
            """
        let parsed = try XMLTest.read(xml)
        let byCode = Dictionary(grouping: parsed.issues, by: \.code)
        let unknown = byCode[.unknownElement] ?? []
        #expect(unknown.map(\.path) == ["Patient.nickname", "Patient.name[0].middle"])
        #expect(unknown.map(\.position) == [SourcePosition(line: 3, column: 3), SourcePosition(line: 6, column: 5)])
        #expect(byCode[.xmlUnexpectedAttribute]?.first?.path == "Patient.name[1].family")
        #expect(byCode[.xmlUnexpectedText]?.first?.path == "Patient.gender")
        #expect(byCode[.xmlNamespace]?.first?.path == "Patient.thing")
        #expect(byCode[.xmlNamespace]?.first?.position == SourcePosition(line: 10, column: 3))
        #expect(parsed.issues.allSatisfy { $0.severity == .error && $0.position?.isKnown == true })
        // Kept, flagged unknown, after the known elements.
        let nickname = try #require(parsed.root.child(named: "nickname"))
        #expect(nickname.isUnknown && nickname.value == "Pete")
        let middle = try #require(parsed.root.child(named: "name")?.child(named: "middle"))
        #expect(middle.isUnknown && middle.child(named: "deeper")?.value == "1")
        #expect(parsed.root.children.last?.isUnknown == true)
        // Messages never echo values from the input.
        #expect(!parsed.issues.contains { $0.message.contains("Pete") || $0.message.contains("stray") })
    }

    @Test func misplacedAttributesAreReported() throws {
        let xml = XMLTest.resource(
            "Patient",
            "<id id=\"x\" value=\"p\"/><name value=\"v\"><family value=\"B\"/></name><extension><url value=\"u\"/></extension>"
        )
        let parsed = try XMLTest.read(xml)
        let codes = parsed.issues.map(\.code)
        #expect(codes.contains(.xmlUnexpectedAttribute))  // value on a complex element
        #expect(codes.contains(.unknownElement))  // url must be an attribute
        #expect(parsed.root.child(named: "id")?.childValue("id") == "x")
    }

    @Test func resourceIdAsAttributeIsReported() throws {
        let parsed = try XMLTest.read("<Patient xmlns=\"http://hl7.org/fhir\" id=\"p\"/>")
        #expect(parsed.issues.map(\.code) == [.xmlUnexpectedAttribute])
        #expect(parsed.issues.first?.path == "Patient")
    }

    @Test func commentsAndProcessingInstructionsAreIgnored() throws {
        let xml =
            "<?xml version=\"1.0\"?><!-- c --><?pi x?>"
            + XMLTest.resource("Patient", "<!-- inside --><?pi y?><id value=\"p\"/><![CDATA[ ]]>")
        let parsed = try XMLTest.read(xml)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.root.children.count == 1)
    }

    @Test func attributeValuesAreDecoded() throws {
        let parsed = try XMLTest.read(
            XMLTest.resource("Patient", "<id value=\"a&amp;b &#38; &lt;&gt;&quot;&apos; &#x41;&#10;z\"/>"))
        #expect(parsed.root.childValue("id") == "a&b & <>\"' A\nz")
    }

    @Test func nodesCarryPositions() throws {
        let xml =
            "<?xml version=\"1.0\"?>\n<Patient xmlns=\"http://hl7.org/fhir\">\n  <id value=\"p\"/>\n  <name\n    id=\"n\">\n    <family value=\"B\"/></name>\n</Patient>"
        let parsed = try XMLTest.read(xml)
        #expect(parsed.root.position == SourcePosition(line: 2, column: 1))
        #expect(parsed.root.child(named: "id")?.position == SourcePosition(line: 3, column: 3))
        #expect(parsed.root.child(named: "name")?.position == SourcePosition(line: 4, column: 3))
        #expect(parsed.root.at("name", "family")?.position == SourcePosition(line: 6, column: 5))
    }

    @Test func depthLimitIsEnforced() throws {
        let reader = FHIRXMLReader(model: try TestSupport.coreModel(), limits: XMLLimits(maxDepth: 5))
        let deep = XMLTest.resource(
            "Basic", String(repeating: "<extension>", count: 10) + String(repeating: "</extension>", count: 10))
        #expect {
            _ = try reader.read(deep)
        } throws: { ($0 as? FHIRFormatError)?.issue.code == .xmlDepthLimit }
        let small = FHIRXMLReader(model: try TestSupport.coreModel(), limits: XMLLimits(maxBytes: 10))
        #expect {
            _ = try small.read(deep)
        } throws: { ($0 as? FHIRFormatError)?.issue.code == .xmlSizeLimit }
    }
}

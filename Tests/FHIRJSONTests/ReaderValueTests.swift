import FHIRJSON
import FHIRModel
import Testing

@Suite struct ReaderValueTests {
    @Test(arguments: [
        "1.10", "0.5e2", "1e-7", "1234567890123456789012345678901234567890.5", "-0.0", "0", "-12E+3", "100",
    ])
    func decimalLexemesSurviveExactly(_ lexeme: String) throws {
        let json = #"{"resourceType":"Observation","valueQuantity":{"value":\#(lexeme),"unit":"mg"}}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty)
        let quantity = try #require(parsed.root.child(named: "value"))
        #expect(quantity.isChoice && quantity.typeName == "Quantity")
        #expect(quantity.childValue("value") == lexeme)
        #expect(quantity.child(named: "value")?.flags.contains(.jsonNumber) == true)
        let out = try MiniModel.roundTrip(json)
        #expect(out.contains(#""value":\#(lexeme)"#), "lexeme written verbatim as a number: \(out)")
        #expect(try MiniModel.sameJSON(json, out))
    }

    @Test(arguments: [
        "2024", "2024-03", "2024-03-05", "2024-03-05T10:20:30.123+05:30", "2024-03-05T10:20:30Z",
        "2024-03-05T10:20:30-00:00",
    ])
    func datesAndTimesKeptVerbatim(_ text: String) throws {
        let json = #"{"resourceType":"Patient","birthDate":"\#(text)","deceasedDateTime":"\#(text)"}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.root.childValue("birthDate") == text)
        let deceased = try #require(parsed.root.child(named: "deceased"))
        #expect(deceased.typeName == "dateTime" && deceased.value == text && deceased.isChoice)
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func booleansAndIntegersAreTyped() throws {
        let json = #"{"resourceType":"Patient","active":true,"multipleBirthInteger":2}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty)
        let active = try #require(parsed.root.child(named: "active"))
        #expect(active.value == "true" && active.typeName == "boolean" && active.isPrimitive)
        let birth = try #require(parsed.root.child(named: "multipleBirth"))
        #expect(birth.value == "2" && birth.typeName == "integer" && birth.wireName == "multipleBirthInteger")
        #expect(MiniModel.writer.writeString(parsed.root) == json)
    }

    @Test func primitiveExtensionsAlignWithNullsInArrays() throws {
        let json = #"""
            {"resourceType":"Patient","name":[{"given":["Ann",null,"Cy"],
            "_given":[null,{"extension":[{"url":"http://x/e","valueString":"B"}]},{"id":"g3"}]}]}
            """#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        let given = try #require(parsed.root.child(named: "name")).children(named: "given")
        #expect(given.count == 3)
        #expect(given.map(\.value) == ["Ann", nil, "Cy"])
        #expect(given.allSatisfy { $0.isListItem && $0.isPrimitive })
        #expect(given[1].child(named: "extension")?.childValue("url") == "http://x/e")
        #expect(given[2].childValue("id") == "g3")
        let out = try MiniModel.roundTrip(json)
        #expect(out.contains(#""given":["Ann",null,"Cy"]"#))
        #expect(out.contains(#""_given":[null,{"extension":[{"url":"http://x/e","valueString":"B"}]},{"id":"g3"}]"#))
        #expect(try MiniModel.sameJSON(json, out))
    }

    @Test func underscoreBeforeValueMergesToo() throws {
        let json = #"{"resourceType":"Patient","_active":{"id":"a1"},"active":false}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty)
        let active = parsed.root.children(named: "active")
        #expect(active.count == 1)
        #expect(active.first?.value == "false" && active.first?.childValue("id") == "a1")
    }

    @Test func extensionOnlyPrimitiveHasNoValue() throws {
        let fixed =
            #"{"resourceType":"Patient","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueString":"unknown"}]}}"#
        let parsed = try MiniModel.read(fixed)
        #expect(parsed.issues.isEmpty)
        let birth = try #require(parsed.root.child(named: "birthDate"))
        #expect(birth.isPrimitive && birth.value == nil && birth.typeName == "date")
        #expect(birth.child(named: "extension")?.child(named: "value")?.value == "unknown")
        let out = try MiniModel.roundTrip(fixed)
        #expect(!out.contains(#""birthDate""#))
        #expect(try MiniModel.sameJSON(fixed, out))
    }

    @Test func xhtmlDivIsAPrimitiveString() throws {
        let div = #"<div xmlns=\"http://www.w3.org/1999/xhtml\">\n<p>a &amp; b</p></div>"#
        let json = #"{"resourceType":"Patient","text":{"status":"generated","div":"\#(div)"}}"#
        let parsed = try MiniModel.read(json)
        let node = try #require(parsed.root.child(named: "text")?.child(named: "div"))
        #expect(node.typeName == "xhtml" && node.isPrimitive)
        #expect(node.value == "<div xmlns=\"http://www.w3.org/1999/xhtml\">\n<p>a &amp; b</p></div>")
        #expect(MiniModel.writer.writeString(parsed.root) == json)
    }

    @Test func childrenAreSortedIntoDefinitionOrder() throws {
        let json =
            #"{"birthDate":"2000","name":[{"given":["a"],"family":"F"}],"resourceType":"Patient","active":true,"id":"p1"}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.root.typeName == "Patient")
        #expect(parsed.root.children.map(\.name) == ["id", "active", "name", "birthDate"])
        #expect(parsed.root.child(named: "name")?.children.map(\.name) == ["family", "given"])
        #expect(
            MiniModel.writer.writeString(parsed.root)
                == #"{"resourceType":"Patient","id":"p1","active":true,"name":[{"family":"F","given":["a"]}],"birthDate":"2000"}"#
        )
    }

    @Test func backboneElementsUseTheirPathSummary() throws {
        let json = #"{"resourceType":"Patient","contact":[{"gender":"female","name":{"family":"X"}}]}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty)
        let contact = try #require(parsed.root.child(named: "contact"))
        #expect(contact.isListItem && contact.typeName == "BackboneElement")
        #expect(contact.children.map(\.name) == ["name", "gender"])
        #expect(contact.child(named: "name")?.childValue("family") == "X")
    }

    @Test func containedResourcesAreResourceNodes() throws {
        let json = #"""
            {"resourceType":"Patient","id":"p","contained":[{"resourceType":"Observation","id":"o1","status":"final"},
            {"id":"p2","resourceType":"Patient","active":false}],"active":true}
            """#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        let contained = parsed.root.children(named: "contained")
        #expect(contained.count == 2)
        #expect(contained.map(\.typeName) == ["Observation", "Patient"])
        #expect(contained.allSatisfy { $0.isResource && $0.isListItem && $0.name == "contained" })
        #expect(contained[1].childValue("active") == "false")
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func bundleEntryResourcesAndOutcomes() throws {
        let json = #"""
            {"resourceType":"Bundle","type":"transaction-response","total":2,"entry":[
            {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","id":"a"}},
            {"response":{"status":"400","outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid"}]}}}]}
            """#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        let entries = parsed.root.children(named: "entry")
        #expect(entries.count == 2)
        let resource = try #require(entries[0].child(named: "resource"))
        #expect(resource.isResource && resource.typeName == "Patient" && !resource.isListItem)
        let outcome = try #require(entries[1].child(named: "response")?.child(named: "outcome"))
        #expect(outcome.isResource && outcome.typeName == "OperationOutcome")
        #expect(outcome.child(named: "issue")?.childValue("severity") == "error")
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func parametersResourcesChoicesAndParts() throws {
        let json = #"""
            {"resourceType":"Parameters","parameter":[{"name":"n","valueInteger":7},
            {"name":"r","resource":{"resourceType":"Patient","id":"x"}},
            {"name":"p","part":[{"name":"q","valueDecimal":2.50},{"name":"deep","part":[{"name":"z","valueBoolean":false}]}]}]}
            """#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        let params = parsed.root.children(named: "parameter")
        #expect(params[0].child(named: "value")?.typeName == "integer")
        #expect(params[1].child(named: "resource")?.typeName == "Patient")
        let part = params[2].children(named: "part")
        #expect(part.count == 2)
        #expect(part[0].child(named: "value")?.value == "2.50")
        #expect(part[1].child(named: "part")?.child(named: "value")?.value == "false")
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func positionsAreLineAndColumn() throws {
        let json = "{\n  \"resourceType\": \"Patient\",\n  \"active\": true\n}"
        let parsed = try MiniModel.read(json)
        #expect(parsed.root.position == SourcePosition(line: 1, column: 1))
        #expect(parsed.root.child(named: "active")?.position == SourcePosition(line: 3, column: 3))
    }

    @Test func escapesAndUnicodeAreDecoded() throws {
        let json =
            #"{"resourceType":"Patient","name":[{"family":"Gr\u00fc\u00DFe \ud83d\ude00 \"q\" \\ \/ \t","given":["Zoë"]}]}"#
        let parsed = try MiniModel.read(json)
        let name = try #require(parsed.root.child(named: "name"))
        #expect(name.childValue("family") == "Grüße 😀 \"q\" \\ / \t")
        #expect(name.childValue("given") == "Zoë")
        let out = MiniModel.writer.writeString(parsed.root)
        #expect(out.contains(#""family":"Grüße 😀 \"q\" \\ / \t""#))
    }

    @Test func untypedReadingKeepsAnyJSON() throws {
        let json = #"{"resourceType":"Whatever","a":[1,"x",true,null,{"b":[]},[2,[3]]],"n":-0.0,"o":{},"s":"","e":[]}"#
        let reader = FHIRJSONReader(model: nil)
        let parsed = try reader.read(json)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.root.typeName == "Whatever" && parsed.root.isResource)
        let out = FHIRJSONWriter(model: nil).writeString(parsed.root)
        #expect(try MiniModel.sameJSON(json, out), "\(out)")
        #expect(parsed.root.child(named: "n")?.flags.contains(.jsonNumber) == true)
    }

    @Test func untypedReadingWithoutResourceType() throws {
        let json = #"{"a":{"b":1.50},"c":[false]}"#
        let parsed = try FHIRJSONReader(model: nil).read(json)
        #expect(parsed.root.typeName == nil)
        let out = FHIRJSONWriter(model: nil).writeString(parsed.root)
        #expect(out == json)
    }
}

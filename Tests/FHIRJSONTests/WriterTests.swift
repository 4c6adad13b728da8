import FHIRJSON
import FHIRModel
import Testing

@Suite struct WriterTests {
    let writer = FHIRJSONWriter(model: MiniModel.model)

    @Test func resourceTypeFirstAndDefinitionOrder() {
        var patient = ElementNode.resource("Patient")
        patient.children = [
            .primitive("id", type: "id", value: "p"),
            .primitive("active", type: "boolean", value: "true"),
        ]
        #expect(writer.writeString(patient) == #"{"resourceType":"Patient","id":"p","active":true}"#)
    }

    @Test func primitivesAreWrittenByFHIRType() {
        var obs = ElementNode.resource("Observation")
        obs.children = [
            ElementNode(
                name: "value", typeName: "Quantity",
                children: [
                    .primitive("value", type: "decimal", value: "1.10"),
                    .primitive("unit", type: "string", value: "10"),
                ], flags: .choice)
        ]
        #expect(
            writer.writeString(obs) == #"{"resourceType":"Observation","valueQuantity":{"value":1.10,"unit":"10"}}"#)
        var p = ElementNode.resource("Parameters")
        p.children = [
            ElementNode(
                name: "parameter", typeName: "BackboneElement",
                children: [ElementNode(name: "value", typeName: "integer", value: "-5", flags: [.primitive, .choice])],
                flags: .listItem),
            ElementNode(
                name: "parameter", typeName: "BackboneElement",
                children: [
                    ElementNode(name: "value", typeName: "boolean", value: "false", flags: [.primitive, .choice])
                ],
                flags: .listItem),
        ]
        #expect(
            writer.writeString(p)
                == #"{"resourceType":"Parameters","parameter":[{"valueInteger":-5},{"valueBoolean":false}]}"#)
    }

    @Test func invalidLexemesAreWrittenAsStringsSoOutputStaysValid() throws {
        var obs = ElementNode.resource("Observation")
        obs.children = [
            ElementNode(
                name: "value", typeName: "Quantity",
                children: [.primitive("value", type: "decimal", value: "+1.")], flags: .choice)
        ]
        var patient = ElementNode.resource("Patient")
        patient.children = [.primitive("active", type: "boolean", value: "TRUE")]
        #expect(writer.writeString(obs) == #"{"resourceType":"Observation","valueQuantity":{"value":"+1."}}"#)
        #expect(writer.writeString(patient) == #"{"resourceType":"Patient","active":"TRUE"}"#)
    }

    @Test func arraysFollowTheSummaryEvenWithoutListItemFlags() {
        var patient = ElementNode.resource("Patient")
        patient.children = [
            ElementNode(
                name: "name", typeName: "HumanName", children: [.primitive("given", type: "string", value: "A")])
        ]
        #expect(writer.writeString(patient) == #"{"resourceType":"Patient","name":[{"given":["A"]}]}"#)
    }

    @Test func separatedRepeatsAreGatheredIntoOneArray() throws {
        var patient = ElementNode.resource("Patient")
        patient.children = [
            ElementNode(
                name: "name", typeName: "HumanName", children: [.primitive("family", type: "string", value: "A")]),
            .primitive("active", type: "boolean", value: "true"),
            ElementNode(
                name: "name", typeName: "HumanName", children: [.primitive("family", type: "string", value: "B")]),
        ]
        let out = writer.writeString(patient)
        #expect(out == #"{"resourceType":"Patient","name":[{"family":"A"},{"family":"B"}],"active":true}"#)
        #expect((try? JSONValue.parse(out)) != nil)
    }

    @Test func stringEscapingFollowsRFC8259() {
        var patient = ElementNode.resource("Patient")
        patient.children = [.primitive("id", type: "id", value: "a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F}é😀\u{7F}")]
        #expect(
            writer.writeString(patient)
                == #"{"resourceType":"Patient","id":"a\"b\\c/d\n\r\t\b\f\u0001\u001fé😀\#u{7F}"}"#)
    }

    @Test func prettyOutputUsesTwoSpaces() {
        var patient = ElementNode.resource("Patient")
        patient.children = [
            .primitive("id", type: "id", value: "p"),
            ElementNode(name: "text", typeName: "Narrative"),
            ElementNode(
                name: "name", typeName: "HumanName",
                children: [
                    .primitive("given", type: "string", value: "A", listItem: true),
                    .primitive("given", type: "string", value: "B", listItem: true),
                ], flags: .listItem),
        ]
        let expected = """
            {
              "resourceType": "Patient",
              "id": "p",
              "text": {},
              "name": [
                {
                  "given": [
                    "A",
                    "B"
                  ]
                }
              ]
            }
            """
        #expect(FHIRJSONWriter(model: MiniModel.model, pretty: true).writeString(patient) == expected)
    }

    @Test func writingIsDeterministic() throws {
        let json = #"{"resourceType":"Patient","name":[{"given":["a","b"],"_given":[{"id":"1"},null]}],"active":true}"#
        let root = try MiniModel.read(json).root
        let first = writer.write(root)
        for _ in 0..<5 { #expect(writer.write(root) == first) }
    }

    @Test func writeValueGivesTheJSONValue() throws {
        let root = try MiniModel.read(#"{"resourceType":"Patient","active":true}"#).root
        let value = writer.writeValue(root)
        #expect(value["resourceType"] == .string("Patient"))
        #expect(value["active"] == .bool(true))
    }

    @Test func extensionOnlyArrayItemsWriteNullValues() throws {
        var name = ElementNode(name: "name", typeName: "HumanName", flags: .listItem)
        name.children = [
            .primitive("given", type: "string", value: "A", listItem: true),
            .primitive(
                "given", type: "string", value: nil, children: [.primitive("id", type: "string", value: "x")],
                listItem: true),
        ]
        var patient = ElementNode.resource("Patient")
        patient.children = [name]
        #expect(
            writer.writeString(patient)
                == #"{"resourceType":"Patient","name":[{"given":["A",null],"_given":[null,{"id":"x"}]}]}"#)
    }

    @Test func nodesWithoutAModelAreWrittenFromFlags() {
        let node = ElementNode(
            name: "x",
            children: [
                ElementNode(name: "n", value: "1.0", flags: [.primitive, .jsonNumber]),
                ElementNode(name: "b", value: "false", flags: [.primitive, .jsonBoolean]),
                ElementNode(name: "s", value: "1.0", flags: .primitive),
                ElementNode(name: "l", value: "z", flags: [.primitive, .listItem]),
                ElementNode(name: "e", typeName: "json:array"),
                ElementNode(name: "z", flags: .primitive),
            ])
        #expect(
            FHIRJSONWriter(model: nil).writeString(node)
                == #"{"n":1.0,"b":false,"s":"1.0","l":["z"],"e":[],"z":null}"#)
    }

    @Test func operationOutcomeFromIssuesIsValidJSON() throws {
        let outcome = ElementNode.operationOutcome([
            Issue(
                .error, .unknownElement, "unknown element 'x'", path: "Patient.x",
                position: SourcePosition(line: 2, column: 3))
        ])
        let out = writer.writeString(outcome)
        let value = try JSONValue.parse(out)
        #expect(value["resourceType"] == .string("OperationOutcome"))
        #expect(value["issue"]?.arrayValue?.count == 1)
    }
}

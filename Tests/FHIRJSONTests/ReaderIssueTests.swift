import FHIRJSON
import FHIRModel
import Testing

/// Recoverable problems: reported with path and position, data kept, reading goes on.
@Suite struct ReaderIssueTests {
    @Test func unknownElementIsReportedWithPathAndPositionAndKept() throws {
        let json =
            "{\n  \"resourceType\": \"Patient\",\n  \"name\": [{\"family\": \"F\"}, {\"nickname\": {\"x\": [1, true]}}]\n}"
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["STRUCT-UNKNOWN-ELEMENT"])
        let issue = try #require(parsed.issues.first)
        #expect(issue.path == "Patient.name[1].nickname")
        #expect(issue.position == SourcePosition(line: 3, column: 30))
        #expect(issue.severity == .error)
        let unknown = try #require(parsed.root.children(named: "name").last?.child(named: "nickname"))
        #expect(unknown.isUnknown)
        let x = unknown.children(named: "x")
        #expect(x.count == 2 && x.allSatisfy { $0.isListItem })
        #expect(x[0].flags.contains(.jsonNumber) && x[1].flags.contains(.jsonBoolean))
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func unknownElementsGoLastAndKeepInputOrder() throws {
        let json = #"{"resourceType":"Patient","zeta":1,"active":true,"alpha":"a"}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["STRUCT-UNKNOWN-ELEMENT", "STRUCT-UNKNOWN-ELEMENT"])
        #expect(parsed.root.children.map(\.name) == ["active", "zeta", "alpha"])
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test(arguments: [
        (#""active":"true""#, "Patient.active"),
        (#""active":1"#, "Patient.active"),
        (#""multipleBirthInteger":"2""#, "Patient.multipleBirth"),
        (#""birthDate":2000"#, "Patient.birthDate"),
        (#""birthDate":false"#, "Patient.birthDate"),
        (#""birthDate":{"value":"2000"}"#, "Patient.birthDate"),
        (#""name":[{"family":["a"]}]"#, "Patient.name[0].family"),
        (#""name":["Ann"]"#, "Patient.name[0]"),
    ])
    func wrongJSONTypesAreReported(_ member: String, _ path: String) throws {
        let json = #"{"resourceType":"Patient",\#(member)}"#
        let parsed = try MiniModel.read(json)
        #expect(
            parsed.codes.contains("JSON-WRONG-TYPE") || parsed.codes.contains("JSON-ARRAY-UNEXPECTED"),
            "\(parsed.issues)")
        #expect(parsed.issues.contains { $0.path == path }, "\(parsed.issues.map { $0.path ?? "" })")
        #expect(parsed.issues.allSatisfy { $0.position?.isKnown == true })
        // The value is kept: writing gives valid JSON that still carries it.
        let out = try MiniModel.roundTrip(json)
        #expect((try? JSONValue.parse(out)) != nil)
        #expect(out.count > #"{"resourceType":"Patient"}"#.count, "the bad value was dropped: \(out)")
    }

    @Test func wrongTypeStringForBooleanKeepsLexeme() throws {
        let parsed = try MiniModel.read(#"{"resourceType":"Patient","active":"yes"}"#)
        #expect(parsed.codes == ["JSON-WRONG-TYPE"])
        #expect(parsed.root.childValue("active") == "yes")
        #expect(MiniModel.writer.writeString(parsed.root) == #"{"resourceType":"Patient","active":"yes"}"#)
    }

    @Test func arrayWhereSingleBelongs() throws {
        let json = #"{"resourceType":"Patient","birthDate":["2000","2001"]}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["JSON-ARRAY-UNEXPECTED"])
        #expect(parsed.issues.first?.path == "Patient.birthDate")
        #expect(parsed.root.children(named: "birthDate").count == 2)
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func singleWhereArrayBelongs() throws {
        let json = #"{"resourceType":"Patient","name":{"family":"F","given":"G"}}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["JSON-ARRAY-EXPECTED", "JSON-ARRAY-EXPECTED"])
        #expect(parsed.issues.map(\.path) == ["Patient.name[0]", "Patient.name[0].given[0]"])
        let name = try #require(parsed.root.child(named: "name"))
        #expect(name.isListItem && name.child(named: "given")?.isListItem == true)
        // Written back in the correct (array) form.
        #expect(
            MiniModel.writer.writeString(parsed.root)
                == #"{"resourceType":"Patient","name":[{"family":"F","given":["G"]}]}"#)
    }

    @Test func nullValuesAreReportedAndDropped() throws {
        let json = #"{"resourceType":"Patient","active":null,"name":[{"given":["a",null]},null],"contact":null}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes.filter { $0 == "JSON-NULL-VALUE" }.count == 4, "\(parsed.issues)")
        #expect(
            Set(parsed.issues.compactMap(\.path)) == [
                "Patient.active", "Patient.name[0].given[1]", "Patient.name[1]", "Patient.contact",
            ])
        #expect(parsed.root.child(named: "active") == nil)
        #expect(parsed.root.child(named: "name")?.children(named: "given").count == 1)
        #expect(
            MiniModel.writer.writeString(parsed.root) == #"{"resourceType":"Patient","name":[{"given":["a"]}]}"#)
    }

    @Test func nullInBothValueAndExtensionArrays() throws {
        let parsed = try MiniModel.read(
            #"{"resourceType":"Patient","name":[{"given":["a",null],"_given":[{"id":"x"},null]}]}"#)
        #expect(parsed.codes == ["JSON-NULL-VALUE"])
        #expect(parsed.issues.first?.path == "Patient.name[0].given[1]")
    }

    @Test func emptyValuesAreReported() throws {
        let json = #"{"resourceType":"Patient","id":"","name":[],"contact":[{}],"text":{}}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes.filter { $0 == "JSON-EMPTY" }.count == 4, "\(parsed.issues)")
        #expect(
            Set(parsed.issues.compactMap(\.path)) == [
                "Patient.id", "Patient.name", "Patient.contact[0]", "Patient.text",
            ])
        #expect(parsed.root.childValue("id") == "")
    }

    @Test func choiceConflictIsReportedAndBothKept() throws {
        let json = #"{"resourceType":"Observation","valueString":"a","valueInteger":3}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["STRUCT-CHOICE-CONFLICT"])
        #expect(parsed.issues.first?.path == "Observation.value")
        #expect(parsed.root.children(named: "value").map(\.typeName) == ["string", "integer"])
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func choiceValueAndItsExtensionDoNotConflict() throws {
        let json = #"{"resourceType":"Observation","valueString":"a","_valueString":{"id":"v"}}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.issues.isEmpty)
        let value = parsed.root.children(named: "value")
        #expect(value.count == 1 && value.first?.childValue("id") == "v")
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func missingResourceTypeKeepsTheObjectUntyped() throws {
        let json = #"{"id":"x","active":true,"name":[{"family":"F"}]}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["STRUCT-MISSING-RESOURCE-TYPE"])
        #expect(parsed.root.isResource && parsed.root.isUnknown && parsed.root.typeName == nil)
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func unknownResourceTypeKeepsTheObjectUntyped() throws {
        let json = #"{"resourceType":"Patinet","id":"x","n":1.0}"#
        let parsed = try MiniModel.read(json)
        #expect(parsed.codes == ["STRUCT-UNKNOWN-RESOURCE-TYPE"])
        #expect(parsed.root.typeName == "Patinet")
        #expect(try MiniModel.sameJSON(json, MiniModel.roundTrip(json)))
    }

    @Test func abstractOrNonResourceTypesAreUnknownResourceTypes() throws {
        for type in ["DomainResource", "HumanName", "string"] {
            let parsed = try MiniModel.read(#"{"resourceType":"\#(type)"}"#)
            #expect(parsed.codes == ["STRUCT-UNKNOWN-RESOURCE-TYPE"], "\(type)")
        }
    }

    @Test func containedWithoutResourceTypeIsReportedAtItsPath() throws {
        let parsed = try MiniModel.read(#"{"resourceType":"Patient","contained":[{"id":"c"}]}"#)
        #expect(parsed.codes == ["STRUCT-MISSING-RESOURCE-TYPE"])
        #expect(parsed.issues.first?.path == "Patient.contained[0]")
    }

    @Test func resourceTypeInsideADatatypeIsUnknown() throws {
        let parsed = try MiniModel.read(#"{"resourceType":"Patient","name":[{"resourceType":"HumanName"}]}"#)
        #expect(parsed.codes == ["STRUCT-UNKNOWN-ELEMENT"])
        #expect(parsed.issues.first?.path == "Patient.name[0].resourceType")
    }

    @Test func messagesDoNotEchoValues() throws {
        let parsed = try MiniModel.read(#"{"resourceType":"Patient","active":"SECRET-VALUE","birthDate":12345}"#)
        #expect(parsed.issues.count == 2)
        for issue in parsed.issues {
            #expect(!issue.message.contains("SECRET") && !issue.message.contains("12345"))
        }
    }
}

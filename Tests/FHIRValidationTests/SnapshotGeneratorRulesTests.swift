import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// Small differentials against the core definitions, one rule each.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct SnapshotGeneratorRulesTests {
    @Test func mergesCardinalityAndDescriptions() throws {
        let base = try #require(SnapshotFixture.catalog?.base(type: "Patient"))
        let s = try SnapshotFixture.generate(
            type: "Patient",
            #"{"id":"Patient.name","path":"Patient.name","short":"The name","min":1,"max":"1","mustSupport":true}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        #expect(s.ids.count == base.elements.count)
        let name = try #require(s["Patient.name"])
        #expect(name["min"] == .number("1") && name["max"] == .string("1"))
        #expect(name["base"]?["min"] == .number("0") && name["base"]?["max"] == .string("*"))
        #expect(name["short"] == .string("The name"))
        #expect(name["mustSupport"] == .bool(true))
        let baseName = try #require(base.element(path: "Patient.name").map { base.elements[$0].raw })
        #expect(name["definition"] != nil && name["definition"] == baseName["definition"])
        #expect(name["type"] == baseName["type"])
    }

    @Test func matchesByPathWithoutIDsOrRoot() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient",
            #"{"path":"Patient.identifier","slicing":{"discriminator":[{"type":"value","path":"system"}],"rules":"open"}}"#,
            #"{"path":"Patient.identifier","sliceName":"mrn","min":1}"#,
            #"{"path":"Patient.identifier.system","min":1}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        // The path-only child follows the slice, so it constrains the slice's child.
        #expect(s["Patient.identifier:mrn.system"]?["min"] == .number("1"))
        #expect(s["Patient.identifier.system"] == nil)
        #expect(s["Patient.identifier:mrn"]?["sliceName"] == .string("mrn"))
    }

    @Test func addsConstraintsWithTheirSource() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient",
            #"{"id":"Patient.name","path":"Patient.name","constraint":[{"key":"tst-1","severity":"error","human":"A family name","expression":"family.exists()"}]}"#
        )
        let constraints = try #require(s["Patient.name"]?["constraint"]?.arrayValue)
        #expect(constraints.compactMap { $0["key"]?.stringValue } == ["ele-1", "tst-1"])
        #expect(constraints.last?["source"] == .string(SnapshotFixture.url))
        #expect(constraints.first?["source"] == .string("http://hl7.org/fhir/StructureDefinition/Element"))
    }

    @Test func mergesFixedPatternBindingAndValueLimits() throws {
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.status","path":"Observation.status","fixedCode":"final"}"#,
            #"{"id":"Observation.code","path":"Observation.code","patternCodeableConcept":{"coding":[{"system":"http://loinc.org"}]}}"#,
            #"{"id":"Observation.interpretation","path":"Observation.interpretation","binding":{"strength":"required","valueSet":"http://example.org/vs"}}"#,
            #"{"id":"Observation.valueInteger","path":"Observation.valueInteger","minValueInteger":0,"maxValueInteger":10}"#
        )
        #expect(s.errors.isEmpty, "\(s.errors)")
        #expect(s["Observation.status"]?["fixedCode"] == .string("final"))
        #expect(s["Observation.code"]?["patternCodeableConcept"] != nil)
        let binding = try #require(s["Observation.interpretation"]?["binding"])
        #expect(binding["strength"] == .string("required") && binding["valueSet"] == .string("http://example.org/vs"))
        // The base's binding description is kept.
        #expect(binding["description"] != nil)
        let value = try #require(s["Observation.value[x]"])
        #expect(SnapshotFixture.typeCodes(value) == ["integer"])
        #expect(value["minValueInteger"] == .number("0") && value["maxValueInteger"] == .number("10"))
    }

    @Test func renamedChoiceNarrowsTheChoiceInPlace() throws {
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.valueQuantity","path":"Observation.valueQuantity","min":1}"#,
            #"{"id":"Observation.valueQuantity.unit","path":"Observation.valueQuantity.unit","min":1}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        let value = try #require(s["Observation.value[x]"])
        #expect(SnapshotFixture.typeCodes(value) == ["Quantity"])
        #expect(value["min"] == .number("1"))
        #expect(!s.ids.contains { $0.contains("valueQuantity") })
        #expect(s["Observation.value[x].unit"]?["min"] == .number("1"))
        #expect(s["Observation.value[x].unit"]?["path"] == .string("Observation.value[x].unit"))
        #expect(s["Observation.value[x].comparator"] != nil)
    }

    @Test func severalRenamedTypesBecomeTypeSlices() throws {
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.valueQuantity","path":"Observation.valueQuantity"}"#,
            #"{"id":"Observation.valueString","path":"Observation.valueString","maxLength":20}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        let value = try #require(s["Observation.value[x]"])
        #expect(value["slicing"]?["discriminator"]?.arrayValue?.first?["type"] == .string("type"))
        #expect(SnapshotFixture.typeCodes(value) == ["Quantity", "string"])
        let i = try #require(s.ids.firstIndex(of: "Observation.value[x]"))
        #expect(
            Array(s.ids[i + 1...i + 2]) == ["Observation.value[x]:valueQuantity", "Observation.value[x]:valueString"])
        #expect(SnapshotFixture.typeCodes(s["Observation.value[x]:valueString"]) == ["string"])
        #expect(s["Observation.value[x]:valueString"]?["maxLength"] == .number("20"))
    }

    @Test func slicesFollowTheSlicedElementAndItsChildren() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient",
            #"{"id":"Patient.identifier","path":"Patient.identifier","slicing":{"discriminator":[{"type":"value","path":"system"}],"rules":"open"}}"#,
            #"{"id":"Patient.identifier.system","path":"Patient.identifier.system","min":1}"#,
            #"{"id":"Patient.identifier:mrn","path":"Patient.identifier","sliceName":"mrn","min":1,"max":"1"}"#,
            #"{"id":"Patient.identifier:mrn.system","path":"Patient.identifier.system","fixedUri":"http://example.org/mrn"}"#,
            #"{"id":"Patient.identifier:ssn","path":"Patient.identifier","sliceName":"ssn","max":"1"}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        let start = try #require(s.ids.firstIndex(of: "Patient.identifier"))
        let end = try #require(s.ids.firstIndex(of: "Patient.active"))
        let block = Array(s.ids[start..<end])
        let mrn = try #require(block.firstIndex(of: "Patient.identifier:mrn"))
        // The element's own children first, then the slices in differential order.
        #expect(block[1..<mrn].allSatisfy { $0.hasPrefix("Patient.identifier.") })
        #expect(block[1..<mrn].contains("Patient.identifier.assigner"))
        #expect(block.last == "Patient.identifier:ssn")
        #expect(block[mrn + 1..<block.count - 1].allSatisfy { $0.hasPrefix("Patient.identifier:mrn.") })
        #expect(s["Patient.identifier:mrn.system"]?["fixedUri"] == .string("http://example.org/mrn"))
        #expect(s["Patient.identifier.system"]?["min"] == .number("1"))
        #expect(s["Patient.identifier:ssn"]?["slicing"] == nil)
    }

    @Test func newSliceMayBeOptionalUnderARequiredElement() throws {
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.category","path":"Observation.category","min":1,"slicing":{"discriminator":[{"type":"pattern","path":"$this"}],"rules":"open"}}"#,
            #"{"id":"Observation.category:extra","path":"Observation.category","sliceName":"extra","min":0,"max":"1"}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        #expect(s["Observation.category:extra"]?["min"] == .number("0"))
    }

    @Test func divesIntoDatatypes() throws {
        let base = try #require(SnapshotFixture.catalog?.base(type: "Observation"))
        let concept = try #require(SnapshotFixture.catalog?.base(type: "CodeableConcept"))
        let coding = try #require(SnapshotFixture.catalog?.base(type: "Coding"))
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.code.coding.system","path":"Observation.code.coding.system","min":1}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        #expect(s.ids.count == base.elements.count + concept.elements.count - 1 + coding.elements.count - 1)
        #expect(s["Observation.code.coding"]?["base"]?["path"] == .string("CodeableConcept.coding"))
        #expect(s["Observation.code.coding.system"]?["min"] == .number("1"))
        #expect(s["Observation.code.coding.system"]?["path"] == .string("Observation.code.coding.system"))
    }

    @Test func extensionSlicesTakeTheirDefinition() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient",
            #"{"id":"Patient.extension:birthPlace","path":"Patient.extension","sliceName":"birthPlace","max":"1","type":[{"code":"Extension","profile":["http://hl7.org/fhir/StructureDefinition/patient-birthPlace"]}]}"#
        )
        #expect(s.issues.isEmpty, "\(s.issues)")
        let ext = try #require(s["Patient.extension"])
        #expect(ext["slicing"]?["discriminator"]?.arrayValue?.first?["path"] == .string("url"))
        let slice = try #require(s["Patient.extension:birthPlace"])
        let definition = try #require(
            SnapshotFixture.catalog?.profile(url: "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"))
        #expect(slice["short"] != nil && slice["short"] == definition.elements.first?.raw["short"])
        #expect(slice["max"] == .string("1"))
        let i = try #require(s.ids.firstIndex(of: "Patient.extension"))
        #expect(s.ids[i + 1] == "Patient.extension:birthPlace" && s.ids[i + 2] == "Patient.modifierExtension")
    }

    @Test func complexExtensionDefinition() throws {
        let s = try SnapshotFixture.generate(
            type: "Extension", base: "Extension", kind: "complex-type",
            #"{"id":"Extension","path":"Extension","max":"1"}"#,
            #"{"id":"Extension.extension:code","path":"Extension.extension","sliceName":"code","min":1,"max":"1"}"#,
            #"{"id":"Extension.extension:code.url","path":"Extension.extension.url","fixedUri":"code"}"#,
            #"{"id":"Extension.extension:code.value[x]","path":"Extension.extension.value[x]","type":[{"code":"CodeableConcept"}]}"#,
            #"{"id":"Extension.url","path":"Extension.url","fixedUri":"http://example.org/ext"}"#,
            #"{"id":"Extension.value[x]","path":"Extension.value[x]","max":"0"}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        #expect(s["Extension"]?["max"] == .string("1"))
        #expect(s["Extension.extension:code.url"]?["fixedUri"] == .string("code"))
        #expect(SnapshotFixture.typeCodes(s["Extension.extension:code.value[x]"]) == ["CodeableConcept"])
        #expect(s["Extension.value[x]"]?["max"] == .string("0"))
        #expect(s["Extension.url"]?["fixedUri"] == .string("http://example.org/ext"))
        let slice = try #require(s.ids.firstIndex(of: "Extension.extension:code"))
        #expect(s.ids[slice + 1] == "Extension.extension:code.id")
    }

    @Test func reslicesFollowTheirSlice() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient",
            #"{"id":"Patient.identifier","path":"Patient.identifier","slicing":{"discriminator":[{"type":"value","path":"system"}],"rules":"open"}}"#,
            #"{"id":"Patient.identifier:a","path":"Patient.identifier","sliceName":"a","max":"3","slicing":{"discriminator":[{"type":"value","path":"value"}],"rules":"open"}}"#,
            #"{"id":"Patient.identifier:b","path":"Patient.identifier","sliceName":"b"}"#,
            #"{"id":"Patient.identifier:a/x","path":"Patient.identifier","sliceName":"a/x","max":"1"}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        let a = try #require(s.ids.firstIndex(of: "Patient.identifier:a"))
        let x = try #require(s.ids.firstIndex(of: "Patient.identifier:a/x"))
        let b = try #require(s.ids.firstIndex(of: "Patient.identifier:b"))
        #expect(a < x && x < b)
        #expect(s["Patient.identifier:a/x"]?["sliceName"] == .string("a/x"))
        #expect(s["Patient.identifier:a/x"]?["max"] == .string("1"))
    }

    @Test func specializationRenamesTheRootAndAddsElements() throws {
        let s = try SnapshotFixture.generate(
            type: "MyThing", base: "DomainResource", derivation: "specialization",
            #"{"path":"MyThing"}"#,
            #"{"path":"MyThing.status","min":1,"max":"1","type":[{"code":"code"}]}"#)
        #expect(s.issues.isEmpty, "\(s.issues)")
        #expect(s.ids.first == "MyThing")
        #expect(s["MyThing.text"]?["path"] == .string("MyThing.text"))
        #expect(s.ids.last == "MyThing.status")
        #expect(s["MyThing.status"]?["min"] == .number("1"))
    }
}

/// Builds test profiles and generates their snapshots over the core definitions.
enum SnapshotFixture {
    static let url = "http://example.org/fhir/StructureDefinition/test"

    static let catalog: ProfileCatalog? = {
        guard let model = try? TestSupport.coreModel() else { return nil }
        return ProfileCatalog(store: TestSupport.coreStore, model: model)
    }()

    struct Generated {
        var elements: [JSONValue]
        var issues: [FHIRModel.Issue]
        var ids: [String] { elements.map { $0["id"]?.stringValue ?? "" } }
        var errors: [FHIRModel.Issue] { issues.filter { $0.severity <= .error } }

        subscript(id: String) -> JSONValue? {
            elements.first { $0["id"]?.stringValue == id }
        }
    }

    static func definition(
        type: String, base: String?, kind: String = "resource", derivation: String = "constraint",
        _ differential: [String]
    ) throws -> StructureDefinitionInfo {
        let baseField = base.map { #""baseDefinition":"http://hl7.org/fhir/StructureDefinition/\#($0)","# } ?? ""
        let text = """
            {"resourceType":"StructureDefinition","url":"\(url)","name":"Test","status":"draft",
             "kind":"\(kind)","abstract":false,"type":"\(type)",\(baseField)"derivation":"\(derivation)",
             "differential":{"element":[\(differential.joined(separator: ","))]}}
            """
        return StructureDefinitionInfo(json: try JSONValue.parse(text))
    }

    static func generate(
        type: String, base: String? = "Patient", kind: String = "resource", derivation: String = "constraint",
        _ differential: String...
    ) throws -> Generated {
        let catalog = try #require(catalog)
        let d = try definition(type: type, base: base, kind: kind, derivation: derivation, differential)
        let result = SnapshotGenerator(catalog: catalog).generate(d)
        return Generated(elements: result.elements, issues: result.issues)
    }

    static func typeCodes(_ element: JSONValue?) -> [String] {
        (element?["type"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
    }
}

import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

/// The reader and writer with the real R4 core model (skipped when the package is not installed).
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct CoreModelTests {
    func read(_ json: String) throws -> ParsedResource {
        try FHIRJSONReader(model: try TestSupport.coreModel()).read(json)
    }

    func roundTrip(_ json: String) throws -> Bool {
        let model = try TestSupport.coreModel()
        let root = try FHIRJSONReader(model: model).read(json).root
        return try JSONValue.parse(json) == JSONValue.parse(FHIRJSONWriter(model: model).write(root))
    }

    @Test func extensionsIdsAndChoicesResolve() throws {
        let json = #"""
            {"resourceType":"Patient","id":"p","extension":[{"url":"http://example.org/x","valueCodeableConcept":{"text":"t"}},
            {"url":"http://example.org/y","valueQuantity":{"value":1.50,"unit":"mg"}}],
            "birthDate":"1970-01","_birthDate":{"id":"b","extension":[{"url":"http://example.org/z","valueBoolean":true}]},
            "deceasedBoolean":false,"multipleBirthInteger":2}
            """#
        let parsed = try read(json)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        let ext = parsed.root.children(named: "extension")
        #expect(ext.map { $0.child(named: "value")?.typeName } == ["CodeableConcept", "Quantity"])
        let birth = try #require(parsed.root.child(named: "birthDate"))
        #expect(birth.value == "1970-01" && birth.childValue("id") == "b")
        #expect(birth.child(named: "extension")?.child(named: "value")?.value == "true")
        #expect(try roundTrip(json))
    }

    @Test func questionnaireContentReferenceNests() throws {
        let json = #"""
            {"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"group",
            "item":[{"linkId":"1.1","type":"integer","initial":[{"valueInteger":3}],"item":[{"linkId":"1.1.1","type":"display"}]}]}]}
            """#
        let parsed = try read(json)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        let inner = parsed.root.child(named: "item")?.child(named: "item")
        #expect(inner?.childValue("linkId") == "1.1")
        #expect(inner?.child(named: "item")?.childValue("linkId") == "1.1.1")
        #expect(inner?.child(named: "initial")?.child(named: "value")?.typeName == "integer")
        #expect(try roundTrip(json))
    }

    @Test func bundleAndParametersHoldResources() throws {
        let json = #"""
            {"resourceType":"Bundle","type":"batch-response","entry":[{"resource":{"resourceType":"Parameters",
            "parameter":[{"name":"r","resource":{"resourceType":"Patient","id":"x","contained":[{"resourceType":"Organization","id":"o"}]}}]},
            "response":{"status":"200","outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}}}]}
            """#
        let parsed = try read(json)
        #expect(parsed.issues.isEmpty, "\(parsed.issues)")
        let entry = try #require(parsed.root.child(named: "entry"))
        let parameters = try #require(entry.child(named: "resource"))
        #expect(parameters.isResource && parameters.typeName == "Parameters")
        let patient = try #require(parameters.child(named: "parameter")?.child(named: "resource"))
        #expect(patient.typeName == "Patient" && patient.child(named: "contained")?.typeName == "Organization")
        #expect(entry.child(named: "response")?.child(named: "outcome")?.typeName == "OperationOutcome")
        #expect(try roundTrip(json))
    }

    @Test func abstractAndDatatypeNamesAreNotResources() throws {
        for type in ["Resource", "DomainResource", "HumanName", "Patient.contact"] {
            #expect(try read(#"{"resourceType":"\#(type)"}"#).codes == ["STRUCT-UNKNOWN-RESOURCE-TYPE"], "\(type)")
        }
    }

    @Test func issuesCarryPathsInCoreResources() throws {
        let parsed = try read(
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"1"},"component":[{"code":{"text":"c"},"valueFoo":1}]}"#
        )
        #expect(parsed.codes == ["JSON-WRONG-TYPE", "STRUCT-UNKNOWN-ELEMENT"])
        #expect(parsed.issues.map(\.path) == ["Observation.value.value", "Observation.component[0].valueFoo"])
    }
}

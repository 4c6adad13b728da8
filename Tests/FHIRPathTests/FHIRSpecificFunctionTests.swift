import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Foundation
import Testing

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1")) struct FHIRSpecificFunctionTests {
    func evaluate(_ text: String, on json: String, environment: FHIRPathEnvironment = .init()) throws
        -> [FHIRPathValue]
    {
        let model = try TestSupport.coreModel()
        let resource = try FHIRJSONReader(model: model).read(json).root
        return try FHIRPathEngine(model: model).compile(text).evaluate(resource, environment: environment)
    }

    func boolean(_ text: String, on json: String, environment: FHIRPathEnvironment = .init()) throws -> Bool? {
        let result = try evaluate(text, on: json, environment: environment)
        guard result.count == 1, case .boolean(let b) = result[0] else { return nil }
        return b
    }

    let patient = #"""
        {"resourceType":"Patient","id":"p","birthDate":"1970-01-02",
         "_birthDate":{"extension":[{"url":"http://example.org/t","valueString":"x"}]},
         "contained":[{"resourceType":"Organization","id":"org1","name":"Clinic"},
                      {"resourceType":"Practitioner","id":"pr1","active":true}],
         "gender":"female",
         "managingOrganization":{"reference":"#org1"},
         "generalPractitioner":[{"reference":"#pr1"},{"reference":"#missing"}],
         "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>ok</p></div>"}}
        """#

    @Test func extensionByURL() throws {
        #expect(try boolean("birthDate.extension('http://example.org/t').exists()", on: patient) == true)
        #expect(try boolean("birthDate.extension('http://example.org/other').empty()", on: patient) == true)
        #expect(try boolean("birthDate.hasValue()", on: patient) == true)
        #expect(try boolean("name.hasValue()", on: patient) == false)
        let value = try evaluate("birthDate.getValue()", on: patient)
        guard value.count == 1, case .date(let d) = value[0] else {
            Issue.record("expected one System.Date, got \(value)")
            return
        }
        #expect(d.lexeme == "1970-01-02")
    }

    @Test func resolvesContainedResources() throws {
        #expect(try boolean("managingOrganization.resolve().name = 'Clinic'", on: patient) == true)
        #expect(try boolean("managingOrganization.resolve() is Organization", on: patient) == true)
        // One reference resolves, the other names a contained resource that does not exist.
        #expect(try evaluate("generalPractitioner.resolve()", on: patient).count == 1)
        // Inside a contained resource, %resource is the contained one and %rootResource its container.
        #expect(try boolean("contained.where(id = 'org1').select(%rootResource.id) = 'p'", on: patient) == true)
    }

    @Test func resolvesBundleEntries() throws {
        let bundle = #"""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"http://x.org/fhir/Patient/a","resource":{"resourceType":"Patient","id":"a","gender":"male"}},
              {"fullUrl":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0",
               "resource":{"resourceType":"Observation","id":"o","status":"final",
                 "code":{"text":"t"},"subject":{"reference":"Patient/a"},
                 "performer":[{"reference":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}]}}]}
            """#
        #expect(
            try boolean("entry.resource.ofType(Observation).subject.resolve().gender = 'male'", on: bundle) == true)
        #expect(try boolean("entry[1].resource.performer.resolve().id = 'o'", on: bundle) == true)
        #expect(try evaluate("entry[1].resource.subject.reference.resolve()", on: bundle).count == 1)
    }

    @Test func memberOfUsesLocalValueSets() throws {
        let terminology = LocalTerminology(store: TestSupport.coreStore)
        let environment = FHIRPathEnvironment(terminology: terminology)
        #expect(
            try boolean(
                "gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')", on: patient,
                environment: environment) == true)
        #expect(
            try boolean(
                "'cat'.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')", on: patient,
                environment: environment) == false)
        // Without a terminology, memberOf() is an execution error, not a guess.
        #expect(throws: FHIRPathError.self) {
            try evaluate("gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')", on: patient)
        }
        // A value set that does not exist locally is an error too.
        do {
            _ = try evaluate("gender.memberOf('http://example.org/no-such-vs')", on: patient, environment: environment)
            Issue.record("expected an error")
        } catch {
            #expect((error as? FHIRPathError)?.kind == .execution)
        }
    }

    @Test func conformsToCoreTypes() throws {
        #expect(try boolean("conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')", on: patient) == true)
        #expect(
            try boolean("conformsTo('http://hl7.org/fhir/StructureDefinition/DomainResource')", on: patient) == true)
        #expect(try boolean("conformsTo('http://hl7.org/fhir/StructureDefinition/Person')", on: patient) == false)
        #expect(throws: FHIRPathError.self) { try evaluate("conformsTo('http://trash')", on: patient) }
    }

    @Test func htmlChecksNarrative() throws {
        #expect(try boolean("text.div.htmlChecks()", on: patient) == true)
        let bad = patient.replacingOccurrences(
            of: #"<p>ok</p>"#, with: #"<script>x</script><p onclick=\"y\">ok</p>"#)
        #expect(try boolean("text.div.htmlChecks()", on: bad) == false)
    }
}

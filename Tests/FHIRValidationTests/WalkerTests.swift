import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// The walker on hand-made resources against the core definitions.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct WalkerTests {
    static let context: ValidationContext? = {
        guard let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: TestSupport.coreStore)
    }()

    func issues(_ json: String, profiles: [String] = []) throws -> [FHIRModel.Issue] {
        let context = try #require(Self.context)
        let parsed = try FHIRJSONReader(model: context.model).read(json)
        return Validator(context: context).validate(parsed.root, profiles: profiles)
    }

    func errors(_ json: String) throws -> [FHIRModel.Issue] {
        try issues(json).filter { $0.severity <= .error }
    }

    @Test func validPatientHasNoErrors() throws {
        let found = try errors(
            #"{"resourceType":"Patient","id":"p1","active":true,"name":[{"family":"X","given":["Y"]}],"gender":"female"}"#
        )
        #expect(found.isEmpty, "\(found)")
    }

    @Test func missingRequiredElementIsReported() throws {
        // Observation.status and Observation.code are 1..1.
        let found = try errors(#"{"resourceType":"Observation","id":"o1"}"#)
        #expect(found.contains { $0.code == .cardinalityMin && $0.path == "Observation.status" })
        #expect(found.contains { $0.code == .cardinalityMin && $0.path == "Observation.code" })
    }

    @Test func invariantFailureIsReported() throws {
        // per-1: start <= end.
        let found = try errors(
            #"{"resourceType":"Encounter","status":"planned","class":{"code":"AMB"},"period":{"start":"2024-02-01","end":"2024-01-01"}}"#
        )
        #expect(
            found.contains { $0.code == .invariant && $0.message.hasPrefix("per-1") && $0.path == "Encounter.period" })
    }

    @Test func containedInvariantUsesTheContainer() throws {
        // dom-3: a contained resource must be referenced.
        let found = try errors(
            #"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o"}]}"#)
        #expect(found.contains { $0.message.hasPrefix("dom-3") })
        let ok = try errors(
            ##"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o"}],"managingOrganization":{"reference":"#o"}}"##
        )
        #expect(!ok.contains { $0.message.hasPrefix("dom-3") }, "\(ok)")
    }

    @Test func extensionWithoutValueOrChildrenFailsExt1() throws {
        let found = try errors(
            #"{"resourceType":"Patient","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace"}]}"#
        )
        #expect(found.contains { $0.message.hasPrefix("ext-1") })
    }

    @Test func unknownExtensionIsAnError() throws {
        let found = try errors(
            #"{"resourceType":"Patient","extension":[{"url":"http://acme.test/fhir/no-such","valueString":"x"}]}"#
        )
        #expect(found.contains { $0.code == .extensionUnknown })
    }

    @Test func unknownExtensionInHL7OrExampleSpaceIsAWarning() throws {
        for url in ["http://hl7.org/fhir/StructureDefinition/no-such", "http://example.org/ext"] {
            let found = try issues(
                #"{"resourceType":"Patient","extension":[{"url":"\#(url)","valueString":"x"}]}"#)
            #expect(found.contains { $0.code == .extensionUnknown && $0.severity == .warning }, "\(url)")
        }
    }

    @Test func relativeExtensionURLOutsideAnExtensionIsAnError() throws {
        let found = try errors(#"{"resourceType":"Patient","extension":[{"url":"part","valueString":"x"}]}"#)
        #expect(found.contains { $0.code == .extensionURL })
    }

    @Test func invalidPrimitiveLexemeIsAnError() throws {
        let found = try errors(#"{"resourceType":"Patient","id":"bad_id","birthDate":"2023-02-30"}"#)
        #expect(found.contains { $0.code == .invalidPrimitiveValue && $0.path == "Patient.id" })
        #expect(found.contains { $0.code == .invalidPrimitiveValue && $0.path == "Patient.birthDate" })
    }

    @Test func extensionContextIsChecked() throws {
        // patient-birthPlace may be used on Patient only.
        let found = try errors(
            #"{"resourceType":"Organization","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"X"}}]}"#
        )
        #expect(found.contains { $0.code == .extensionContext })
        let ok = try errors(
            #"{"resourceType":"Patient","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"X"}}]}"#
        )
        #expect(!ok.contains { $0.code == .extensionContext }, "\(ok)")
    }

    @Test func unknownProfileNamedByTheCallerIsAnError() throws {
        let found = try issues(#"{"resourceType":"Patient"}"#, profiles: ["http://example.org/nothing"])
        #expect(found.contains { $0.code == .profileUnknown && $0.severity == .error })
    }

    @Test func que12IsEvaluatedAsCorrected() throws {
        // Two enableWhen without enableBehavior: R4's published `> 2` would let it pass.
        let json = #"""
            {"resourceType":"Questionnaire","status":"draft","item":[
              {"linkId":"a","type":"boolean"},
              {"linkId":"b","type":"string","enableWhen":[
                {"question":"a","operator":"exists","answerBoolean":true},
                {"question":"a","operator":"=","answerBoolean":true}]}]}
            """#
        #expect(try errors(json).contains { $0.message.hasPrefix("que-12") })
    }

    @Test func containedReferencedFromNarrativeSatisfiesDom3() throws {
        let json = ##"""
            {"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"#pic\" alt=\"x\"/></div>"},
             "contained":[{"resourceType":"Binary","id":"pic","contentType":"image/png"}]}
            """##
        let found = try errors(json)
        #expect(!found.contains { $0.message.hasPrefix("dom-3") }, "\(found)")
    }

    @Test func primitiveWithoutValueOrExtensionsIsAnError() throws {
        let found = try errors(#"{"resourceType":"Patient","_birthDate":{"id":"x"}}"#)
        #expect(found.contains { $0.code == .valuePresence && $0.path == "Patient.birthDate" })
    }

    @Test func versionedExtensionURLIsAnError() throws {
        let found = try errors(
            #"{"resourceType":"Patient","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace|4.0.1","valueAddress":{"city":"X"}}]}"#
        )
        #expect(found.contains { $0.code == .extensionURL })
        #expect(!found.contains { $0.code == .extensionUnknown })
    }
}

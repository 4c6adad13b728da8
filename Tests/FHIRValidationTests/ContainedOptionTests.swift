import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// `ValidationOptions.checkContained = false`: contained resources are not validated, and the
/// container's invariants over `contained` (dom-2 to dom-5) are not evaluated; references to
/// contained resources still resolve.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct ContainedOptionTests {
    static let context: ValidationContext? = {
        guard let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: TestSupport.coreStore)
    }()

    func errors(_ json: String, checkContained: Bool) throws -> [FHIRModel.Issue] {
        let context = try #require(Self.context)
        let parsed = try FHIRJSONReader(model: context.model).read(json)
        return Validator(context: context, options: ValidationOptions(checkContained: checkContained))
            .validate(parsed.root).filter { $0.severity <= .error }
    }

    /// An unreferenced contained resource with a nested contained resource, meta.versionId,
    /// a security label and an id too long.
    static let container = #"""
        {"resourceType":"Condition","subject":{"reference":"Patient/p"},
         "contained":[{"resourceType":"Practitioner","id":"12345678901234567890123456789012345678901234567890123456789012345",
           "meta":{"versionId":"1","security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
           "contained":[{"resourceType":"Organization","id":"o"}],
           "gender":"not-a-gender"}]}
        """#

    @Test func containedRulesApplyByDefault() throws {
        let found = try errors(Self.container, checkContained: true)
        for key in ["dom-2", "dom-3", "dom-4", "dom-5"] {
            #expect(found.contains { $0.message.hasPrefix(key) }, "\(key) missing: \(found)")
        }
        #expect(found.contains { $0.path?.hasPrefix("Condition.contained[0]") == true && $0.code != .invariant })
    }

    @Test func ignoringContainedSkipsThemAndTheRulesAboutThem() throws {
        let found = try errors(Self.container, checkContained: false)
        #expect(found.isEmpty, "\(found)")
    }

    @Test func referencesToIgnoredContainedResourcesStillResolve() throws {
        let found = try errors(
            ##"{"resourceType":"Condition","subject":{"reference":"#p"},"##
                + ##""contained":[{"resourceType":"Patient","id":"p","gender":"not-a-gender"}]}"##,
            checkContained: false)
        #expect(found.isEmpty, "\(found)")
        let wrong = try errors(
            ##"{"resourceType":"Condition","subject":{"reference":"#missing"},"##
                + ##""contained":[{"resourceType":"Patient","id":"p"}]}"##, checkContained: false)
        #expect(wrong.contains { $0.path == "Condition.subject" }, "\(wrong)")
    }

    @Test func whichInvariantsAreAboutContained() {
        #expect(ResourceWalker.isAboutContained("contained.contained.empty()"))
        #expect(ResourceWalker.isAboutContained(" contained.meta.security.empty()"))
        #expect(
            ResourceWalker.isAboutContained(
                "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()"
            ))
        #expect(!ResourceWalker.isAboutContained("text.`div`.exists()"))
        #expect(!ResourceWalker.isAboutContained("containedThing.exists()"))
        #expect(!ResourceWalker.isAboutContained("subject.exists() or contained.exists()"))
    }
}

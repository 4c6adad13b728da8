import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

/// Obligation profiles (`obligation-profile` flag) and `inherit-obligations`.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct ObligationProfileRulesTests {
    static let flag = #"{"url":"http://hl7.org/fhir/StructureDefinition/obligation-profile","valueBoolean":true}"#
    static let obligation =
        #"{"url":"http://hl7.org/fhir/tools/StructureDefinition/obligation","extension":[{"url":"code","valueCode":"SHALL:populate"}]}"#

    static func profile(
        url: String, base: String = "http://hl7.org/fhir/StructureDefinition/Patient", extensions: [String],
        elements: String? = nil, derivation: String = "constraint"
    ) -> String {
        // FHIR JSON has no empty arrays: leave out what is empty.
        let ext = extensions.isEmpty ? "" : #""extension":[\#(extensions.joined(separator: ","))],"#
        let diff = elements.map { #","differential":{"element":\#($0)}"# } ?? ""
        return """
            {"resourceType":"StructureDefinition",\(ext)"url":"\(url)","name":"T","status":"draft","kind":"resource",
             "abstract":false,"type":"Patient","baseDefinition":"\(base)","derivation":"\(derivation)"\(diff)}
            """
    }

    /// Runs the rules with `supporting` definitions registered in the catalog.
    private func check(_ json: String, supporting: [String] = []) throws -> [Issue] {
        let model = try TestSupport.coreModel()
        let context = ValidationContext(model: model, store: TestSupport.coreStore)
        for text in supporting {
            let value = try JSONValue.parse(text)
            context.profiles.register(StructureDefinitionInfo(json: value))
        }
        let parsed = try FHIRJSONReader(model: model).read(json)
        #expect(parsed.issues.isEmpty, "reader issues: \(parsed.issues)")
        var issues: [Issue] = []
        ObligationProfileRules(context: context).check(parsed.root, path: "StructureDefinition", into: &issues)
        return issues
    }

    @Test func obligationsMustSupportAndCardinalityAreAllowed() throws {
        let found = try check(
            Self.profile(
                url: "http://example.org/op", extensions: [Self.flag],
                elements: """
                    [{"id":"Patient.birthDate","path":"Patient.birthDate","extension":[\(Self.obligation)],"mustSupport":true,"min":1},
                     {"id":"Patient.maritalStatus","path":"Patient.maritalStatus","binding":{"strength":"extensible",
                      "extension":[{"url":"http://hl7.org/fhir/tools/StructureDefinition/additional-binding",
                        "extension":[{"url":"purpose","valueCode":"ui"},{"url":"valueSet","valueCanonical":"http://example.org/vs"}]}]}}]
                    """))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func otherChangesAreErrors() throws {
        let found = try check(
            Self.profile(
                url: "http://example.org/op", extensions: [Self.flag],
                elements: """
                    [{"id":"Patient.deceased[x]","path":"Patient.deceased[x]","extension":[{"url":"http://example.org/other","valueString":"x"}],
                      "short":"changed","type":[{"code":"boolean"}]},
                     {"id":"Patient.maritalStatus","path":"Patient.maritalStatus","binding":{"strength":"required","description":"d",
                      "extension":[{"url":"http://hl7.org/fhir/tools/StructureDefinition/additional-binding",
                        "extension":[{"url":"purpose","valueCode":"required"}]}]}},
                     {"id":"Patient.gender","path":"Patient.gender","binding":{"strength":"required"}},
                     {"id":"Patient.name","path":"Patient.name","binding":{"strength":"required"}},
                     {"id":"Patient.nothere","path":"Patient.nothere"}]
                    """))
        #expect(found.allSatisfy { $0.code == .sdObligation && $0.severity == .error }, "\(found)")
        #expect(
            found.map(\.path) == [
                "StructureDefinition.differential.element[0].extension[0]",
                "StructureDefinition.differential.element[0].short",
                "StructureDefinition.differential.element[0].type[0]",
                "StructureDefinition.differential.element[1].binding.extension[0]",
                "StructureDefinition.differential.element[1].binding.strength",
                "StructureDefinition.differential.element[1].binding.description",
                "StructureDefinition.differential.element[3].binding",
                "StructureDefinition.differential.element[4]",
            ], "\(found.map { $0.path ?? "" })")
    }

    @Test func anObligationProfileIsAConstraint() throws {
        let found = try check(
            Self.profile(url: "http://example.org/op", extensions: [Self.flag], derivation: "specialization"))
        #expect(found.map(\.path) == ["StructureDefinition.extension[0]"], "\(found)")
    }

    @Test func unflaggedProfilesAreNotChecked() throws {
        let found = try check(
            Self.profile(
                url: "http://example.org/p", extensions: [],
                elements: #"[{"id":"Patient.birthDate","path":"Patient.birthDate","short":"x"}]"#))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func inheritedObligationsComeFromObligationProfilesOnTheSameBase() throws {
        let base = "http://example.org/base"
        let supporting = [
            Self.profile(url: base, extensions: []),
            Self.profile(url: "http://example.org/good", base: base, extensions: [Self.flag]),
            Self.profile(url: "http://example.org/plain", base: base, extensions: []),
            Self.profile(url: "http://example.org/other-base", extensions: [Self.flag]),
        ]
        func inherit(_ url: String) -> String {
            #"{"url":"http://hl7.org/fhir/StructureDefinition/inherit-obligations","valueCanonical":"\#(url)"}"#
        }
        let found = try check(
            Self.profile(
                url: "http://example.org/p", base: base,
                extensions: ["good", "plain", "other-base", "missing"].map { inherit("http://example.org/" + $0) }),
            supporting: supporting)
        #expect(
            found.map(\.path) == [
                "StructureDefinition.extension[1]", "StructureDefinition.extension[2]",
                "StructureDefinition.extension[3]",
            ], "\(found)")
        #expect(found[0].message.contains("not marked as an obligation profile"))
        #expect(found[1].message.contains("base"))
        #expect(found[2].message.contains("could not be found"))
    }
}

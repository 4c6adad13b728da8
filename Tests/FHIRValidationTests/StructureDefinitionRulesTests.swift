import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

/// The slicing rules on a StructureDefinition's own differential and snapshot.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct StructureDefinitionRulesTests {
    static let context: ValidationContext? = {
        guard let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: TestSupport.coreStore)
    }()

    /// The rules' findings on a Patient profile with these differential elements.
    private func check(_ elements: String, type: String = "Patient") throws -> [Issue] {
        let context = try #require(Self.context)
        let json = """
            {"resourceType":"StructureDefinition","url":"http://example.org/StructureDefinition/t","name":"T",
             "status":"draft","kind":"resource","abstract":false,"type":"\(type)",
             "baseDefinition":"http://hl7.org/fhir/StructureDefinition/\(type)","derivation":"constraint",
             "differential":{"element":\(elements)}}
            """
        let parsed = try FHIRJSONReader(model: context.model).read(json)
        #expect(parsed.issues.isEmpty, "reader issues: \(parsed.issues)")
        var issues: [Issue] = []
        StructureDefinitionRules(context: context).check(parsed.root, path: "StructureDefinition", into: &issues)
        return issues
    }

    private func errors(_ elements: String, type: String = "Patient") throws -> [Issue] {
        try check(elements, type: type).filter { $0.severity <= .error }
    }

    @Test func validDiscriminatorPathsPass() throws {
        let found = try errors(
            """
            [{"id":"Patient.identifier","path":"Patient.identifier",
              "slicing":{"discriminator":[{"type":"value","path":"system"},{"type":"value","path":"type.coding.code"}],"rules":"open"}},
             {"id":"Patient.extension","path":"Patient.extension",
              "slicing":{"discriminator":[{"type":"value","path":"url"}],"rules":"open"}},
             {"id":"Patient.contact","path":"Patient.contact",
              "slicing":{"discriminator":[{"type":"value","path":"relationship"},{"type":"exists","path":"extension('http://example.org/x').value"}],"rules":"open"}},
             {"id":"Patient.generalPractitioner","path":"Patient.generalPractitioner",
              "slicing":{"discriminator":[{"type":"type","path":"resolve()"},{"type":"profile","path":"$this"}],"rules":"open"}},
             {"id":"Patient.deceased[x]","path":"Patient.deceased[x]",
              "slicing":{"discriminator":[{"type":"type","path":"$this"}],"rules":"closed"}}]
            """)
        #expect(found.isEmpty, "\(found)")
    }

    @Test func choicesAndOfTypeFollowTheTypes() throws {
        let found = try errors(
            """
            [{"id":"Observation.component","path":"Observation.component",
              "slicing":{"discriminator":[{"type":"value","path":"value.ofType(Quantity).code"},{"type":"value","path":"code.coding.system"}],"rules":"open"}},
             {"id":"Observation.hasMember","path":"Observation.hasMember",
              "slicing":{"discriminator":[{"type":"profile","path":"resolve().meta.profile"}],"rules":"open"}}]
            """, type: "Observation")
        #expect(found.isEmpty, "\(found)")
        let bad = try errors(
            """
            [{"id":"Observation.component","path":"Observation.component",
              "slicing":{"discriminator":[{"type":"value","path":"value.ofType(Reference).code"}],"rules":"open"}}]
            """, type: "Observation")
        #expect(bad.map(\.code) == [.sdDiscriminatorPath], "\(bad)")
    }

    @Test func pathsTheTypeDoesNotHaveAreErrors() throws {
        let found = try errors(
            """
            [{"id":"Patient.identifier","path":"Patient.identifier",
              "slicing":{"discriminator":[{"type":"value","path":"coding.code"}],"rules":"open"}},
             {"id":"Patient.extension","path":"Patient.extension",
              "slicing":{"discriminator":[{"type":"value","path":"url"}],"rules":"open"}},
             {"id":"Patient.extension:a","path":"Patient.extension","sliceName":"a",
              "slicing":{"discriminator":[{"type":"value","path":"url"},{"type":"value","path":"type"}],"rules":"open"},
              "type":[{"code":"Extension","profile":["http://example.org/StructureDefinition/a"]}]}]
            """)
        #expect(found.map(\.code) == [.sdDiscriminatorPath, .sdDiscriminatorPath], "\(found)")
        #expect(
            found.map(\.path) == [
                "StructureDefinition.differential.element[0].slicing.discriminator[0]",
                "StructureDefinition.differential.element[2].slicing.discriminator[1]",
            ])
        #expect(found.first?.message.contains("'coding.code'") == true)
    }

    @Test func slicingOnTheRootOrOnASingleElementIsAnError() throws {
        let found = try errors(
            """
            [{"id":"Patient","path":"Patient","slicing":{"discriminator":[{"type":"value","path":"id"}],"rules":"open"}},
             {"id":"Patient.gender","path":"Patient.gender","slicing":{"discriminator":[{"type":"value","path":"$this"}],"rules":"open"}},
             {"id":"Patient.maritalStatus","path":"Patient.maritalStatus","slicing":{"discriminator":[{"type":"value","path":"coding"}],"rules":"open"}}]
            """)
        #expect(found.map(\.code) == [.sdSlicing, .sdSlicing, .sdSlicing], "\(found)")
        #expect(found.first?.message.contains("root") == true)
    }

    @Test func patternDiscriminatorsGetAHint() throws {
        let found = try check(
            """
            [{"id":"Patient.identifier","path":"Patient.identifier",
              "slicing":{"discriminator":[{"type":"pattern","path":"type"}],"rules":"open"}}]
            """)
        #expect(found.map(\.severity) == [.information])
        #expect(found.map(\.code) == [.sdDiscriminatorDeprecated])
    }

    @Test func aSliceMustNotContradictTheSlicingItRefines() throws {
        let outer =
            #"{"id":"Patient.identifier","path":"Patient.identifier","slicing":{"discriminator":[{"type":"value","path":"system"}],"ordered":true,"rules":"closed"}}"#
        func slice(_ slicing: String) -> String {
            #"{"id":"Patient.identifier:a","path":"Patient.identifier","sliceName":"a","slicing":\#(slicing)}"#
        }
        // Keeping the discriminators (adding one) and the rules: a reslicing.
        let refined = try errors(
            "[\(outer),\(slice(#"{"discriminator":[{"type":"value","path":"system"},{"type":"value","path":"use"}],"rules":"closed"}"#)),"
                + #"{"id":"Patient.identifier:a/b","path":"Patient.identifier","sliceName":"a/b"}]"#)
        #expect(refined.isEmpty, "\(refined)")
        let dropped = try errors(
            "[\(outer),\(slice(#"{"discriminator":[{"type":"value","path":"use"}],"rules":"closed"}"#))]")
        #expect(dropped.map(\.code) == [.sdSlicing], "\(dropped)")
        #expect(dropped.first?.path == "StructureDefinition.differential.element[1].slicing")
        let loosened = try errors(
            "[\(outer),\(slice(#"{"discriminator":[{"type":"value","path":"system"}],"rules":"open"}"#))]")
        #expect(loosened.map(\.code) == [.sdSlicing], "\(loosened)")
        let unordered = try errors(
            "[\(outer),\(slice(#"{"discriminator":[{"type":"value","path":"system"}],"ordered":false}"#))]")
        #expect(unordered.map(\.code) == [.sdSlicing], "\(unordered)")
    }

    @Test func slicedElementIDs() {
        #expect(StructureDefinitionRules.slicedElementID(id: "A.b:s", sliceName: "s") == "A.b")
        #expect(StructureDefinitionRules.slicedElementID(id: "A.b:s/r", sliceName: "s/r") == "A.b:s")
        #expect(StructureDefinitionRules.slicedElementID(id: "A.b:x.c:s", sliceName: "s") == "A.b:x.c")
        #expect(StructureDefinitionRules.slicedElementID(id: "A.b", sliceName: "s") == nil)
    }
}

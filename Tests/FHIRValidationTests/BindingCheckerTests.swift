import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// Test nodes and a shared context for the binding tests.
enum BindingFixture {
    static let context: ValidationContext? = {
        guard TestSupport.hasCorePackage, let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: TestSupport.coreStore)
    }()

    static var isAvailable: Bool { context != nil }

    static func checker(displaySeverity: FHIRModel.Issue.Severity = .warning) throws -> BindingChecker {
        BindingChecker(context: try #require(context), displaySeverity: displaySeverity)
    }

    static func code(_ value: String, type: String = "code") -> ElementNode {
        .primitive("value", type: type, value: value)
    }

    static func coding(system: String?, code: String?, display: String? = nil, listItem: Bool = false) -> ElementNode {
        var children: [ElementNode] = []
        if let system { children.append(.primitive("system", type: "uri", value: system)) }
        if let code { children.append(.primitive("code", type: "code", value: code)) }
        if let display { children.append(.primitive("display", type: "string", value: display)) }
        return ElementNode(name: "coding", typeName: "Coding", children: children, flags: listItem ? .listItem : [])
    }

    static func concept(_ codings: [ElementNode], text: String? = nil) -> ElementNode {
        var children = codings.map { c in
            var c = c
            c.flags.insert(.listItem)
            return c
        }
        if let text { children.append(.primitive("text", type: "string", value: text)) }
        return ElementNode(name: "code", typeName: "CodeableConcept", children: children)
    }

    static func quantity(system: String?, code: String?) -> ElementNode {
        var children: [ElementNode] = [.primitive("value", type: "decimal", value: "1")]
        if let system { children.append(.primitive("system", type: "uri", value: system)) }
        if let code { children.append(.primitive("code", type: "code", value: code)) }
        return ElementNode(name: "dose", typeName: "Quantity", children: children)
    }

    static func binding(
        _ strength: ElementDefinitionInfo.Binding.Strength, _ valueSet: String, max: String? = nil
    ) -> ElementDefinitionInfo.Binding {
        .init(strength: strength, valueSet: valueSet, maxValueSet: max)
    }

    static let gender = "http://hl7.org/fhir/ValueSet/administrative-gender"
    static let genderSystem = "http://hl7.org/fhir/administrative-gender"
    static let contactRelationship = "http://hl7.org/fhir/ValueSet/patient-contactrelationship"
    static let v20131 = "http://terminology.hl7.org/CodeSystem/v2-0131"
}

@Suite(.enabled(if: BindingFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct BindingCheckerTests {
    typealias F = BindingFixture

    func check(
        _ node: ElementNode, _ binding: ElementDefinitionInfo.Binding, definition: StructureDefinitionInfo? = nil
    ) throws -> [FHIRModel.Issue] {
        var issues: [FHIRModel.Issue] = []
        try F.checker().check(node, binding: binding, path: "X.y", into: &issues, definition: definition)
        return issues
    }

    @Test func codeStrengths() throws {
        #expect(try check(F.code("male"), F.binding(.required, F.gender)).isEmpty)
        // Required: not in the value set, and defined by no code system of it (as the reference
        // validator counts: two errors).
        let required = try check(F.code("asdfafafafd"), F.binding(.required, F.gender))
        #expect(required.map(\.code) == [.bindingRequired, .codeUnknown])
        #expect(required.allSatisfy { $0.severity == .error && $0.path == "X.y" })
        #expect(required.allSatisfy { !$0.message.contains("asdfafafafd") })
        let extensible = try check(F.code("boy"), F.binding(.extensible, F.gender))
        #expect(extensible.map(\.severity) == [.warning])
        #expect(extensible.map(\.code) == [.bindingExtensible])
        let preferred = try check(F.code("boy"), F.binding(.preferred, F.gender))
        #expect(preferred.map(\.severity) == [.information])
        #expect(preferred.map(\.code) == [.bindingPreferred])
        #expect(try check(F.code("boy"), F.binding(.example, F.gender)).isEmpty)
    }

    @Test func codeInTheSystemButNotTheValueSetIsOneError() throws {
        // "O" is a v2-0131 code that patient-contactrelationship excludes (is-not-a O).
        let issues = try check(F.code("O"), F.binding(.required, F.contactRelationship))
        #expect(issues.map(\.code) == [.bindingRequired])
    }

    @Test func codingsAndConcepts() throws {
        let good = F.coding(system: F.genderSystem, code: "female")
        let bad = F.coding(system: F.genderSystem, code: "girl")
        let foreign = F.coding(system: "http://example.org/cs", code: "female")
        #expect(try check(good, F.binding(.required, F.gender)).isEmpty)
        #expect(try check(bad, F.binding(.required, F.gender)).map(\.code) == [.bindingRequired])
        // The code of another system is not in the value set.
        #expect(try check(foreign, F.binding(.extensible, F.gender)).map(\.severity) == [.warning])
        // One coding in the value set is enough.
        #expect(try check(F.concept([foreign, good]), F.binding(.required, F.gender)).isEmpty)
        let none = try check(F.concept([foreign, bad]), F.binding(.required, F.gender))
        #expect(none.map(\.code) == [.bindingRequired])
        #expect(none.first?.message.contains("codings are not in value set \(F.gender)") == true)
        // A coding without a code has nothing to check.
        #expect(try check(F.coding(system: F.genderSystem, code: nil), F.binding(.required, F.gender)).isEmpty)
    }

    @Test func conceptsWithTextOnly() throws {
        let textOnly = F.concept([], text: "words")
        #expect(try check(textOnly, F.binding(.required, F.gender)).map(\.severity) == [.error])
        #expect(try check(textOnly, F.binding(.extensible, F.gender)).map(\.severity) == [.warning])
        #expect(try check(textOnly, F.binding(.preferred, F.gender)).isEmpty)
        #expect(try check(F.concept([]), F.binding(.required, F.gender)).isEmpty)
    }

    @Test func notCheckedOffline() throws {
        let routes = "http://hl7.org/fhir/ValueSet/route-codes"
        let snomed = F.coding(system: "http://snomed.info/sct", code: "26643006")
        for strength in [ElementDefinitionInfo.Binding.Strength.required, .extensible, .preferred] {
            let issues = try check(F.concept([snomed]), F.binding(strength, routes))
            #expect(issues.map(\.code) == [.bindingNotChecked])
            #expect(issues.map(\.severity) == [.information])
        }
        // A coding from a system the value set does not use is decided: not a member.
        #expect(
            try check(F.coding(system: F.genderSystem, code: "male"), F.binding(.required, routes)).map(\.code)
                == [.bindingRequired])
        let missing = try check(F.code("x"), F.binding(.required, "http://example.org/ValueSet/missing"))
        #expect(missing.map(\.code) == [.bindingValueSetUnknown])
        #expect(missing.map(\.severity) == [.warning])
    }

    @Test func grammarBasedSystems() throws {
        let mime = "http://hl7.org/fhir/ValueSet/mimetypes"
        #expect(try check(F.code("application/pdf"), F.binding(.required, mime)).map(\.code) == [.bindingNotChecked])
        #expect(
            try check(F.code("[%payloadFormat%]"), F.binding(.required, mime)).map(\.code)
                == [.bindingRequired, .codeUnknown])
    }

    @Test func quantities() throws {
        let ucum = "http://hl7.org/fhir/ValueSet/ucum-units"
        let system = "http://unitsofmeasure.org"
        #expect(
            try check(F.quantity(system: system, code: "mg"), F.binding(.required, ucum)).map(\.code) == [
                .bindingNotChecked
            ])
        #expect(
            try check(F.quantity(system: system, code: "mg/(dL"), F.binding(.required, ucum)).map(\.code) == [
                .bindingRequired
            ])
        #expect(
            try check(F.quantity(system: "http://example.org/units", code: "mg"), F.binding(.extensible, ucum)).map(
                \.code)
                == [.bindingExtensible])
        #expect(try check(F.quantity(system: system, code: nil), F.binding(.required, ucum)).isEmpty)
    }

    @Test func maxValueSet() throws {
        let binding = F.binding(
            .preferred, "http://hl7.org/fhir/ValueSet/languages", max: "http://hl7.org/fhir/ValueSet/all-languages")
        #expect(try check(F.code("en-US"), binding).isEmpty)
        // Well-formed but not in the preferred list: information only (the maximum is unknown).
        #expect(try check(F.code("zz-QQ"), binding).map(\.code) == [.bindingPreferred])
        // Malformed: outside the maximum value set too.
        let bad = try check(F.code("not a tag"), binding)
        #expect(bad.map(\.code) == [.bindingPreferred, .bindingMaxValueSet])
        #expect(bad.map(\.severity) == [.information, .error])
    }

    @Test func stringAndUriElements() throws {
        let countries = "http://hl7.org/fhir/ValueSet/iso3166-1-2"
        #expect(try check(F.code("DE", type: "string"), F.binding(.preferred, countries)).isEmpty)
        #expect(
            try check(F.code("D", type: "string"), F.binding(.preferred, countries)).map(\.code) == [.bindingPreferred])
        // Types bindings do not apply to.
        let reference = ElementNode(name: "subject", typeName: "Reference", children: [])
        #expect(try check(reference, F.binding(.required, F.gender)).isEmpty)
    }

    @Test func containedValueSetOfTheProfile() throws {
        let profile = StructureDefinitionInfo(
            json: try JSONValue.parse(
                """
                {"resourceType":"StructureDefinition","url":"http://example.org/sd/p","type":"Patient",
                 "contained":[{"resourceType":"ValueSet","id":"rel","status":"draft",
                   "expansion":{"contains":[{"system":"\(F.v20131)","code":"C","display":"alt-display"}]}}]}
                """))
        let binding = F.binding(.required, "#rel")
        #expect(try check(F.coding(system: F.v20131, code: "C"), binding, definition: profile).isEmpty)
        #expect(
            try check(F.coding(system: F.v20131, code: "N"), binding, definition: profile).map(\.code)
                == [.bindingRequired])
        // Without the profile the reference cannot be resolved.
        #expect(try check(F.coding(system: F.v20131, code: "C"), binding).map(\.code) == [.bindingValueSetUnknown])

        // A display the bound value set gives is accepted.
        var issues: [FHIRModel.Issue] = []
        let alt = F.coding(system: F.v20131, code: "C", display: "alt-display")
        try F.checker().checkCoding(alt, path: "c", into: &issues, binding: binding, definition: profile)
        #expect(issues.isEmpty)
        try F.checker().checkCoding(alt, path: "c", into: &issues)
        #expect(issues.map(\.code) == [.codeDisplay])
    }
}

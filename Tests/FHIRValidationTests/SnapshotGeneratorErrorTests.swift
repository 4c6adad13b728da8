import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// Differentials that do not fit their base: each problem is an error naming the profile and the
/// element, and generation goes on.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct SnapshotGeneratorErrorTests {
    /// The single error of a generation (failing the test when there is not exactly one).
    func onlyError(_ s: SnapshotFixture.Generated) throws -> FHIRModel.Issue {
        #expect(s.errors.count == 1, "\(s.issues)")
        let error = try #require(s.errors.first)
        #expect(error.code == .snapshot)
        #expect(error.message.contains(SnapshotFixture.url))
        return error
    }

    @Test func unknownPath() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient", #"{"id":"Patient.foo","path":"Patient.foo","min":1}"#,
            #"{"id":"Patient.foo.bar","path":"Patient.foo.bar","min":1}"#,
            #"{"id":"Patient.active","path":"Patient.active","min":1}"#)
        let error = try onlyError(s)
        #expect(error.path == "Patient.foo" && error.message.contains("Patient.foo"))
        // The rest of the differential still applies.
        #expect(s["Patient.active"]?["min"] == .number("1"))
    }

    @Test func minBelowTheBase() throws {
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.status","path":"Observation.status","min":0}"#)
        let error = try onlyError(s)
        #expect(error.path == "Observation.status" && error.message.contains("below the base minimum 1"))
    }

    @Test func maxAboveTheBase() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient", #"{"id":"Patient.birthDate","path":"Patient.birthDate","max":"2"}"#)
        #expect(try onlyError(s).message.contains("above the base maximum 1"))
    }

    @Test func minAboveMax() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient", #"{"id":"Patient.name","path":"Patient.name","min":3,"max":"2"}"#)
        #expect(try onlyError(s).message.contains("greater than max"))
    }

    @Test func typeNotAllowedByTheBase() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient", #"{"id":"Patient.birthDate","path":"Patient.birthDate","type":[{"code":"string"}]}"#)
        #expect(try onlyError(s).message.contains("type string is not allowed"))
        // Types derived from an allowed one, and resources where any resource is allowed, fit.
        let ok = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.valueQuantity","path":"Observation.valueQuantity","type":[{"code":"Quantity"}]}"#,
            #"{"id":"Observation.contained","path":"Observation.contained","type":[{"code":"Patient"}]}"#)
        #expect(ok.errors.isEmpty, "\(ok.errors)")
    }

    @Test func renamedChoiceToAnUnknownType() throws {
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation", #"{"id":"Observation.valueFoo","path":"Observation.valueFoo"}"#)
        #expect(try onlyError(s).message.contains("Observation.value[x]"))
    }

    @Test func requiredBindingWeakened() throws {
        let s = try SnapshotFixture.generate(
            type: "Observation", base: "Observation",
            #"{"id":"Observation.status","path":"Observation.status","binding":{"strength":"extensible","valueSet":"http://example.org/vs"}}"#
        )
        #expect(try onlyError(s).message.contains("weaker than the base's required"))
    }

    @Test func fixedValueContradictsTheBase() throws {
        let catalog = try #require(SnapshotFixture.catalog)
        var d = try SnapshotFixture.definition(
            type: "Observation", base: nil,
            [
                #"{"id":"Observation.code.coding:BPCode.code","path":"Observation.code.coding.code","fixedCode":"other"}"#
            ])
        d.baseDefinition = "http://hl7.org/fhir/StructureDefinition/bp"
        let result = SnapshotGenerator(catalog: catalog).generate(d)
        let errors = result.issues.filter { $0.severity <= .error }
        #expect(errors.count == 1 && errors.first?.message.contains("fixed value") == true, "\(result.issues)")
    }

    @Test func missingOrUnknownBase() throws {
        let none = try SnapshotFixture.generate(type: "Patient", base: nil, #"{"path":"Patient"}"#)
        #expect(try onlyError(none).message.contains("no baseDefinition"))
        #expect(none.elements.isEmpty)
        let unknown = try SnapshotFixture.generate(type: "Patient", base: "NoSuchType", #"{"path":"Patient"}"#)
        #expect(try onlyError(unknown).message.contains("NoSuchType"))
    }

    @Test func malformedDifferentialsDoNotStopGeneration() throws {
        let s = try SnapshotFixture.generate(
            type: "Patient",
            #"{"id":"x"}"#,
            #"{"path":"Patient.name","min":"one","max":"-1"}"#,
            #"{"path":"Patient.gender","type":"code"}"#,
            #"{"path":"Patient.link","sliceName":""}"#,
            #"{"path":"Other.name"}"#,
            #"{"path":"Patient.identifier","sliceName":"a/b"}"#,
            #"{"path":"Patient.photo.data.value.x"}"#,
            #"{"path":"Patient..name"}"#,
            #"[1,2]"#,
            #"{"path":"Patient.active","min":1}"#)
        #expect(s.errors.count >= 9, "\(s.issues)")
        #expect(s.errors.allSatisfy { $0.code == .snapshot })
        #expect(s["Patient.active"]?["min"] == .number("1"))
        #expect(s["Patient.name"]?["min"] == .number("0"))
    }

    @Test func deepContentReferencesAreExpandedAndBounded() throws {
        func path(_ levels: Int) -> String {
            "Questionnaire" + String(repeating: ".item", count: levels) + ".linkId"
        }
        let ok = try SnapshotFixture.generate(
            type: "Questionnaire", base: "Questionnaire", #"{"path":"\#(path(20))","maxLength":10}"#)
        #expect(ok.issues.isEmpty, "\(ok.issues)")
        let deepest = try #require(ok.elements.first { $0["path"]?.stringValue == path(20) })
        #expect(deepest["maxLength"] == .number("10"))
        // The expanded item took the children of Questionnaire.item in place of its content reference.
        let item2 = try #require(ok["Questionnaire.item.item"])
        #expect(item2["contentReference"] == nil && SnapshotFixture.typeCodes(item2) == ["BackboneElement"])
        let tooDeep = try SnapshotFixture.generate(
            type: "Questionnaire", base: "Questionnaire", #"{"path":"\#(path(80))","maxLength":10}"#)
        #expect(try onlyError(tooDeep).message.contains("deeper than"))
    }

    @Test func circularAndLongBaseChains() throws {
        let model = try TestSupport.coreModel()
        let folder = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-snapshot")
        defer { TestSupport.removeTree(folder) }
        func write(_ name: String, base: String) throws {
            let text = """
                {"resourceType":"StructureDefinition","url":"http://example.org/\(name)","name":"\(name)",
                 "status":"draft","kind":"resource","abstract":false,"type":"Patient","baseDefinition":"\(base)",
                 "derivation":"constraint","differential":{"element":[{"path":"Patient.active","short":"\(name)"}]}}
                """
            try FileBytes.writeAtomically(Array(text.utf8), to: folder + "/\(name).json")
        }
        try write("a", base: "http://example.org/b")
        try write("b", base: "http://example.org/a")
        for i in 0..<40 {
            try write(
                "chain\(i)",
                base: i == 39 ? "http://hl7.org/fhir/StructureDefinition/Patient" : "http://example.org/chain\(i + 1)")
        }
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: [folder]))
        let catalog = ProfileCatalog(store: store, model: model)
        let a = try #require(catalog.profile(url: "http://example.org/a"))
        #expect(a.elements.isEmpty)
        #expect(a.issues.contains { $0.code == .snapshot && $0.message.contains("http://example.org/b") })
        // A chain of 10 resolves; one deeper than the generator allows fails cleanly.
        let ten = try #require(catalog.profile(url: "http://example.org/chain30"))
        #expect(ten.issues.isEmpty, "\(ten.issues)")
        #expect(ten.elements.first { $0.path == "Patient.active" }?.raw["short"] == .string("chain30"))
        let fresh = ProfileCatalog(store: store, model: model)
        let deep = SnapshotGenerator(catalog: fresh)
            .generate(
                StructureDefinitionInfo(json: try #require(store.structureDefinition(url: "http://example.org/chain0")))
            )
        #expect(deep.elements.isEmpty && deep.issues.contains { $0.severity == .error }, "\(deep.issues)")
        // The generation that went too deep says so.
        let tooDeep = (1..<40).compactMap { fresh.profile(url: "http://example.org/chain\($0)") }
            .flatMap(\.issues).filter { $0.message.contains("deeper than \(SnapshotGenerator.maxDepth)") }
        #expect(tooDeep.count == 1)
    }
}

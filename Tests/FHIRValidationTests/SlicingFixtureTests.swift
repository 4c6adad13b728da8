import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

@testable import FHIRValidation

/// Shared material for the slicing tests: validation contexts over R4 core (and US Core 3.1.0
/// from `../shared`), instances read with the JSON reader, and slice assignment by element id.
enum SlicingFixture {
    static let usCorePackage = "packages/hl7.fhir.us.core#3.1.0/package"

    /// A context over the R4 core package, or nil when it is not installed.
    static let core: ValidationContext? = {
        guard TestSupport.hasCorePackage, let model = try? TestSupport.coreModel() else { return nil }
        let context = ValidationContext(model: model, store: TestSupport.coreStore)
        warm(context, corePrefix, coreProfiles)
        return context
    }()

    static let corePrefix = "http://hl7.org/fhir/StructureDefinition/"
    static let coreProfiles = [
        "bp", "lipidprofile", "cholesterol", "triglyceride", "hdlcholesterol", "ldlcholesterol",
        "provenance-relevant-history", "patient-nationality", "Observation", "Extension", "Coding", "Quantity",
    ]
    static let usCoreProfiles = [
        "us-core-patient", "us-core-race", "us-core-ethnicity", "us-core-birthsex", "us-core-pulse-oximetry",
        "us-core-smokingstatus",
    ]

    /// Resolves the profiles the tests use before any test runs: `ProfileCatalog` answers `nil`
    /// to a second thread asking for a URL another thread is still resolving (its cycle guard is
    /// per catalog, not per thread), and the suites run in parallel.
    static func warm(_ context: ValidationContext, _ prefix: String, _ names: [String]) {
        for name in names { _ = context.profiles.profile(url: prefix + name) }
    }

    /// A context over R4 core plus US Core 3.1.0 (read as a definitions folder, its R4 core
    /// dependency from the package cache), or nil when either is missing.
    static let usCore: ValidationContext? = {
        guard TestSupport.hasCorePackage, let model = try? TestSupport.coreModel(),
            let folder = TestSupport.sharedPath(usCorePackage)
        else { return nil }
        let store = DefinitionStore.load(
            .init(
                packages: [], packageCache: PackageCache(root: TestSupport.packageCacheRoot), profilesDirectory: folder)
        )
        let context = ValidationContext(model: model, store: store)
        warm(context, corePrefix, coreProfiles)
        warm(context, "http://hl7.org/fhir/us/core/StructureDefinition/", usCoreProfiles)
        return context
    }()

    static var hasUSCore: Bool { usCore != nil }

    /// A resource read from FHIR JSON with the core model.
    static func read(_ json: String) throws -> ElementNode {
        try FHIRJSONReader(model: TestSupport.coreModel()).read(json).root
    }

    /// The children named `name` of `parent`, as FHIRPath nodes in the scope of `resource`.
    static func items(_ parent: ElementNode, _ name: String, resource: ElementNode) -> [FHIRPathNode] {
        let scope = FHIRPathScope(resource: resource, parent: nil)
        return parent.children(named: name).map { FHIRPathNode(element: $0, scope: scope) }
    }

    /// The sliced element with this id in the profile and its slice entries.
    static func slicing(_ profile: ResolvedProfile, _ id: String) throws -> (base: Int, slices: [Int]) {
        let base = try #require(profile.element(id: id), "no element \(id) in \(profile.url)")
        let path = profile.elements[base].path
        let slices = profile.elements.indices.filter { i in
            let e = profile.elements[i]
            guard e.path == path, e.sliceName != nil, e.id.hasPrefix(id + ":") else { return false }
            return !e.id.dropFirst(id.count + 1).contains(".")
        }
        return (base, slices)
    }

    /// Assigns `items` to the slices of element `id` of the profile; returns the slice names
    /// (nil: no slice) and the issues.
    static func assign(
        _ context: ValidationContext, profile url: String, element id: String, items: [FHIRPathNode], path: String,
        conforms: @escaping @Sendable (FHIRPathNode, String) -> Bool = { _, _ in false }
    ) throws -> (names: [String?], issues: [FHIRModel.Issue]) {
        let profile = try #require(context.profiles.profile(url: url), "profile \(url) not found")
        return try assign(context, profile, element: id, items: items, path: path, conforms: conforms)
    }

    static func assign(
        _ context: ValidationContext, _ profile: ResolvedProfile, element id: String, items: [FHIRPathNode],
        path: String, conforms: @escaping @Sendable (FHIRPathNode, String) -> Bool = { _, _ in false }
    ) throws -> (names: [String?], issues: [FHIRModel.Issue]) {
        let (base, slices) = try slicing(profile, id)
        let matcher = SliceMatcher(context: context, conforms: conforms)
        let result = matcher.assign(items, profile: profile, base: base, slices: slices, path: path)
        #expect(result.slices.count == items.count)
        return (result.slices.map { $0.flatMap { profile.elements[$0].sliceName } }, result.issues)
    }

    /// A profile built from snapshot elements given as a JSON array (for rules the published
    /// profiles do not exercise).
    static func profile(url: String, type: String, elements json: String) throws -> ResolvedProfile {
        let elements = try #require(try JSONValue.parse(json).arrayValue).map(ElementDefinitionInfo.init(json:))
        let definition = StructureDefinitionInfo(
            json: .object(
                JSONObject([
                    ("url", .string(url)), ("type", .string(type)), ("kind", .string("resource")),
                    ("derivation", .string("constraint")),
                ])))
        return ResolvedProfile(definition: definition, elements: elements)
    }
}

@Suite struct SlicingFixtureTests {
    @Test(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
    func slicesAreFoundByElementID() throws {
        let context = try #require(SlicingFixture.core)
        let profile = try #require(context.profiles.profile(url: "http://hl7.org/fhir/StructureDefinition/bp"))
        let (base, slices) = try SlicingFixture.slicing(profile, "Observation.component")
        #expect(profile.elements[base].slicing?.discriminators.count == 2)
        #expect(slices.map { profile.elements[$0].sliceName } == ["SystolicBP", "DiastolicBP"])
    }
}

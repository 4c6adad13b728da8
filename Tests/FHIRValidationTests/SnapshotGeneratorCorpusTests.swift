import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Foundation
import Testing

@testable import FHIRValidation

/// The validator corpus's supporting profiles that come without a snapshot (JSON and XML).
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct SnapshotGeneratorCorpusTests {
    /// Supporting profiles whose differentials do not fit their bases, and why.
    static let expectedFailures: [String: String] = [
        "ext-derived-circle.json": "its baseDefinition is its own url",
        "extension-slicing.xml": "action:actionAlternate.selectionBehavior has max * where the base allows 1",
        "obs-mz.json": "Observation.valueBla renames value[x] to a type that does not exist",
        "obs-unit-profile.json": "the path Observation...unit has empty segments",
        "profile-missing-elements.xml": "a slicing discriminator of type 'expression', which R4 does not define",
        "observation-bad-profile.xml":
            "Observation.valueQuantity names Count, a type of its own, as a profile of Quantity",
    ]

    @Test func corpusProfilesGenerate() throws {
        guard let folder = TestSupport.sharedPath("corpora/validator") else {
            print("SKIPPED corpusProfilesGenerate: ../shared/corpora/validator is absent")
            return
        }
        let files = (TestSupport.files(in: folder, suffix: ".json") + TestSupport.files(in: folder, suffix: ".xml"))
            .filter { name in
                guard let bytes = try? FileBytes.read(folder + "/" + name) else { return false }
                let text = String(decoding: bytes, as: UTF8.self)
                let differential = text.contains("<differential") || text.contains("\"differential\"")
                let snapshot = text.contains("<snapshot") || text.contains("\"snapshot\"")
                return differential && !snapshot
            }
        #expect(files.count >= 60, "found \(files.count) profiles without snapshots")
        let model = try TestSupport.coreModel()
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: files.map { folder + "/" + $0 }))
        let catalog = ProfileCatalog(store: store, model: model)
        var generated = 0
        var failures: [String: [String]] = [:]
        for name in files.sorted() {
            let path = folder + "/" + name
            let entries = store.entries.filter { $0.file == path && $0.resourceType == "StructureDefinition" }
            #expect(!entries.isEmpty, "\(name) was not loaded")
            for entry in entries {
                guard let json = store.load(entry) else { continue }
                let definition = StructureDefinitionInfo(json: json)
                let result = SnapshotGenerator(catalog: catalog).generate(definition)
                let errors = result.issues.filter { $0.severity <= .error }
                if ProcessInfo.processInfo.environment["FHIRGATE_SNAPSHOT_DUMP"] == name {
                    for e in result.elements {
                        print("DUMP", SnapshotSignature.id(of: e), SnapshotSignature(e))
                    }
                    for i in result.issues { print("DUMP", i) }
                }
                if errors.isEmpty && !result.elements.isEmpty {
                    generated += 1
                } else {
                    failures[name, default: []] += errors.map(\.message)
                }
            }
        }
        print("snapshot corpus: \(generated) generated without errors, \(failures.count) with errors")
        for (name, messages) in failures.sorted(by: { $0.key < $1.key }) {
            print("  \(name): \(messages.prefix(3))")
        }
        #expect(Set(failures.keys) == Set(Self.expectedFailures.keys), "\(failures)")
    }
}

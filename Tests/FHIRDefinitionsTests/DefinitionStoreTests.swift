import FHIRDefinitions
import FHIRJSON
import FHIRModel
import Foundation
import Testing

enum CoreFixture {
    static let cache = PackageCache()
    static let isInstalled = cache.isInstalled(.r4Core)
    static let skipMessage: Comment =
        "hl7.fhir.r4.core#4.0.1 is not installed in \(cache.root); install it to run the core lookup tests"
    static let store = DefinitionStore.load(.init(packages: [.r4Core], packageCache: cache))
}

@Suite struct DefinitionStoreCoreTests {
    @Test(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage))
    func indexesTheCorePackageFromItsIndexFile() {
        let store = CoreFixture.store
        #expect(store.issues.filter { $0.severity <= .error }.isEmpty, "\(store.issues)")
        #expect(store.sources.count == 1)
        #expect(store.sources.first?.usedIndexFile == true)
        #expect(store.sources.first?.manifest?.canonical == "http://hl7.org/fhir")
        #expect(store.entries.count > 4_000)
        #expect(store.allEntries(ofType: "StructureDefinition").count > 600)
        #expect(store.allEntries(ofType: "ValueSet").count > 1_000)
    }

    @Test(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage))
    func looksUpCoreDefinitions() throws {
        let store = CoreFixture.store
        let patient = try #require(store.resource(url: "http://hl7.org/fhir/StructureDefinition/Patient"))
        #expect(patient["resourceType"]?.stringValue == "StructureDefinition")
        #expect(patient["type"]?.stringValue == "Patient")
        #expect(patient["snapshot"]?["element"]?.arrayValue?.isEmpty == false)
        #expect(store.structureDefinition(url: "Patient") == patient)
        #expect(store.structureDefinition(url: "http://hl7.org/fhir/StructureDefinition/Patient") == patient)

        let gender = try #require(store.valueSet(url: "http://hl7.org/fhir/ValueSet/administrative-gender"))
        #expect(gender["resourceType"]?.stringValue == "ValueSet")
        #expect(gender["id"]?.stringValue == "administrative-gender")
        let genderCodes = try #require(store.codeSystem(url: "http://hl7.org/fhir/administrative-gender"))
        #expect(
            genderCodes["concept"]?.arrayValue?.compactMap { $0["code"]?.stringValue } == [
                "male", "female", "other", "unknown",
            ])

        // The type filter: a ValueSet lookup does not return a StructureDefinition.
        #expect(store.valueSet(url: "http://hl7.org/fhir/StructureDefinition/Patient") == nil)
        #expect(store.resource(url: "http://example.org/nothing-here") == nil)
    }

    @Test(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage))
    func versionedCoreLookups() {
        let store = CoreFixture.store
        let url = "http://hl7.org/fhir/ValueSet/administrative-gender"
        #expect(store.valueSet(url: url, version: "4.0.1") != nil)
        #expect(store.resource(url: url + "|4.0.1") != nil)
        #expect(store.resource(url: url + "|4.0.x") != nil)
        #expect(store.valueSet(url: url, version: "3.0.2") == nil)
        #expect(store.entry(url: url + "|4.0.1")?.canonical == url + "|4.0.1")
    }

    @Test(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage))
    func searchParametersByBase() {
        let store = CoreFixture.store
        let codes = Set(store.searchParameters(for: "Patient").compactMap { $0["code"]?.stringValue })
        #expect(codes.isSuperset(of: ["name", "birthdate", "gender", "identifier", "family"]))
        #expect(!codes.contains("_id"))
        let all = Set(
            store.searchParameters(for: "Patient", includingInherited: true).compactMap { $0["code"]?.stringValue })
        #expect(all.isSuperset(of: codes.union(["_id", "_lastUpdated", "_text"])))
        #expect(store.searchParameters(for: "NoSuchType").isEmpty)
    }

    @Test(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage))
    func concurrentLookupsAgree() async {
        let store = CoreFixture.store
        let urls = ["Observation", "Bundle", "Encounter", "MedicationRequest"].map {
            "http://hl7.org/fhir/StructureDefinition/" + $0
        }
        let results = await withTaskGroup(of: [JSONValue?].self) { group in
            for _ in 0..<8 { group.addTask { urls.map { store.resource(url: $0) } } }
            var all: [[JSONValue?]] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == results[0] && $0.allSatisfy { $0 != nil } })
    }

    /// Prints how long building the core index takes (run with `-c release` for real numbers).
    @Test(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage))
    func coreIndexTiming() {
        let clock = ContinuousClock()
        var durations: [Duration] = []
        var counts: [Int] = []
        for _ in 0..<3 {
            let start = clock.now
            let store = DefinitionStore.load(.init(packages: [.r4Core], packageCache: CoreFixture.cache))
            durations.append(clock.now - start)
            counts.append(store.entries.count)
        }
        let first = clock.now
        let sds = CoreFixture.store.resources(ofType: "StructureDefinition")
        let allSDs = clock.now - first
        print(
            "core index build: \(durations.map { $0.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))) }); load all \(sds.count) StructureDefinitions: \(allSDs)"
        )
        #expect(Set(counts).count == 1)
        #expect(sds.count > 600)
    }
}

@Suite struct DefinitionStoreXMLTests {
    @Test(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage))
    func readsXMLDefinitionsWithTheCoreModel() throws {
        let dir = try TemporaryDirectory("store-xml")
        try dir.write("Profiles/package.json", PackageFixture.manifest("clinic.profiles", "0.2.0"))
        try dir.write(
            "Profiles/ValueSet-sites.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <ValueSet xmlns="http://hl7.org/fhir">
              <id value="xml-sites"/>
              <url value="http://example.org/fhir/ValueSet/xml-sites"/>
              <version value="0.2.0"/>
              <status value="draft"/>
              <compose>
                <include>
                  <system value="http://snomed.info/sct"/>
                  <concept><code value="368209003"/></concept>
                </include>
              </compose>
            </ValueSet>
            """)
        let store = DefinitionStore.load(
            .init(packages: [], packageCache: CoreFixture.cache, profilesDirectory: dir.file("Profiles")))
        #expect(store.issues.isEmpty, "\(store.issues)")
        let vs = try #require(store.valueSet(url: "http://example.org/fhir/ValueSet/xml-sites", version: "0.2.0"))
        // Arrays come from the model: include and concept repeat.
        #expect(
            vs["compose"]?["include"]?.arrayValue?.first?["concept"]?.arrayValue?.first?["code"]?.stringValue
                == "368209003")
        #expect(vs["id"]?.stringValue == "xml-sites")
    }
}

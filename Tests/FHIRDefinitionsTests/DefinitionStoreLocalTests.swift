import FHIRDefinitions
import FHIRJSON
import FHIRModel
import Foundation
import Testing

/// Store tests on definitions built in temporary folders (no installed package needed).
@Suite struct DefinitionStoreLocalTests {
    static let profileURL = "http://example.org/fhir/StructureDefinition/ketamine-session"

    private func options(
        cache: String, profiles: String? = nil, extra: [String] = [], packages: [PackageReference] = []
    )
        -> DefinitionStore.Options
    {
        DefinitionStore.Options(
            packages: packages, packageCache: PackageCache(root: cache), profilesDirectory: profiles, extraPaths: extra)
    }

    @Test func picksTheNewestVersionUnlessOneIsAsked() throws {
        let dir = try TemporaryDirectory("store")
        for (file, version) in [
            ("a.json", "1.2.0"), ("b.json", "1.10.0"), ("c.json", "1.10.0-ballot"), ("d.json", "1.9.5"),
        ] {
            try dir.write("defs/\(file)", PackageFixture.structureDefinition(url: Self.profileURL, version: version))
        }
        let store = DefinitionStore.load(options(cache: dir.file("cache"), extra: [dir.file("defs")]))
        #expect(store.issues.isEmpty, "\(store.issues)")
        #expect(
            store.entries(url: Self.profileURL).map { $0.version ?? "" } == [
                "1.10.0", "1.10.0-ballot", "1.9.5", "1.2.0",
            ])
        #expect(store.structureDefinition(url: Self.profileURL)?["version"]?.stringValue == "1.10.0")
        #expect(store.structureDefinition(url: Self.profileURL, version: "1.2.0")?["version"]?.stringValue == "1.2.0")
        #expect(store.resource(url: Self.profileURL + "|1.9.5")?["version"]?.stringValue == "1.9.5")
        #expect(store.resource(url: Self.profileURL, version: "1.9.x")?["version"]?.stringValue == "1.9.5")
        #expect(store.resource(url: Self.profileURL, version: "2.0.0") == nil)
        #expect(store.entry(url: Self.profileURL)?.canonical == Self.profileURL + "|1.10.0")
    }

    @Test func indexesExtraFoldersFilesAndBundles() throws {
        let dir = try TemporaryDirectory("store")
        try dir.write(
            "defs/nested/deeper/sd.json", PackageFixture.structureDefinition(url: Self.profileURL, version: "1.0.0"))
        try dir.write(
            "defs/bundle.json",
            """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"resource": {"resourceType": "ValueSet", "id": "routes", "url": "http://example.org/fhir/ValueSet/routes", "status": "active"}},
              {"resource": {"resourceType": "Patient", "id": "not-canonical"}},
              {"resource": {"resourceType": "CodeSystem", "id": "routes", "url": "http://example.org/fhir/CodeSystem/routes", "version": "2", "status": "active", "content": "complete"}}
            ]}
            """)
        try dir.write("defs/patient.json", #"{"resourceType": "Patient", "id": "p1"}"#)
        try dir.write("defs/broken.json", #"{"resourceType": "ValueSet", "url": "#)
        try dir.write(
            "defs/.hidden/skip.json", PackageFixture.structureDefinition(url: "http://example.org/hidden", version: "1")
        )
        let single = try dir.write(
            "one/SearchParameter-dose.json",
            #"{"resourceType": "SearchParameter", "id": "dose", "url": "http://example.org/fhir/SearchParameter/dose", "code": "dose", "base": ["MedicationAdministration"], "type": "quantity", "status": "active"}"#
        )
        let store = DefinitionStore.load(
            options(cache: dir.file("cache"), extra: [dir.file("defs"), single, dir.file("missing-folder")]))

        #expect(store.sources.map(\.kind) == [.files, .files])
        #expect(store.structureDefinition(url: Self.profileURL)?["id"]?.stringValue == "TestProfile")
        #expect(store.valueSet(url: "http://example.org/fhir/ValueSet/routes")?["id"]?.stringValue == "routes")
        #expect(store.codeSystem(url: "http://example.org/fhir/CodeSystem/routes", version: "2") != nil)
        #expect(store.entry(url: "http://example.org/fhir/CodeSystem/routes")?.bundleEntry == 2)
        #expect(store.resource(url: "http://example.org/hidden") == nil)
        #expect(
            store.searchParameters(for: "MedicationAdministration").compactMap { $0["code"]?.stringValue } == ["dose"])
        #expect(store.entries.count == 4)
        let problems = store.issues
        #expect(problems.contains { $0.code == .definitionInvalid && $0.file?.hasSuffix("broken.json") == true })
        #expect(
            problems.contains {
                $0.code == .ioRead && $0.severity == .error && $0.file?.hasSuffix("missing-folder") == true
            })
        #expect(problems.count == 2, "\(problems)")
    }

    @Test func loadsAProfilesFolderWithItsDependencies() throws {
        let dir = try TemporaryDirectory("store")
        // A small installed package that the profiles depend on (no .index.json: it is scanned).
        try dir.write(
            "cache/base.pkg#1.0.3/package/package.json",
            PackageFixture.manifest("base.pkg", "1.0.3", dependencies: ["deep.pkg": "2.0.0"]))
        try dir.write(
            "cache/base.pkg#1.0.3/package/ValueSet-units.json",
            #"{"resourceType": "ValueSet", "id": "units", "url": "http://example.org/base/ValueSet/units", "version": "1.0.3"}"#
        )
        try dir.write("cache/deep.pkg#2.0.0/package/package.json", PackageFixture.manifest("deep.pkg", "2.0.0"))
        try dir.write(
            "cache/deep.pkg#2.0.0/package/CodeSystem-deep.json",
            #"{"resourceType": "CodeSystem", "id": "deep", "url": "http://example.org/deep/CodeSystem/deep", "content": "complete"}"#
        )
        // The same URL and version as in the profiles folder: the profiles folder wins.
        try dir.write(
            "cache/base.pkg#1.0.3/package/StructureDefinition-session.json",
            PackageFixture.structureDefinition(url: Self.profileURL, version: "0.1.0", name: "FromPackage"))

        try dir.write(
            "Profiles/package.json",
            PackageFixture.manifest(
                "clinic.profiles", "0.1.0", dependencies: ["base.pkg": "1.0.x", "absent.pkg": "3.0.0"]))
        try dir.write(
            "Profiles/StructureDefinition-session.json",
            PackageFixture.structureDefinition(url: Self.profileURL, version: "0.1.0", name: "FromProfiles"))
        try dir.write(
            "Profiles/valuesets/ValueSet-sites.json",
            #"{"resourceType": "ValueSet", "id": "sites", "url": "http://example.org/fhir/ValueSet/sites", "version": "0.1.0"}"#
        )

        let store = DefinitionStore.load(options(cache: dir.file("cache"), profiles: dir.file("Profiles")))
        #expect(store.sources.map(\.name) == ["clinic.profiles#0.1.0", "base.pkg#1.0.3", "deep.pkg#2.0.0"])
        #expect(store.sources.map(\.kind) == [.profiles, .package, .package])
        #expect(store.sources.first?.manifest?.dependencies.count == 2)
        #expect(store.sources[1].usedIndexFile == false)
        #expect(store.structureDefinition(url: Self.profileURL)?["id"]?.stringValue == "FromProfiles")
        #expect(store.entries(url: Self.profileURL).count == 2)
        #expect(store.valueSet(url: "http://example.org/fhir/ValueSet/sites") != nil)
        #expect(store.valueSet(url: "http://example.org/base/ValueSet/units") != nil)
        #expect(store.codeSystem(url: "http://example.org/deep/CodeSystem/deep") != nil)
        let missing = store.issues.filter { $0.code == .packageNotFound }
        #expect(missing.count == 1)
        #expect(missing.first?.severity == .warning)
        #expect(missing.first?.message.contains("absent.pkg#3.0.0") == true)
    }

    @Test func aMissingRequestedPackageIsAnError() throws {
        let dir = try TemporaryDirectory("store")
        let store = DefinitionStore.load(options(cache: dir.file("cache"), packages: [.r4Core]))
        #expect(store.entries.isEmpty)
        #expect(store.issues.count == 1)
        #expect(store.issues.first?.severity == .error)
        #expect(store.issues.first?.code == .packageNotFound)
    }

    @Test func packageIndexMeansNoFileIsParsedAtStartUp() throws {
        let dir = try TemporaryDirectory("store")
        let content = "cache/lazy.pkg#1.0.0/package/"
        try dir.write(content + "package.json", PackageFixture.manifest("lazy.pkg", "1.0.0"))
        try dir.write(
            content + "ValueSet-good.json",
            #"{"resourceType": "ValueSet", "id": "good", "url": "http://example.org/lazy/good", "version": "1.0.0"}"#)
        try dir.write(content + "ValueSet-bad.json", "this file is not JSON")
        try dir.write(
            content + ".index.json",
            """
            {"index-version": 2, "date": "20240101", "extra": {"nested": [1, -2.5e3, true, null, {"a": "b"}]}, "files": [
              {"filename": "ValueSet-good.json", "resourceType": "ValueSet", "id": "good", "url": "http://example.org/lazy/good", "version": "1.0.0", "supplements": [], "content": {"x": false}},
              {"filename": "ValueSet-bad.json", "resourceType": "ValueSet", "id": "bad", "url": "http://example.org/lazy/bad", "version": "1.0.0"},
              {"filename": "../../escape.json", "resourceType": "ValueSet", "id": "x", "url": "http://example.org/lazy/escape"},
              {"filename": "Patient-x.json", "resourceType": "Patient", "id": "x"}
            ]}
            """)
        let store = DefinitionStore.load(
            options(cache: dir.file("cache"), packages: [try PackageReference(parsing: "lazy.pkg#1.0.0")]))
        #expect(store.sources.first?.usedIndexFile == true)
        #expect(store.entries.map(\.url) == ["http://example.org/lazy/good", "http://example.org/lazy/bad"])
        #expect(store.issues.isEmpty, "nothing is parsed before it is asked for")
        #expect(store.valueSet(url: "http://example.org/lazy/good") != nil)
        #expect(store.valueSet(url: "http://example.org/lazy/bad") == nil)
        #expect(store.valueSet(url: "http://example.org/lazy/bad") == nil)
        #expect(store.issues.count == 1, "a bad file is reported once: \(store.issues)")
        #expect(store.issues.first?.code == .definitionInvalid)
    }

    @Test(arguments: ["{\"files\": [ {\"filename\": ", "{\"index-version\": 1}", "[]", "{\"files\": [1]}"])
    func aBrokenPackageIndexFallsBackToScanning(_ index: String) throws {
        let dir = try TemporaryDirectory("store")
        let content = "cache/scan.pkg#1.0.0/package/"
        try dir.write(content + "package.json", PackageFixture.manifest("scan.pkg", "1.0.0"))
        try dir.write(
            content + "ValueSet-a.json", #"{"resourceType": "ValueSet", "id": "a", "url": "http://example.org/scan/a"}"#
        )
        try dir.write(
            content + "example/ValueSet-b.json",
            #"{"resourceType": "ValueSet", "id": "b", "url": "http://example.org/scan/b"}"#)
        try dir.write(content + ".index.json", index)
        let store = DefinitionStore.load(
            options(cache: dir.file("cache"), packages: [try PackageReference(parsing: "scan.pkg#1.0.0")]))
        #expect(store.sources.first?.usedIndexFile == false)
        #expect(store.entries.map(\.url) == ["http://example.org/scan/a"], "only top-level package files are scanned")
        #expect(store.issues.count == 1)
        #expect(store.issues.first?.code == .packageInvalid)
        #expect(store.issues.first?.severity == .warning)
    }

    @Test func xmlDefinitionsGoThroughTheConverter() throws {
        let dir = try TemporaryDirectory("store")
        try dir.write("Profiles/package.json", PackageFixture.manifest("clinic.profiles", "0.1.0"))
        try dir.write("Profiles/StructureDefinition-x.xml", "<StructureDefinition xmlns=\"http://hl7.org/fhir\"/>")
        var opts = options(cache: dir.file("cache"), profiles: dir.file("Profiles"))
        opts.xml = .skip
        let without = DefinitionStore.load(opts)
        #expect(without.entries.isEmpty)
        #expect(without.issues.contains { $0.code == .definitionInvalid && $0.message.contains("XML") })

        opts.xml = .converter { bytes, _ throws(FHIRFormatError) in
            guard bytes.starts(with: Array("<StructureDefinition".utf8)) else {
                throw FHIRFormatError(.xmlSyntax, "unexpected test input")
            }
            return try JSONValue.parse(
                PackageFixture.structureDefinition(url: Self.profileURL, version: "0.1.0", name: "FromXML"))
        }
        let with = DefinitionStore.load(opts)
        #expect(with.issues.isEmpty, "\(with.issues)")
        #expect(with.structureDefinition(url: Self.profileURL)?["id"]?.stringValue == "FromXML")
    }

    @Test func profilesFolderWithoutManifestStillLoads() throws {
        let dir = try TemporaryDirectory("store")
        try dir.write("Profiles/sd.json", PackageFixture.structureDefinition(url: Self.profileURL, version: "0.0.1"))
        let store = DefinitionStore.load(options(cache: dir.file("cache"), profiles: dir.file("Profiles")))
        #expect(store.structureDefinition(url: Self.profileURL) != nil)
        #expect(store.sources.first?.name == "Profiles")
        #expect(store.issues.map(\.severity) == [.information])
        // A profiles folder that does not exist is simply skipped.
        let none = DefinitionStore.load(options(cache: dir.file("cache"), profiles: dir.file("NoProfiles")))
        #expect(none.sources.isEmpty && none.issues.isEmpty)
    }
}

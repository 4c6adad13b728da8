import FHIRDefinitions
import FHIRJSON
import FHIRModel
import Foundation
import Testing

@Suite struct PackageCacheTests {
    @Test func rootPrecedence() {
        let env = ["HOME": "/home/someone", PackageCache.environmentVariable: "/srv/fhir-cache"]
        #expect(PackageCache(root: "/opt/cache", environment: env).root == "/opt/cache")
        #expect(PackageCache(environment: env).root == "/srv/fhir-cache")
        #expect(PackageCache(environment: ["HOME": "/home/someone"]).root == "/home/someone/.fhir/packages")
        let cache = PackageCache(root: "/opt/cache/", environment: [:])
        #expect(cache.directory(for: .r4Core) == "/opt/cache/hl7.fhir.r4.core#4.0.1")
        #expect(cache.contentDirectory(for: .r4Core) == "/opt/cache/hl7.fhir.r4.core#4.0.1/package")
    }

    @Test func listsInstalledPackagesAndSkipsOtherFolders() throws {
        let dir = try TemporaryDirectory("cache")
        try dir.write(
            "a.one#1.0.0/package/package.json",
            PackageFixture.manifest("a.one", "1.0.0", dependencies: ["hl7.fhir.r4.core": "4.0.1"]))
        try dir.write("a.one#1.10.0/package/package.json", PackageFixture.manifest("a.one", "1.10.0"))
        try dir.write("a.one#1.9.0/package/package.json", PackageFixture.manifest("a.one", "1.9.0"))
        try dir.write(".partial-a.one#2.0.0-1-2/package/package.json", PackageFixture.manifest("a.one", "2.0.0"))
        try dir.write("b.two#0.1.0/package/readme.txt", "no manifest: not installed")
        try dir.write("broken.pkg#1.0.0/package/package.json", "{ not json")
        try dir.write("packages.ini", "[cache]\nversion=3\n")
        let cache = PackageCache(root: dir.path)
        let (packages, problems) = cache.installedPackages()
        #expect(packages.map(\.reference.description) == ["a.one#1.0.0", "a.one#1.9.0", "a.one#1.10.0"])
        #expect(packages[0].manifest.dependencies == [.init(id: "hl7.fhir.r4.core", version: "4.0.1")])
        #expect(packages[0].contentPath == dir.path + "/a.one#1.0.0/package")
        #expect(problems.count == 1)
        #expect(problems.first?.code == .packageInvalid)
        #expect(cache.installedVersions(of: "a.one") == ["1.0.0", "1.9.0", "1.10.0"])
        #expect(cache.resolve(id: "a.one", versionPattern: "1.x")?.version == "1.10.0")
        #expect(cache.resolve(id: "a.one", versionPattern: "1.9.0")?.version == "1.9.0")
        #expect(cache.resolve(id: "a.one", versionPattern: "2.0.0") == nil)
        #expect(cache.resolve(id: "b.two", versionPattern: "0.1.0") == nil)
    }

    @Test func missingRootListsNothing() {
        let cache = PackageCache(root: "/nonexistent/fhirgate/cache")
        #expect(cache.installedPackages().packages.isEmpty)
        #expect(!cache.isInstalled(.r4Core))
    }

    @Test func manifestFields() throws {
        let json = try JSONValue.parse(
            #"{"name":"x.y","version":"1.0.0","fhir-version-list":["4.0.1"],"dependencies":{"a.b":"1.0.x","c.d":"2.0.0"},"canonical":"http://x","type":"IG","title":"T"}"#
        )
        let m = try PackageManifest(json: json)
        #expect(m.fhirVersions == ["4.0.1"])
        #expect(m.dependencies.map(\.id) == ["a.b", "c.d"])
        #expect(m.dependencies.first?.version == "1.0.x")
        #expect(m.canonical == "http://x")
        #expect(throws: PackageError.self) { try PackageManifest(json: try JSONValue.parse(#"{"version":"1.0.0"}"#)) }
        #expect(throws: PackageError.self) {
            try PackageManifest(json: try JSONValue.parse(#"{"name":"x","version":"1","dependencies":{"a":1}}"#))
        }
    }
}

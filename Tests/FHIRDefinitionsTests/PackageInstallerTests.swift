import FHIRDefinitions
import FHIRModel
import Foundation
import Testing

@Suite struct PackageInstallerTests {
    let ref = PackageReference.testPackage

    private func install(
        _ tarball: [UInt8], in dir: TemporaryDirectory, sha256: String? = nil,
        limits: PackageInstaller.Limits = .init(),
        replace: Bool = false
    ) throws(PackageError) -> PackageInstaller.Result {
        let file = try? dir.write("in/package.tgz", tarball)
        let installer = PackageInstaller(cache: PackageCache(root: dir.file("cache")), limits: limits)
        return try installer.install(ref, fromTarball: file ?? "", expectedSHA256: sha256, replaceExisting: replace)
    }

    /// Installs and expects a DEF-PACKAGE-INVALID (or other) error; checks no package folder
    /// and no temporary folder is left behind.
    private func expectRejected(
        _ tarball: [UInt8], code: IssueCode = .packageInvalid, messageContains: String,
        limits: PackageInstaller.Limits = .init(), sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let dir = try TemporaryDirectory("install")
        do {
            _ = try install(tarball, in: dir, limits: limits)
            Testing.Issue.record("install should have failed", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect(
                error.message.contains(messageContains), "message: \(error.message)", sourceLocation: sourceLocation)
        }
        #expect(!PackageCache(root: dir.file("cache")).isInstalled(ref), sourceLocation: sourceLocation)
        #expect(dir.list("cache").isEmpty, "left behind: \(dir.list("cache"))", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: dir.file("evil")), sourceLocation: sourceLocation)
    }

    @Test func installsAValidTarball() throws {
        let dir = try TemporaryDirectory("install")
        let tarball = PackageFixture.tarball(ref.id, ref.version) { tar in
            tar.directory("package/other/")
            tar.file("package/other/readme.txt", "hello")
            tar.file("package/example/Patient-x.json", "{\"resourceType\":\"Patient\"}")
        }
        let result = try install(tarball, in: dir)
        #expect(result.status == .installed)
        #expect(result.fileCount == 4)
        #expect(result.warnings.isEmpty)
        let cache = PackageCache(root: dir.file("cache"))
        #expect(cache.isInstalled(ref))
        #expect(result.path == dir.file("cache/\(ref)"))
        let readme = try String(contentsOfFile: dir.file("cache/\(ref)/package/other/readme.txt"), encoding: .utf8)
        #expect(readme == "hello")
        // Only the package folder is left in the cache: no temporary folders.
        #expect(dir.list("cache") == [ref.description])
        let listed = cache.installedPackages()
        #expect(listed.packages.map(\.reference) == [ref])
        #expect(listed.packages.first?.manifest.fhirVersions == ["4.0.1"])
        #expect(listed.packages.first?.manifest.canonical == "http://example.org/fhir/\(ref.id)")

        // The package had no .index.json: one was written, and the store uses it.
        #expect(result.wroteIndex)
        let store = DefinitionStore.load(.init(packages: [ref], packageCache: cache))
        #expect(store.sources.first?.usedIndexFile == true)
        #expect(store.entries.map(\.url) == ["http://example.org/fhir/StructureDefinition/test"])
        #expect(
            store.structureDefinition(url: "http://example.org/fhir/StructureDefinition/test")?["version"]?.stringValue
                == ref.version)
    }

    @Test func keepsAShippedIndex() throws {
        let dir = try TemporaryDirectory("install")
        let index = #"{"index-version": 1, "files": []}"#
        let result = try install(
            PackageFixture.tarball(ref.id, ref.version) { $0.file("package/.index.json", index) }, in: dir)
        #expect(!result.wroteIndex)
        #expect(try String(contentsOfFile: dir.file("cache/\(ref)/package/.index.json"), encoding: .utf8) == index)
    }

    @Test func checksumIsVerified() throws {
        let tarball = PackageFixture.tarball(ref.id, ref.version)
        let good = try SHA256Digest.hex(of: tarball)
        let dir = try TemporaryDirectory("install")
        #expect(try install(tarball, in: dir, sha256: good.uppercased()).status == .installed)

        let other = try TemporaryDirectory("install")
        var wrong = Array(good)
        wrong[0] = wrong[0] == "0" ? "1" : "0"
        do {
            _ = try install(tarball, in: other, sha256: String(wrong))
            Testing.Issue.record("a wrong checksum must be rejected")
        } catch {
            #expect(error.code == .packageChecksum)
        }
        #expect(other.list("cache").isEmpty)
        #expect(throws: PackageError.self) { try install(tarball, in: other, sha256: "abc") }
    }

    @Test func sha256MatchesKnownVector() throws {
        #expect(
            try SHA256Digest.hex(of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func rejectsPathTraversal() throws {
        let tarball = PackageFixture.tarball(ref.id, ref.version) { tar in
            tar.file("package/../../evil", "x")
        }
        try expectRejected(tarball, messageContains: "'..'")
    }

    @Test func rejectsTraversalThroughPaxPath() throws {
        let tarball = PackageFixture.tarball(ref.id, ref.version) { tar in
            tar.paxFile("package/sub/../../../evil", "x")
        }
        try expectRejected(tarball, messageContains: "'..'")
    }

    @Test func rejectsAbsolutePaths() throws {
        let tarball = PackageFixture.tarball(ref.id, ref.version) { tar in tar.file("/tmp/evil", "x") }
        try expectRejected(tarball, messageContains: "absolute")
    }

    @Test func rejectsLinksOutsideThePackage() throws {
        try expectRejected(
            PackageFixture.tarball(ref.id, ref.version) { $0.symlink("package/link", to: "../../etc/passwd") },
            messageContains: "outside")
        try expectRejected(
            PackageFixture.tarball(ref.id, ref.version) { $0.symlink("package/link", to: "/etc/passwd") },
            messageContains: "outside")
        try expectRejected(
            PackageFixture.tarball(ref.id, ref.version) { $0.hardlink("package/link", to: "../evil") },
            messageContains: "outside")
    }

    @Test func skipsLinksInsideThePackage() throws {
        let dir = try TemporaryDirectory("install")
        let tarball = PackageFixture.tarball(ref.id, ref.version) { tar in
            tar.symlink("package/alias.json", to: "package.json")
        }
        let result = try install(tarball, in: dir)
        #expect(result.status == .installed)
        #expect(result.warnings.count == 1)
        #expect(!dir.exists("cache/\(ref)/package/alias.json"))
    }

    @Test func rejectsOtherEntryTypes() throws {
        try expectRejected(
            PackageFixture.tarball(ref.id, ref.version) { $0.fifo("package/pipe") }, messageContains: "unsupported type"
        )
    }

    @Test func rejectsMismatchedManifest() throws {
        try expectRejected(PackageFixture.tarball(ref.id, "9.9.9"), messageContains: "not \(ref)")
        try expectRejected(PackageFixture.tarball("other.pkg", ref.version), messageContains: "not \(ref)")
    }

    @Test func rejectsTarballWithoutManifest() throws {
        var tar = TarBuilder()
        tar.file("package/readme.txt", "no manifest")
        tar.finish()
        try expectRejected(Gzip.compress(tar.bytes), messageContains: "package/package.json")
    }

    @Test func rejectsTruncatedAndCorruptArchives() throws {
        let good = PackageFixture.tarball(ref.id, ref.version)
        try expectRejected(Array(good.prefix(good.count / 2)), messageContains: "truncated")
        var flipped = good
        flipped[flipped.count / 2] ^= 0xFF
        let dir = try TemporaryDirectory("install")
        #expect(throws: PackageError.self) { try install(flipped, in: dir) }
        #expect(dir.list("cache").isEmpty)
        try expectRejected(Array("just some text, not an archive".utf8), messageContains: "not a gzip")
        try expectRejected([], messageContains: "empty")
    }

    @Test func rejectsBadHeaderChecksum() throws {
        var tar = TarBuilder()
        var header = TarBuilder.header(name: "package/package.json", size: 0, type: "0")
        header[0] ^= 0x01
        tar.raw(header)
        tar.finish()
        try expectRejected(Gzip.compress(tar.bytes), messageContains: "checksum")
    }

    @Test func rejectsDecompressionBombs() throws {
        let tarball = PackageFixture.tarball(ref.id, ref.version) { tar in
            tar.file("package/zeros.bin", [UInt8](repeating: 0, count: 4 << 20))
        }
        #expect(tarball.count < 64 << 10)
        try expectRejected(
            tarball, messageContains: "decompression bomb", limits: PackageInstaller.Limits(maxUnpackedBytes: 1 << 20))
    }

    @Test func readsLongNames() throws {
        let dir = try TemporaryDirectory("install")
        let longName =
            "package/" + String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 130) + ".json"
        let gnuName = "package/" + String(repeating: "g", count: 150) + ".json"
        let tarball = PackageFixture.tarball(ref.id, ref.version) { tar in
            tar.paxFile(longName, "pax")
            tar.gnuLongNameFile(gnuName, "gnu")
            tar.file(String(repeating: "p", count: 40) + ".json", Array("prefix".utf8), prefix: "package/pre")
        }
        _ = try install(tarball, in: dir)
        let base = dir.file("cache/\(ref)/")
        #expect(try String(contentsOfFile: base + longName, encoding: .utf8) == "pax")
        #expect(try String(contentsOfFile: base + gnuName, encoding: .utf8) == "gnu")
        #expect(
            try String(
                contentsOfFile: base + "package/pre/" + String(repeating: "p", count: 40) + ".json", encoding: .utf8)
                == "prefix")
    }

    @Test func leavesAnInstalledPackageAloneUnlessReplacing() throws {
        let dir = try TemporaryDirectory("install")
        _ = try install(PackageFixture.tarball(ref.id, ref.version), in: dir)
        let marker = dir.file("cache/\(ref)/package/marker")
        try Data("old".utf8).write(to: URL(fileURLWithPath: marker))
        #expect(try install(PackageFixture.tarball(ref.id, ref.version), in: dir).status == .alreadyInstalled)
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(try install(PackageFixture.tarball(ref.id, ref.version), in: dir, replace: true).status == .replaced)
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(dir.list("cache") == [ref.description])
    }

    @Test func failedReplacementKeepsTheOldCopy() throws {
        let dir = try TemporaryDirectory("install")
        _ = try install(PackageFixture.tarball(ref.id, ref.version), in: dir)
        let bad = PackageFixture.tarball(ref.id, ref.version) { $0.file("package/../x", "x") }
        #expect(throws: PackageError.self) { try install(bad, in: dir, replace: true) }
        #expect(PackageCache(root: dir.file("cache")).isInstalled(ref))
        #expect(dir.list("cache") == [ref.description])
    }

    @Test func acceptsArchivesMadeByTar() throws {
        let tool = "/usr/bin/tar"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            print("skipping acceptsArchivesMadeByTar: \(tool) is not available")
            return
        }
        let dir = try TemporaryDirectory("install")
        try dir.write("src/package/package.json", PackageFixture.manifest(ref.id, ref.version))
        try dir.write("src/package/deep/" + String(repeating: "n", count: 200) + ".json", "{}")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-czf", dir.file("in/made.tgz"), "-C", dir.file("src"), "package"]
        try FileManager.default.createDirectory(atPath: dir.file("in"), withIntermediateDirectories: true)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let installer = PackageInstaller(cache: PackageCache(root: dir.file("cache")))
        let result = try installer.install(ref, fromTarball: dir.file("in/made.tgz"))
        #expect(result.status == .installed)
        #expect(dir.exists("cache/\(ref)/package/deep/" + String(repeating: "n", count: 200) + ".json"))
    }

    @Test func missingTarballIsReported() throws {
        let dir = try TemporaryDirectory("install")
        let installer = PackageInstaller(cache: PackageCache(root: dir.file("cache")))
        do {
            _ = try installer.install(ref, fromTarball: dir.file("nope.tgz"))
            Testing.Issue.record("expected an error")
        } catch {
            #expect(error.code == .packageNotFound)
        }
    }
}

extension PackageReference {
    static let testPackage: PackageReference = {
        do { return try PackageReference(parsing: "example.fhirgate.test#1.2.3") } catch {
            preconditionFailure("\(error)")
        }
    }()
}

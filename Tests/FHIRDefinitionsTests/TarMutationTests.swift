import FHIRDefinitions
import FHIRModel
import Foundation
import Testing

/// Damaged archives must end in a clear `PackageError` (or a clean install when the damage is
/// harmless), never in a crash, a hang, or files outside the cache.
@Suite struct TarMutationTests {
    /// A small deterministic generator (64-bit LCG) so failures can be reproduced.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func mutatedHeadersNeverCrashOrEscape() throws {
        var tar = TarBuilder()
        tar.directory("package/")
        tar.file("package/package.json", PackageFixture.manifest("mut.pkg", "1.0.0"))
        tar.paxFile("package/" + String(repeating: "l", count: 120) + ".json", "{}")
        tar.file("package/ValueSet-a.json", #"{"resourceType": "ValueSet", "url": "http://x/a"}"#)
        tar.finish()
        let original = tar.bytes
        let headerOffsets = [0, 512, 1024, 1536, 2048]  // the first headers and pax data
        let ref = try PackageReference(parsing: "mut.pkg#1.0.0")
        var random = Generator(state: 0x5EED)
        var installed = 0
        var rejected = 0
        let dir = try TemporaryDirectory("mutate")
        for round in 0..<150 {
            var bytes = original
            for _ in 0..<(1 + random.next(3)) {
                let at = headerOffsets[random.next(headerOffsets.count)] + random.next(512)
                guard at < bytes.count else { continue }
                bytes[at] = UInt8(truncatingIfNeeded: random.next(256))
            }
            let file = try dir.write("in/\(round).tgz", Gzip.compress(bytes))
            let cache = PackageCache(root: dir.file("cache-\(round)"))
            do {
                _ = try PackageInstaller(cache: cache).install(ref, fromTarball: file)
                installed += 1
            } catch {
                rejected += 1
                #expect([IssueCode.packageInvalid, .ioRead].contains(error.code), "round \(round): \(error)")
                #expect(!cache.isInstalled(ref))
            }
            // Nothing but the package folder may appear in the cache, never a temporary folder.
            let left = dir.list("cache-\(round)")
            #expect(left.isEmpty || left == [ref.description], "round \(round): \(left)")
        }
        #expect(dir.list().allSatisfy { $0 == "in" || $0.hasPrefix("cache-") })
        #expect(rejected > 0)
        #expect(installed + rejected == 150)
    }

    @Test func randomBytesAreRejected() throws {
        var random = Generator(state: 42)
        let dir = try TemporaryDirectory("mutate")
        for round in 0..<20 {
            var bytes = (0..<(1 + random.next(4096))).map { _ in UInt8(truncatingIfNeeded: random.next(256)) }
            if round % 2 == 0 { bytes = Gzip.compress(bytes) }
            let file = try dir.write("in/\(round).bin", bytes)
            let installer = PackageInstaller(cache: PackageCache(root: dir.file("cache")))
            #expect(throws: PackageError.self) { try installer.install(.testPackage, fromTarball: file) }
        }
        #expect(dir.list("cache").isEmpty)
    }
}

import FHIRModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Installs FHIR package tarballs (`.tgz` as published on the FHIR package registries) into a
/// ``PackageCache``.
///
/// The tarball is checked against an expected SHA-256 when one is given, decompressed as a
/// stream with a cap on the unpacked size, and extracted into a temporary folder next to the
/// target. Only when the whole archive was read and its `package/package.json` names the
/// requested id and version is the folder renamed into `<cache>/<id>#<version>`, so a
/// half-extracted package never appears as installed.
public struct PackageInstaller: Sendable {
    public struct Limits: Sendable {
        /// Most bytes the archive may expand to (1 GiB by default).
        public var maxUnpackedBytes: Int
        /// Most archive entries.
        public var maxEntries: Int

        public init(maxUnpackedBytes: Int = 1 << 30, maxEntries: Int = 250_000) {
            self.maxUnpackedBytes = maxUnpackedBytes
            self.maxEntries = maxEntries
        }
    }

    public enum Status: Sendable, Hashable {
        /// The package was extracted and moved into the cache.
        case installed
        /// It was installed before; nothing was changed.
        case alreadyInstalled
        /// It was installed before and has been replaced.
        case replaced
    }

    public struct Result: Sendable {
        public let reference: PackageReference
        public let status: Status
        /// The package folder, `<cache>/<id>#<version>`.
        public let path: String
        /// Number of files extracted (0 when nothing was installed).
        public let fileCount: Int
        /// Non-fatal findings, e.g. links that were skipped.
        public let warnings: [Issue]
        /// Whether the package had no `.index.json` and one was written.
        public var wroteIndex: Bool = false
    }

    public let cache: PackageCache
    public var limits: Limits

    public init(cache: PackageCache, limits: Limits = Limits()) {
        self.cache = cache
        self.limits = limits
    }

    /// Installs `reference` from a local tarball.
    ///
    /// - Parameters:
    ///   - expectedSHA256: the tarball's SHA-256 in hex; a mismatch throws `DEF-PACKAGE-CHECKSUM`
    ///     before anything is extracted.
    ///   - replaceExisting: replace an installed copy instead of leaving it alone.
    @discardableResult
    public func install(
        _ reference: PackageReference, fromTarball path: String, expectedSHA256: String? = nil,
        replaceExisting: Bool = false
    ) throws(PackageError) -> Result {
        let tarball = FileSystem.absolute(path)
        guard FileSystem.isFile(tarball) else {
            throw PackageError(.packageNotFound, "tarball not found or not a regular file", file: tarball)
        }
        if let expectedSHA256 {
            guard let expected = SHA256Digest.normalizedHex(expectedSHA256) else {
                throw PackageError(.packageChecksum, "the expected SHA-256 must be 64 hexadecimal digits")
            }
            let actual = try SHA256Digest.hex(ofFile: tarball)
            guard actual == expected else {
                throw PackageError(
                    .packageChecksum, "SHA-256 of the tarball does not match the expected value (actual \(actual))",
                    file: tarball)
            }
        }
        let target = cache.directory(for: reference)
        let wasInstalled = cache.isInstalled(reference)
        if wasInstalled && !replaceExisting {
            return Result(reference: reference, status: .alreadyInstalled, path: target, fileCount: 0, warnings: [])
        }

        try FileSystem.makeDirectories(cache.root)
        let temporary = try makeTemporaryDirectory(for: reference, kind: "partial")
        var keepTemporary = false
        defer { if !keepTemporary { FileSystem.removeTree(temporary) } }

        let extractor = TarExtractor(root: temporary)
        do {
            try extract(tarball, into: extractor)
        } catch {
            throw PackageError(error.code, error.message, file: tarball)
        }
        let manifestPath = FileSystem.join(temporary, "package/package.json")
        guard FileSystem.isFile(manifestPath) else {
            throw PackageError.invalid("the tarball has no package/package.json", file: tarball)
        }
        let manifest = try PackageManifest(contentsOf: manifestPath)
        guard manifest.name == reference.id, manifest.version == reference.version else {
            throw PackageError.invalid(
                "the tarball holds \(displayName(manifest.name))#\(displayName(manifest.version)), not \(reference)",
                file: tarball)
        }

        // Packages without an index get one, so loading them later parses no file.
        var indexed = false
        let contentDirectory = FileSystem.join(temporary, "package")
        if !FileSystem.isFile(FileSystem.join(contentDirectory, ".index.json")) {
            try PackageIndexWriter.writeIndex(contentDirectory: contentDirectory)
            indexed = true
        }

        var status = Status.installed
        if FileSystem.kind(at: target, followLinks: false) != .missing {
            // An installed copy (or a broken leftover without package.json): move it aside first.
            let old = try makeTemporaryDirectory(for: reference, kind: "old")
            FileSystem.removeTree(old)
            guard FileSystem.rename(target, to: old) == 0 else {
                throw PackageError(.ioRead, "cannot move the existing package folder aside", file: target)
            }
            defer { FileSystem.removeTree(old) }
            let rc = FileSystem.rename(temporary, to: target)
            guard rc == 0 else {
                _ = FileSystem.rename(old, to: target)
                throw PackageError(
                    .ioRead, "cannot move the package into the cache (\(FileSystem.errnoText(rc)))", file: target)
            }
            status = wasInstalled ? .replaced : .installed
        } else {
            let rc = FileSystem.rename(temporary, to: target)
            if rc == EEXIST || rc == ENOTEMPTY, cache.isInstalled(reference) {
                // Another process installed it at the same moment.
                return Result(reference: reference, status: .alreadyInstalled, path: target, fileCount: 0, warnings: [])
            }
            guard rc == 0 else {
                throw PackageError(
                    .ioRead, "cannot move the package into the cache (\(FileSystem.errnoText(rc)))", file: target)
            }
        }
        keepTemporary = true  // it has become the target
        var result = Result(
            reference: reference, status: status, path: target, fileCount: extractor.fileCount,
            warnings: extractor.warnings)
        result.wroteIndex = indexed
        return result
    }

    /// Streams the tarball (gzip-compressed, or a plain tar) through the tar reader.
    private func extract(_ tarball: String, into extractor: TarExtractor) throws(PackageError) {
        let fd = open(tarball, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PackageError(.ioRead, "cannot open the tarball") }
        defer { close(fd) }
        let reader = TarReader(handler: extractor, limits: TarLimits(maxEntries: limits.maxEntries))
        var inflater: GzipInflater?
        var plainBytes = 0
        var first = true
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw PackageError(.ioRead, "cannot read the tarball") }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            if first {
                first = false
                if chunk.count >= 2 && chunk[0] == 0x1F && chunk[1] == 0x8B {
                    inflater = try GzipInflater(maxOutput: limits.maxUnpackedBytes)
                } else if !Self.looksLikeTar(chunk) {
                    throw PackageError.invalid("the file is not a gzip-compressed tarball")
                }
            }
            if let inflater {
                try inflater.feed(chunk) { (piece) throws(PackageError) in try reader.feed(piece) }
            } else {
                plainBytes += chunk.count
                guard plainBytes <= limits.maxUnpackedBytes else {
                    throw PackageError.invalid("the archive is larger than \(limits.maxUnpackedBytes) bytes")
                }
                try reader.feed(chunk)
            }
        }
        if first { throw PackageError.invalid("the tarball is empty") }
        try inflater?.finish()
        try reader.finish()
    }

    /// A plain (uncompressed) tar starts with a header whose magic is `ustar` at offset 257.
    private static func looksLikeTar(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard chunk.count >= 262 else { return false }
        return chunk[257] == 0x75 && chunk[258] == 0x73 && chunk[259] == 0x74 && chunk[260] == 0x61
            && chunk[261] == 0x72
    }

    private func makeTemporaryDirectory(for reference: PackageReference, kind: String) throws(PackageError) -> String {
        for _ in 0..<16 {
            let name = ".\(kind)-\(reference)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let path = FileSystem.join(cache.root, name)
            if mkdir(path, 0o755) == 0 { return path }
            guard errno == EEXIST else { break }
        }
        throw PackageError(.ioRead, "cannot create a temporary folder in the package cache", file: cache.root)
    }
}

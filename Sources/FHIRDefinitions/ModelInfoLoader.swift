import FHIRJSON
import FHIRModel

#if canImport(Glibc)
    import Glibc
#endif

/// Loads the base ``ModelInfo`` of a FHIR package (normally `hl7.fhir.r4.core#4.0.1`), from a
/// compact precompiled cache when one matches the package content, otherwise by parsing the base
/// StructureDefinitions and writing the cache for next time.
///
/// The cache key is a hash of the package manifest and the names, sizes and modification times
/// of the package's StructureDefinition files, so a changed package never reuses a stale cache.
public enum ModelInfoLoader {
    /// Where the model came from.
    public enum Origin: String, Sendable {
        case cache, parsed
    }

    public struct Loaded: Sendable {
        public let model: ModelInfo
        public let origin: Origin
        /// The cache file used or written (nil when caching was off or failed to write).
        public let cacheFile: String?
    }

    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `$FHIRGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/fhirgate`, else `~/.cache/fhirgate`.
    public static var defaultCacheDirectory: String {
        if let dir = environment("FHIRGATE_CACHE_DIR"), !dir.isEmpty { return dir }
        if let xdg = environment("XDG_CACHE_HOME"), !xdg.isEmpty { return xdg + "/fhirgate" }
        return (environment("HOME") ?? "/tmp") + "/.cache/fhirgate"
    }

    /// Loads the model of the core package found under a package cache root
    /// (`<root>/hl7.fhir.r4.core#4.0.1/package`).
    public static func loadCore(
        packageCacheRoot: String, package: String = "hl7.fhir.r4.core#4.0.1",
        cacheDirectory: String? = defaultCacheDirectory
    ) throws(LoadError) -> Loaded {
        try load(packageDirectory: packageCacheRoot + "/" + package + "/package", cacheDirectory: cacheDirectory)
    }

    /// Loads the model of the package whose files are in `packageDirectory`.
    /// Pass `cacheDirectory: nil` to always parse and never write a cache.
    public static func load(packageDirectory: String, cacheDirectory: String? = defaultCacheDirectory)
        throws(LoadError) -> Loaded
    {
        let manifest: [UInt8]
        let files: [String]
        do {
            manifest = try FileBytes.read(packageDirectory + "/package.json")
            files = try FileBytes.listDirectory(packageDirectory).filter {
                $0.hasPrefix("StructureDefinition-") && $0.hasSuffix(".json")
            }
        } catch {
            throw LoadError(message: "cannot read the FHIR package at \(packageDirectory): \(error.reason)")
        }
        var key = FNV1a()
        key.add(manifest)
        for name in files {
            key.add(Array(name.utf8))
            if let fp = FileBytes.fingerprint(packageDirectory + "/" + name) {
                key.add(fp.size)
                key.add(fp.modified)
            }
        }
        key.add(Int(ModelInfoCodec.formatVersion))
        let cacheFile = cacheDirectory.map { $0 + "/modelinfo-" + key.hex + ".bin" }

        if let cacheFile, FileBytes.exists(cacheFile),
            let bytes = try? FileBytes.read(cacheFile),
            let model = try? ModelInfoCodec.decode(bytes)
        {
            return Loaded(model: model, origin: .cache, cacheFile: cacheFile)
        }

        let model = try parse(packageDirectory: packageDirectory, files: files, manifest: manifest)
        var written: String? = nil
        if let cacheDirectory, let cacheFile {
            do {
                try FileBytes.makeDirectories(cacheDirectory)
                try FileBytes.writeAtomically(ModelInfoCodec.encode(model), to: cacheFile)
                written = cacheFile
            } catch {
                // A cache that cannot be written only costs start-up time; carry on without it.
                written = nil
            }
        }
        return Loaded(model: model, origin: .parsed, cacheFile: written)
    }

    private static func parse(packageDirectory: String, files: [String], manifest: [UInt8]) throws(LoadError)
        -> ModelInfo
    {
        let fhirVersion: String
        do {
            let m = try JSONValue.parse(manifest)
            fhirVersion = m["fhirVersions"]?.arrayValue?.first?.stringValue ?? m["version"]?.stringValue ?? "4.0.1"
        } catch {
            throw LoadError(message: "\(packageDirectory)/package.json: \(error.issue.message)")
        }
        // Prefer the package index: it names the base definitions without parsing every file.
        var selected: [String]? = nil
        if let indexBytes = try? FileBytes.read(packageDirectory + "/.index.json"),
            let index = try? JSONValue.parse(indexBytes), let entries = index["files"]?.arrayValue
        {
            selected = entries.compactMap { e in
                guard e["resourceType"]?.stringValue == "StructureDefinition",
                    ModelInfoBuilder.isBaseTypeDefinition(
                        id: e["id"]?.stringValue, type: e["type"]?.stringValue, kind: e["kind"]?.stringValue)
                else { return nil }
                return e["filename"]?.stringValue
            }
        }
        var definitions: [JSONValue] = []
        for name in selected ?? files {
            let path = packageDirectory + "/" + name
            do {
                let sd = try JSONValue.parse(try FileBytes.read(path))
                if selected == nil {
                    guard
                        ModelInfoBuilder.isBaseTypeDefinition(
                            id: sd["id"]?.stringValue, type: sd["type"]?.stringValue, kind: sd["kind"]?.stringValue)
                    else { continue }
                }
                definitions.append(sd)
            } catch let error as FHIRFormatError {
                throw LoadError(message: "\(path): \(error.issue.message) at \(error.issue.position ?? .unknown)")
            } catch {
                throw LoadError(message: "\(path): \(error)")
            }
        }
        guard !definitions.isEmpty else {
            throw LoadError(message: "\(packageDirectory) holds no base StructureDefinitions")
        }
        do {
            return try ModelInfoBuilder.build(structureDefinitions: definitions, fhirVersion: fhirVersion)
        } catch {
            throw LoadError(message: "\(packageDirectory): \(error.issue.message)")
        }
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

/// 64-bit FNV-1a, for cache keys (not for security).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x100_0000_01b3
        }
    }

    mutating func add(_ n: Int) {
        withUnsafeBytes(of: n.littleEndian) { add(Array($0)) }
    }

    var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

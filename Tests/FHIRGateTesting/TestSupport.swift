import FHIRGate

#if canImport(Glibc)
    import Glibc
#endif

/// Shared helpers for the test targets: where the repo and `../shared` are, and the R4 core model.
public enum TestSupport {
    /// The package root (the folder holding Package.swift).
    public static let repoRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        // .../Tests/FHIRGateTesting/TestSupport.swift -> drop three components.
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The shared test material: `$FHIRGATE_SHARED`, else `../shared` beside the repo; nil when absent.
    public static let sharedDirectory: String? = {
        if let env = getenv("FHIRGATE_SHARED") {
            let path = String(cString: env)
            if FileBytes.exists(path) { return path }
        }
        let sibling = normalize(repoRoot + "/../shared")
        return FileBytes.exists(sibling) ? sibling : nil
    }()

    /// A folder under the shared material, or nil (with the reason printed once) when absent.
    public static func sharedPath(_ relative: String) -> String? {
        guard let shared = sharedDirectory else { return nil }
        let path = shared + "/" + relative
        return FileBytes.exists(path) ? path : nil
    }

    /// The package cache root used by tests: `$FHIRGATE_PACKAGE_CACHE` or `~/.fhir/packages`.
    public static var packageCacheRoot: String {
        if let env = getenv("FHIRGATE_PACKAGE_CACHE") { return String(cString: env) }
        return (getenv("HOME").map { String(cString: $0) } ?? "/root") + "/.fhir/packages"
    }

    public struct MissingCorePackage: Error, CustomStringConvertible {
        public let description: String
    }

    private static let core: Result<ModelInfo, MissingCorePackage> = {
        do {
            return .success(try ModelInfoLoader.loadCore(packageCacheRoot: packageCacheRoot).model)
        } catch {
            return .failure(
                MissingCorePackage(
                    description: "hl7.fhir.r4.core#4.0.1 is not installed under \(packageCacheRoot) "
                        + "(run scripts/setup.sh): \(error)"))
        }
    }()

    /// The R4 core model, loaded once per test process.
    public static func coreModel() throws -> ModelInfo {
        try core.get()
    }

    /// A definition store over the R4 core package, loaded once per test process (empty when the
    /// package is not installed).
    public static let coreStore: DefinitionStore = DefinitionStore.load(
        .init(packages: [.r4Core], packageCache: PackageCache(root: packageCacheRoot)))

    /// Whether the core package is installed (tests that need it are disabled otherwise).
    public static var hasCorePackage: Bool {
        if case .success = core { return true }
        return false
    }

    /// The sorted file names in a folder with the given suffix.
    public static func files(in folder: String, suffix: String) -> [String] {
        ((try? FileBytes.listDirectory(folder)) ?? []).filter { $0.hasSuffix(suffix) }
    }

    /// Creates a fresh temporary directory and returns its path.
    public static func makeTemporaryDirectory(prefix: String = "fhirgate-test") throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        guard let made else { throw MissingCorePackage(description: "cannot create a temporary directory") }
        return made
    }

    /// Removes a directory tree (for cleaning up temporary directories).
    public static func removeTree(_ path: String) {
        guard path.hasPrefix("/tmp/") else { return }
        for name in (try? FileBytes.listDirectory(path)) ?? [] {
            let child = path + "/" + name
            var st = stat()
            if lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                removeTree(child)
            } else {
                unlink(child)
            }
        }
        rmdir(path)
    }

    private static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for part in path.split(separator: "/") {
            if part == ".." {
                if !out.isEmpty { out.removeLast() }
            } else if part != "." {
                out.append(part)
            }
        }
        return "/" + out.joined(separator: "/")
    }
}

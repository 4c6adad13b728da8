import FHIRModel
import Foundation

/// The FHIR package cache shared with the HL7 validator, Firely Terminal and SUSHI:
/// `~/.fhir/packages/<id>#<version>/package/...`.
///
/// The root is, in order: the `root` given to ``init(root:)`` (the CLI's `--package-cache`),
/// the `FHIRGATE_PACKAGE_CACHE` environment variable, then `~/.fhir/packages`.
public struct PackageCache: Sendable, Hashable {
    /// The environment variable that overrides the cache root.
    public static let environmentVariable = "FHIRGATE_PACKAGE_CACHE"

    /// The absolute path of the cache root.
    public let root: String

    public init(root: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let root, !root.isEmpty {
            self.root = FileSystem.absolute(root)
        } else if let env = environment[Self.environmentVariable], !env.isEmpty {
            self.root = FileSystem.absolute(env)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileSystem.homeDirectory()
            self.root = FileSystem.absolute(FileSystem.join(home, ".fhir/packages"))
        }
    }

    /// `<root>/<id>#<version>`: the folder of one installed package.
    public func directory(for reference: PackageReference) -> String {
        FileSystem.join(root, reference.description)
    }

    /// `<root>/<id>#<version>/package`: where the package's files are.
    public func contentDirectory(for reference: PackageReference) -> String {
        FileSystem.join(directory(for: reference), "package")
    }

    /// Whether the package is installed (its `package/package.json` exists).
    public func isInstalled(_ reference: PackageReference) -> Bool {
        FileSystem.isFile(FileSystem.join(contentDirectory(for: reference), "package.json"))
    }

    /// The installed package, with its manifest, or `nil` when it is not installed.
    public func installedPackage(_ reference: PackageReference) throws(PackageError) -> InstalledPackage? {
        guard isInstalled(reference) else { return nil }
        let manifest = try PackageManifest(
            contentsOf: FileSystem.join(contentDirectory(for: reference), "package.json"))
        return InstalledPackage(reference: reference, path: directory(for: reference), manifest: manifest)
    }

    /// Every installed package, sorted by id then version. Folders that are not packages
    /// (temporary folders, `packages.ini`) are skipped; packages whose manifest cannot be read
    /// are returned in `problems`.
    public func installedPackages() -> (packages: [InstalledPackage], problems: [Issue]) {
        var packages: [InstalledPackage] = []
        var problems: [Issue] = []
        for name in FileSystem.list(root) where !name.hasPrefix(".") {
            guard let hash = name.firstIndex(of: "#"),
                let reference = try? PackageReference(
                    id: String(name[..<hash]), version: String(name[name.index(after: hash)...])),
                isInstalled(reference)
            else { continue }
            do {
                if let package = try installedPackage(reference) { packages.append(package) }
            } catch {
                problems.append(error.issue)
            }
        }
        packages.sort { $0.reference < $1.reference }
        return (packages, problems)
    }

    /// The installed versions of a package id, oldest first.
    public func installedVersions(of id: String) -> [String] {
        let prefix = id + "#"
        return FileSystem.list(root).compactMap { name -> String? in
            guard name.hasPrefix(prefix) else { return nil }
            let version = String(name.dropFirst(prefix.count))
            guard let ref = try? PackageReference(id: id, version: version), isInstalled(ref) else { return nil }
            return version
        }.sorted { VersionOrder.compare($0, $1) < 0 }
    }

    /// Resolves a dependency (`"hl7.fhir.r4.core": "4.0.1"` or `"4.0.x"`) to an installed
    /// package: the exact version when installed, else the newest installed version matching
    /// the pattern.
    public func resolve(id: String, versionPattern: String) -> PackageReference? {
        if let exact = try? PackageReference(id: id, version: versionPattern), isInstalled(exact) {
            return exact
        }
        let candidates = installedVersions(of: id).filter { VersionOrder.matches($0, pattern: versionPattern) }
        guard let best = VersionOrder.newest(candidates) else { return nil }
        return try? PackageReference(id: id, version: best)
    }
}

/// A package found in the cache.
public struct InstalledPackage: Sendable, Hashable {
    public let reference: PackageReference
    /// The package folder, `<root>/<id>#<version>`.
    public let path: String
    public let manifest: PackageManifest

    public var id: String { reference.id }
    public var version: String { reference.version }
    /// The folder holding the package files, `<path>/package`.
    public var contentPath: String { FileSystem.join(path, "package") }
}

/// Where a set of definitions came from. The store's `sources` are in precedence order: files
/// given on the command line first, then the project's `Profiles/` folder, then packages (those
/// asked for, then their dependencies).
public struct DefinitionSource: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// An installed package from the package cache.
        case package
        /// The project's own definitions folder (`Profiles/`, a package with a `package.json`).
        case profiles
        /// Files or folders named on the command line.
        case files
    }

    public let kind: Kind
    /// `hl7.fhir.r4.core#4.0.1`, `Profiles`, or the path given.
    public let name: String
    /// The folder (or file) the definitions are read from.
    public let path: String
    /// The package reference, for packages and for a Profiles folder with a valid manifest.
    public let reference: PackageReference?
    public let manifest: PackageManifest?
    /// Whether the entries came from the package's `.index.json` (no file was parsed).
    public let usedIndexFile: Bool

    public init(
        kind: Kind, name: String, path: String, reference: PackageReference? = nil,
        manifest: PackageManifest? = nil, usedIndexFile: Bool = false
    ) {
        self.kind = kind
        self.name = name
        self.path = path
        self.reference = reference
        self.manifest = manifest
        self.usedIndexFile = usedIndexFile
    }
}

/// One canonical resource known to the store, described without loading it.
public struct DefinitionEntry: Sendable, Hashable {
    public let resourceType: String
    public let id: String?
    /// The canonical URL (`http://hl7.org/fhir/StructureDefinition/Patient`).
    public let url: String
    /// The business version (`4.0.1`), if the resource has one.
    public let version: String?
    /// `StructureDefinition.kind` (`resource`, `complex-type`, ...) when known from the index.
    public let kind: String?
    /// `StructureDefinition.type` (or `SearchParameter.type`) when known from the index.
    public let type: String?
    /// The absolute path of the file holding the resource.
    public let file: String
    /// When the file is a Bundle: the index of the `entry` holding this resource.
    public let bundleEntry: Int?
    /// The index of the entry's source in ``DefinitionStore/sources``.
    public let source: Int

    public init(
        resourceType: String, id: String?, url: String, version: String?, kind: String? = nil, type: String? = nil,
        file: String, bundleEntry: Int? = nil, source: Int
    ) {
        self.resourceType = resourceType
        self.id = id
        self.url = url
        self.version = version
        self.kind = kind
        self.type = type
        self.file = file
        self.bundleEntry = bundleEntry
        self.source = source
    }

    /// `url|version`, or just the URL when there is no version.
    public var canonical: String {
        guard let version else { return url }
        return url + "|" + version
    }
}

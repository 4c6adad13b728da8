import FHIRJSON
import FHIRModel

/// The fields of a package's `package.json` that the cache and the store use.
public struct PackageManifest: Sendable, Hashable {
    public struct Dependency: Sendable, Hashable {
        public let id: String
        /// The version or version pattern as written (`4.0.1`, `4.0.x`, `current`).
        public let version: String

        public init(id: String, version: String) {
            self.id = id
            self.version = version
        }
    }

    public var name: String
    public var version: String
    /// `fhirVersions` (or the older `fhir-version-list`).
    public var fhirVersions: [String]
    /// Dependencies in manifest order.
    public var dependencies: [Dependency]
    public var canonical: String?
    /// `type` (`fhir.core`, `IG`, `Conformance`, ...).
    public var type: String?
    public var title: String?

    public init(
        name: String, version: String, fhirVersions: [String] = [], dependencies: [Dependency] = [],
        canonical: String? = nil, type: String? = nil, title: String? = nil
    ) {
        self.name = name
        self.version = version
        self.fhirVersions = fhirVersions
        self.dependencies = dependencies
        self.canonical = canonical
        self.type = type
        self.title = title
    }

    /// Reads the manifest from parsed `package.json` content.
    public init(json: JSONValue, file: String? = nil) throws(PackageError) {
        guard case .object(let object) = json else {
            throw PackageError.invalid("package.json is not a JSON object", file: file)
        }
        guard let name = object["name"]?.stringValue, !name.isEmpty else {
            throw PackageError.invalid("package.json has no 'name'", file: file)
        }
        guard let version = object["version"]?.stringValue, !version.isEmpty else {
            throw PackageError.invalid("package.json has no 'version'", file: file)
        }
        self.name = name
        self.version = version
        let versions = object["fhirVersions"]?.arrayValue ?? object["fhir-version-list"]?.arrayValue ?? []
        self.fhirVersions = versions.compactMap(\.stringValue)
        var dependencies: [Dependency] = []
        if let deps = object["dependencies"]?.objectValue {
            for (key, value) in deps.pairs {
                guard let v = value.stringValue else {
                    throw PackageError.invalid(
                        "package.json dependency '\(displayName(key))' has no version text", file: file)
                }
                dependencies.append(Dependency(id: key, version: v))
            }
        }
        self.dependencies = dependencies
        self.canonical = object["canonical"]?.stringValue
        self.type = object["type"]?.stringValue
        self.title = object["title"]?.stringValue
    }

    /// Reads and parses a `package.json` file.
    public init(contentsOf path: String) throws(PackageError) {
        let json: JSONValue
        do {
            let bytes = try FileSystem.readFile(path, maxBytes: 16 << 20)
            json = try JSONValue.parse(bytes)
        } catch {
            throw PackageError.invalid("package.json cannot be read: \(error.issue.message)", file: path)
        }
        try self.init(json: json, file: path)
    }
}

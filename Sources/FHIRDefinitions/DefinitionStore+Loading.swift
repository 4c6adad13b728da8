import FHIRJSON
import FHIRModel

extension PackageReference {
    /// `hl7.fhir.r4.core#4.0.1`, the FHIR R4 core package.
    public static let r4Core = PackageReference(unchecked: "hl7.fhir.r4.core", "4.0.1")

    /// For constants known to be valid.
    init(unchecked id: String, _ version: String) {
        self.id = id
        self.version = version
    }
}

extension DefinitionStore {
    /// What to load into a store.
    public struct Options: Sendable {
        /// Packages to load from the cache (their dependencies follow when `includeDependencies`).
        public var packages: [PackageReference]
        public var packageCache: PackageCache
        /// The project's definitions folder (`Profiles/`): a `package.json` plus resource files in
        /// JSON or XML. Skipped when it does not exist.
        public var profilesDirectory: String?
        /// Extra definition files or folders (command line).
        public var extraPaths: [String]
        /// Load the dependencies named in each package's `package.json` (and in `Profiles/package.json`).
        public var includeDependencies: Bool
        /// How XML definition files are read; see ``DefinitionXML``.
        public var xml: XMLDefinitions

        public init(
            packages: [PackageReference] = [.r4Core], packageCache: PackageCache = PackageCache(),
            profilesDirectory: String? = nil, extraPaths: [String] = [], includeDependencies: Bool = true,
            xml: XMLDefinitions = .coreModel
        ) {
            self.packages = packages
            self.packageCache = packageCache
            self.profilesDirectory = profilesDirectory
            self.extraPaths = extraPaths
            self.includeDependencies = includeDependencies
            self.xml = xml
        }

        var xmlConverter: DefinitionXMLConverter? {
            switch xml {
            case .coreModel: DefinitionXML.coreConverter(packageCache: packageCache)
            case .converter(let converter): converter
            case .skip: nil
            }
        }
    }

    /// How XML definition files are read.
    public enum XMLDefinitions: Sendable {
        /// With the FHIR R4 core model from the package cache, loaded when the first XML file is met.
        case coreModel
        /// With this converter.
        case converter(DefinitionXMLConverter)
        /// Not at all: XML files are reported as issues and skipped.
        case skip
    }

    /// Builds a store. It does not throw: missing packages, unreadable files and missing
    /// dependencies are reported in ``issues`` (errors for what was asked for explicitly,
    /// warnings for dependencies), and everything else is still loaded.
    public static func load(_ options: Options) -> DefinitionStore {
        let xmlConverter = options.xmlConverter
        var builder = Builder(xmlConverter: xmlConverter)

        for path in options.extraPaths {
            let absolute = FileSystem.absolute(path)
            let source = DefinitionSource(kind: .files, name: path, path: absolute)
            switch FileSystem.kind(at: absolute) {
            case .directory:
                builder.add(
                    source,
                    DefinitionIndexer.indexFolder(absolute, source: builder.nextSource, xmlConverter: xmlConverter))
            case .file:
                builder.add(
                    source,
                    DefinitionIndexer.indexFile(absolute, source: builder.nextSource, xmlConverter: xmlConverter))
            case .missing, .other:
                builder.issues.append(Issue(.error, .ioRead, "definition file or folder not found", file: absolute))
            }
        }

        // Packages to visit: (reference or id + version pattern, who asked, explicit?).
        var queue: [(id: String, version: String, requiredBy: String?)] = options.packages.map {
            ($0.id, $0.version, nil)
        }
        var visited: Set<String> = []

        if let profiles = options.profilesDirectory.map(FileSystem.absolute), FileSystem.isDirectory(profiles) {
            let manifestPath = FileSystem.join(profiles, "package.json")
            var manifest: PackageManifest?
            var reference: PackageReference?
            if FileSystem.isFile(manifestPath) {
                do {
                    let m = try PackageManifest(contentsOf: manifestPath)
                    manifest = m
                    reference = try? PackageReference(id: m.name, version: m.version)
                    // The project's own package is read from the folder, never from the cache.
                    if let reference { visited.insert(reference.description) }
                    if options.includeDependencies {
                        queue += m.dependencies.map { ($0.id, $0.version, reference?.description ?? "Profiles") }
                    }
                } catch {
                    builder.issues.append(Issue(.error, error.code, error.message, file: manifestPath))
                }
            } else {
                builder.issues.append(
                    Issue(
                        .information, .packageNotFound,
                        "no package.json in the profiles folder; no dependencies are loaded from it", file: profiles))
            }
            let source = DefinitionSource(
                kind: .profiles, name: reference?.description ?? "Profiles", path: profiles, reference: reference,
                manifest: manifest)
            builder.add(
                source, DefinitionIndexer.indexFolder(profiles, source: builder.nextSource, xmlConverter: xmlConverter))
        }

        var head = 0
        while head < queue.count {
            let (id, version, requiredBy) = queue[head]
            head += 1
            let reference: PackageReference?
            if requiredBy == nil {
                reference = (try? PackageReference(id: id, version: version)).flatMap {
                    options.packageCache.isInstalled($0) ? $0 : nil
                }
            } else {
                reference = options.packageCache.resolve(id: id, versionPattern: version)
            }
            guard let reference else {
                if let requiredBy {
                    builder.issues.append(
                        Issue(
                            .warning, .packageNotFound,
                            "package \(displayName(id))#\(displayName(version)), a dependency of \(requiredBy), is not installed in the package cache; its definitions are missing",
                            file: options.packageCache.root))
                } else {
                    builder.issues.append(
                        Issue(
                            .error, .packageNotFound,
                            "package \(displayName(id))#\(displayName(version)) is not installed in the package cache; install it with 'fhirgate packages install \(displayName(id))#\(displayName(version)) --from FILE.tgz'",
                            file: options.packageCache.root))
                }
                continue
            }
            guard visited.insert(reference.description).inserted else { continue }
            let manifest: PackageManifest
            do {
                guard let installed = try options.packageCache.installedPackage(reference) else { continue }
                manifest = installed.manifest
            } catch {
                builder.issues.append(error.issue)
                continue
            }
            let content = options.packageCache.contentDirectory(for: reference)
            let result = DefinitionIndexer.indexPackage(contentDirectory: content, source: builder.nextSource)
            builder.add(
                DefinitionSource(
                    kind: .package, name: reference.description, path: content, reference: reference,
                    manifest: manifest,
                    usedIndexFile: result.usedIndexFile), result)
            if options.includeDependencies {
                queue += manifest.dependencies.map { ($0.id, $0.version, reference.description) }
            }
        }
        return builder.build()
    }

    /// Collects sources and their entries.
    private struct Builder {
        let xmlConverter: DefinitionXMLConverter?
        var sources: [DefinitionSource] = []
        var entries: [DefinitionEntry] = []
        var preloaded: [Int: JSONValue] = [:]
        var issues: [Issue] = []

        init(xmlConverter: DefinitionXMLConverter?) {
            self.xmlConverter = xmlConverter
        }

        var nextSource: Int { sources.count }

        mutating func add(_ source: DefinitionSource, _ result: DefinitionIndexer.Result) {
            sources.append(source)
            issues += result.issues
            let offset = entries.count
            entries += result.entries
            for (k, json) in result.preloaded { preloaded[offset + k] = json }
        }

        func build() -> DefinitionStore {
            DefinitionStore(
                sources: sources, entries: entries, preloaded: preloaded, issues: issues, xmlConverter: xmlConverter)
        }
    }
}

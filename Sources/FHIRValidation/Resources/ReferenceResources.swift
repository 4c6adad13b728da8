import FHIRJSON
import FHIRModel
import FHIRXML

/// How far references that leave the input (not contained, not an entry of the enclosing
/// Bundle or Parameters) are checked.
public enum ReferenceCheckLevel: String, Sendable, CaseIterable {
    /// Their form and the type they name only (the default).
    case syntax
    /// They must resolve, in the input or among the ``ReferenceResources``, to a resource of an
    /// allowed type.
    case exists
    /// As `exists`, and the resource they resolve to must conform to one of the element's target
    /// profiles (its type's base definition when there are none).
    case valid
}

/// Resources that references outside the input resolve to: the other resources of a folder, a
/// package of instances, a test set. Read once, shared by every validation (thread-safe, immutable).
///
/// A resource is found by `Type/id` (relative references, and absolute URLs whose last segments
/// are `Type/id`), by the `fullUrl` of the Bundle entry holding it, and by its canonical `url`
/// (`url|version` too). Resources of files come before Bundle entries of the same type and id.
public final class ReferenceResources: Sendable {
    /// One resource of the set and where it came from.
    public struct Entry: Sendable {
        public var resource: ElementNode
        /// The file (and NDJSON line) it was read from, `<memory>` for resources given directly.
        public var source: String
        /// Whether it is an entry of a Bundle rather than a document of its own.
        public var inBundle: Bool
    }

    /// What a lookup found.
    public enum Resolution: Sendable {
        case found(Entry)
        /// Several different resources match; the first is used.
        case ambiguous([Entry])
        case notFound
    }

    public let entries: [Entry]
    /// Files that could not be read, or resources that could not be indexed (warnings).
    public let issues: [Issue]
    private let byTypeID: [String: [Int]]
    private let byURL: [String: [Int]]

    /// Documents larger than this are skipped.
    public static let maxDocumentBytes = 256 << 20
    /// At most this many resources are indexed.
    public static let maxResources = 2_000_000

    /// Reads every JSON, XML and NDJSON file of `paths` (files or folders, searched recursively
    /// as for validation input). Files that cannot be read or parsed are listed in ``issues``.
    public convenience init(paths: [String], model: ModelInfo) {
        var resources: [(ElementNode, String)] = []
        var issues: [Issue] = []
        let json = FHIRJSONReader(model: model)
        let xml = FHIRXMLReader(model: model)
        func skipped(_ path: String, _ why: String) {
            issues.append(
                Issue(.warning, .referenceResourcesUnreadable, "reference resource file skipped: \(why)", file: path))
        }
        for source in ValidationSource.expand(paths) {
            guard resources.count < Self.maxResources else { break }
            switch source {
            case .standardInput:
                continue
            case .ndjson(let path):
                do {
                    for record in try NDJSONReader(model: model).records(path: path) {
                        guard resources.count < Self.maxResources else { break }
                        if case .success(let parsed) = record.result {
                            resources.append((parsed.root, path + ":\(record.line)"))
                        } else {
                            skipped(path, "line \(record.line) is not a FHIR resource")
                        }
                    }
                } catch {
                    skipped(path, "it cannot be opened")
                }
            case .document(let path):
                guard let bytes = try? FileBytes.read(path, maxBytes: Self.maxDocumentBytes) else {
                    skipped(path, "it cannot be read or is too large")
                    continue
                }
                do throws(FHIRFormatError) {
                    switch DocumentKind.detect(bytes) {
                    case .json: resources.append((try json.read(bytes).root, path))
                    case .xml: resources.append((try xml.read(bytes).root, path))
                    case .ndjson:
                        skipped(path, "NDJSON content in a file not named .ndjson")
                    case .empty, .unknown:
                        skipped(path, "it is neither FHIR JSON nor FHIR XML")
                    }
                } catch {
                    skipped(path, "it is not a readable FHIR resource")
                }
            }
        }
        self.init(resources: resources, issues: issues)
    }

    /// Indexes resources given directly (`source` names where each came from).
    public convenience init(resources: [ElementNode], source: String = "<memory>") {
        self.init(resources: resources.map { ($0, source) }, issues: [])
    }

    private init(resources: [(ElementNode, String)], issues: [Issue]) {
        var entries: [Entry] = []
        var byTypeID: [String: [Int]] = [:]
        var byURL: [String: [Int]] = [:]
        func add(_ resource: ElementNode, _ source: String, inBundle: Bool, fullUrl: String?) {
            guard resource.isResource, let type = resource.typeName, entries.count < Self.maxResources else { return }
            let index = entries.count
            entries.append(Entry(resource: resource, source: source, inBundle: inBundle))
            if let id = resource.childValue("id"), !id.isEmpty { byTypeID[type + "/" + id, default: []].append(index) }
            if let fullUrl, !fullUrl.isEmpty { byURL[fullUrl, default: []].append(index) }
            if let url = resource.childValue("url"), ReferenceSyntax.isAbsolute(url) {
                byURL[url, default: []].append(index)
                if let version = resource.childValue("version") {
                    byURL[url + "|" + version, default: []].append(index)
                }
            }
        }
        // Documents first, so that a lookup prefers them to Bundle entries with the same keys.
        for (resource, source) in resources {
            add(resource, source, inBundle: false, fullUrl: nil)
        }
        for (resource, source) in resources where resource.typeName == "Bundle" {
            for entry in resource.children where entry.name == "entry" {
                guard let inner = entry.children.first(where: { $0.name == "resource" && $0.isResource }) else {
                    continue
                }
                add(inner, source, inBundle: true, fullUrl: entry.childValue("fullUrl"))
            }
        }
        self.entries = entries
        self.issues = issues
        self.byTypeID = byTypeID
        self.byURL = byURL
    }

    /// The resources with this type and id (documents first).
    public func resources(type: String, id: String) -> [Entry] {
        (byTypeID[type + "/" + id] ?? []).map { entries[$0] }
    }

    /// The resource a reference names: `Type/id` (the version of `/_history/vid` is not
    /// checked), an absolute URL or `urn:` matching a Bundle entry's `fullUrl` or a canonical
    /// `url`, else an absolute URL whose last segments are `Type/id` of a known resource type.
    /// `#id`, conditional and malformed references are not looked up.
    public func resolve(_ reference: String, isResourceType: (String) -> Bool) -> Resolution {
        resolve(ReferenceSyntax(reference), isResourceType: isResourceType)
    }

    func resolve(_ syntax: ReferenceSyntax, isResourceType: (String) -> Bool) -> Resolution {
        switch syntax.kind {
        case .local, .conditional, .malformedRelative:
            return .notFound
        case .relative:
            guard let type = syntax.type, let id = syntax.id else { return .notFound }
            return Self.resolution(byTypeID[type + "/" + id], entries)
        case .urn, .absolute:
            if let hits = byURL[syntax.versionless], !hits.isEmpty { return Self.resolution(hits, entries) }
            guard syntax.kind == .absolute, let type = syntax.type, let id = syntax.id, isResourceType(type) else {
                return .notFound
            }
            return Self.resolution(byTypeID[type + "/" + id], entries)
        }
    }

    /// One document matching, or one Bundle entry when no document does, is a match; several are
    /// ambiguous (documents are listed first, and the first is the one used).
    private static func resolution(_ hits: [Int]?, _ entries: [Entry]) -> Resolution {
        guard let hits, let first = hits.first else { return .notFound }
        let documents = hits.filter { !entries[$0].inBundle }
        if documents.count == 1 || (documents.isEmpty && hits.count == 1) { return .found(entries[first]) }
        return .ambiguous((documents.isEmpty ? hits : documents).map { entries[$0] })
    }
}

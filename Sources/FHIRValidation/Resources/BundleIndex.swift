import FHIRModel

/// The entries of one Bundle, indexed once (in time linear in the Bundle's size) so that every
/// reference inside it resolves with a hash lookup, following the Bundle reference rules of
/// FHIR R4 (bundle.html#references):
///
/// - an absolute reference (`http://...`, `urn:uuid:...`) matches the entry with that `fullUrl`
///   (a `/_history/vid` suffix selects the entry with that `meta.versionId`);
/// - a relative `Type/id` is made absolute against the `fullUrl` of the entry holding the
///   reference: a RESTful `fullUrl` (`http://server/base/Type/id`) gives
///   `http://server/base/` + `Type/id`; a `urn:uuid:` or `urn:oid:` `fullUrl` gives
///   `urn:uuid:` + `id` (as the reference validator does, the type is then checked against the
///   entry found);
/// - in transactions and batches, where entries may lack a `fullUrl`, a relative reference from
///   such an entry matches the one entry whose resource has that type and id.
struct BundleIndex: Sendable {
    struct Entry: Sendable {
        var fullUrl: String?
        /// The entry's resource node (shared storage with the Bundle tree, not a deep copy).
        var resource: ElementNode?
        var resourceType: String?
        var id: String?
        var versionId: String?
        var position: SourcePosition
    }

    enum Resolution: Sendable, Equatable {
        /// The index of the one entry the reference resolves to.
        case found(Int)
        /// Several entries carry the target `fullUrl` (without a version to choose between them).
        case ambiguous([Int])
        /// The reference is one the Bundle rules apply to, but no entry matches.
        case notFound
        /// Not a reference the Bundle resolves (`#id`, a conditional or malformed reference).
        case notApplicable
    }

    /// `Bundle.type` (`document`, `transaction`, ...).
    let bundleType: String?
    let entries: [Entry]
    private let byFullUrl: [String: [Int]]
    private let byTypeID: [String: [Int]]

    /// The type model, to recognise resource type names in URLs (see ``isResourceType(_:)``).
    let model: ModelInfo?

    /// Indexes `bundle`'s entries. Pass the model so that RESTful URLs are recognised by the
    /// resource types it knows; without it, any capitalised name counts as a resource type.
    init(bundle: ElementNode, model: ModelInfo? = nil) {
        self.model = model
        bundleType = bundle.childValue("type")
        var entries: [Entry] = []
        var byFullUrl: [String: [Int]] = [:]
        var byTypeID: [String: [Int]] = [:]
        for node in bundle.children where node.name == "entry" {
            let resource = node.children.first { $0.name == "resource" && $0.isResource }
            let fullUrl = node.childValue("fullUrl").flatMap { $0.isEmpty ? nil : $0 }
            let entry = Entry(
                fullUrl: fullUrl, resource: resource, resourceType: resource?.typeName,
                id: resource?.childValue("id"),
                versionId: resource?.child(named: "meta")?.childValue("versionId"), position: node.position)
            let index = entries.count
            entries.append(entry)
            if let fullUrl { byFullUrl[fullUrl, default: []].append(index) }
            if let type = entry.resourceType, let id = entry.id { byTypeID[type + "/" + id, default: []].append(index) }
        }
        self.entries = entries
        self.byFullUrl = byFullUrl
        self.byTypeID = byTypeID
    }

    /// Whether entries may omit `fullUrl` (transactions, batches and their responses).
    var fullUrlOptional: Bool {
        switch bundleType {
        case "transaction", "transaction-response", "batch", "batch-response": true
        default: false
        }
    }

    /// The resource a reference made from the entry with `fromFullUrl` resolves to, or nil.
    func resolve(_ reference: String, fromFullUrl: String?) -> ElementNode? {
        switch resolution(of: reference, fromFullUrl: fromFullUrl) {
        case .found(let i): entries[i].resource
        case .ambiguous(let list): list.first.flatMap { entries[$0].resource }
        case .notFound, .notApplicable: nil
        }
    }

    /// How a reference made from the entry with `fromFullUrl` resolves.
    func resolution(of reference: String, fromFullUrl: String?) -> Resolution {
        resolution(of: ReferenceSyntax(reference), fromFullUrl: fromFullUrl)
    }

    func resolution(of syntax: ReferenceSyntax, fromFullUrl: String?) -> Resolution {
        switch syntax.kind {
        case .local, .conditional, .malformedRelative:
            return .notApplicable
        case .urn, .absolute:
            return lookup(syntax.versionless, version: syntax.version)
        case .relative:
            guard let type = syntax.type, let id = syntax.id else { return .notApplicable }
            guard let target = Self.absoluteTarget(type: type, id: id, fromFullUrl: fromFullUrl) else {
                if fromFullUrl == nil && fullUrlOptional {
                    let matches = entryIndices(type: type, id: id)
                    return matches.count == 1 ? .found(matches[0]) : matches.isEmpty ? .notFound : .ambiguous(matches)
                }
                return .notFound
            }
            return lookup(target, version: syntax.version)
        }
    }

    /// The entries whose resource has this type and id (whatever their `fullUrl`).
    func entryIndices(type: String, id: String) -> [Int] {
        byTypeID[type + "/" + id] ?? []
    }

    /// The entries with exactly this `fullUrl`.
    func entryIndices(fullUrl: String) -> [Int] {
        byFullUrl[fullUrl] ?? []
    }

    /// Whether `name` is a resource type: by the model when there is one, else by its form
    /// (an ASCII capital followed by ASCII letters).
    func isResourceType(_ name: String) -> Bool {
        if let model { return model.isResourceType(name) }
        guard let first = name.utf8.first, first >= 0x41 && first <= 0x5A else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// The type and id of a RESTful URL (`http(s)://.../Type/id`, optionally `/_history/vid`).
    func restfulTypeAndID(_ url: String) -> (type: String, id: String)? {
        ReferenceSyntax.restfulTypeAndID(url, isResourceType: isResourceType)
    }

    /// The full URL a relative `Type/id` stands for in an entry with `fromFullUrl`: the server
    /// base of a URL `fullUrl` plus `Type/id`, or the `urn:uuid:`/`urn:oid:` prefix plus `id`.
    static func absoluteTarget(type: String, id: String, fromFullUrl: String?) -> String? {
        guard let fullUrl = fromFullUrl, !fullUrl.isEmpty else { return nil }
        if ReferenceSyntax.hasPrefixIgnoringCase(fullUrl, "urn:") {
            guard let colon = fullUrl.lastIndex(of: ":") else { return nil }
            return String(fullUrl[...colon]) + id
        }
        let versionless = ReferenceSyntax(fullUrl).versionless
        // The text up to the slash before the last two segments (`http://x/fhir/` of
        // `http://x/fhir/Patient/1`), found by byte when the text is ASCII.
        let prefix: Substring
        if versionless.utf8.allSatisfy({ $0 < 0x80 }) {
            let utf8 = versionless.utf8
            var slashes = 0
            var cut = utf8.startIndex
            var i = utf8.endIndex
            while i > utf8.startIndex {
                i = utf8.index(before: i)
                if utf8[i] == UInt8(ascii: "/") {
                    slashes += 1
                    if slashes == 2 {
                        cut = utf8.index(after: i)
                        break
                    }
                }
            }
            prefix = versionless[..<cut]
        } else {
            let segments = versionless.split(separator: "/", omittingEmptySubsequences: false)
            let base = segments.dropLast(2)
            prefix = base.isEmpty ? "" : Substring(base.joined(separator: "/") + "/")
        }
        return String(prefix) + type + "/" + id
    }

    private func lookup(_ fullUrl: String, version: String?) -> Resolution {
        guard let matches = byFullUrl[fullUrl], !matches.isEmpty else { return .notFound }
        var candidates = matches
        if let version {
            // A version-specific reference: entries of another version do not match; entries
            // without a versionId are taken as the one the fullUrl names.
            candidates = matches.filter { entries[$0].versionId == version }
            if candidates.isEmpty { candidates = matches.filter { entries[$0].versionId == nil } }
        }
        switch candidates.count {
        case 0: return .notFound
        case 1: return .found(candidates[0])
        default: return .ambiguous(candidates)
        }
    }
}

import FHIRJSON
import FHIRModel
import Foundation

/// Canonical resources (StructureDefinition, ValueSet, CodeSystem, SearchParameter, and any
/// other resource with a `url`) from installed packages, the project's `Profiles/` folder and
/// extra files, indexed by canonical URL and by `url|version`.
///
/// Building the store only reads package indexes (`.index.json`), so no package file is parsed
/// at start-up; each resource is parsed on first request and cached. All methods are safe to
/// call from any thread. When several versions of a URL are known, lookups without a version
/// return the newest (see ``VersionOrder``); among equal versions the source listed first in
/// ``sources`` wins.
public final class DefinitionStore: Sendable {
    /// The sources, in precedence order.
    public let sources: [DefinitionSource]
    /// Every indexed resource, all versions.
    public let entries: [DefinitionEntry]
    private let loadIssues: [Issue]
    /// URL -> entry indexes, preferred first.
    private let byURL: [String: [Int]]
    /// `url|version` -> preferred entry index.
    private let byCanonical: [String: Int]
    private let xmlConverter: DefinitionXMLConverter?
    private let state: Locked<State>

    private struct State {
        var resources: [Int: JSONValue] = [:]
        var failed: Set<Int> = []
        var issues: [Issue] = []
        /// SearchParameter base resource type -> entry indexes (built on first use).
        var searchIndex: [String: [Int]]?
    }

    /// The base URL of the core StructureDefinitions, used when a type name is given instead of a URL.
    public static let coreStructureDefinitionBase = "http://hl7.org/fhir/StructureDefinition/"

    init(
        sources: [DefinitionSource], entries: [DefinitionEntry], preloaded: [Int: JSONValue], issues: [Issue],
        xmlConverter: DefinitionXMLConverter?
    ) {
        self.sources = sources
        self.entries = entries
        self.loadIssues = issues
        self.xmlConverter = xmlConverter
        var byURL: [String: [Int]] = [:]
        byURL.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() { byURL[e.url, default: []].append(i) }
        for (url, list) in byURL where list.count > 1 {
            byURL[url] = list.sorted { a, b in Self.isPreferred(entries[a], index: a, over: entries[b], index: b) }
        }
        var byCanonical: [String: Int] = [:]
        byCanonical.reserveCapacity(entries.count)
        for list in byURL.values {
            for i in list {
                guard entries[i].version != nil else { continue }
                let key = entries[i].canonical
                if byCanonical[key] == nil { byCanonical[key] = i }
            }
        }
        self.byURL = byURL
        self.byCanonical = byCanonical
        self.state = Locked(State(resources: preloaded))
    }

    /// Newest version first; unversioned last; then by source precedence and file order.
    private static func isPreferred(_ a: DefinitionEntry, index ia: Int, over b: DefinitionEntry, index ib: Int) -> Bool
    {
        switch (a.version, b.version) {
        case (let va?, let vb?):
            let order = VersionOrder.compare(va, vb)
            if order != 0 { return order > 0 }
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): break
        }
        if a.source != b.source { return a.source < b.source }
        return ia < ib
    }

    /// Problems met while building the store and while loading resources since: missing
    /// packages and dependencies, unreadable files.
    public var issues: [Issue] {
        loadIssues + state.withLock { $0.issues }
    }

    // MARK: Entries

    /// The entry for a canonical URL: the given version (exact, or a pattern such as `4.0.x`),
    /// else the newest. `url` may carry the version itself (`url|version`).
    public func entry(url: String, version: String? = nil, resourceType: String? = nil) -> DefinitionEntry? {
        entryIndex(url: url, version: version, resourceType: resourceType).map { entries[$0] }
    }

    /// Every entry with this URL, preferred first.
    public func entries(url: String) -> [DefinitionEntry] {
        (byURL[url] ?? []).map { entries[$0] }
    }

    /// Every entry of a resource type, all versions, in source order.
    public func allEntries(ofType resourceType: String) -> [DefinitionEntry] {
        entries.filter { $0.resourceType == resourceType }
    }

    /// The URLs known for a resource type (each once), sorted.
    public func urls(ofType resourceType: String) -> [String] {
        Array(Set(entries.lazy.filter { $0.resourceType == resourceType }.map(\.url))).sorted()
    }

    private func entryIndex(url: String, version: String?, resourceType: String?) -> Int? {
        var url = url
        var version = version
        if version == nil, let bar = url.lastIndex(of: "|") {
            version = String(url[url.index(after: bar)...])
            url = String(url[..<bar])
        }
        if let version, !version.isEmpty {
            if let i = byCanonical[url + "|" + version], resourceType.map({ entries[i].resourceType == $0 }) ?? true {
                return i
            }
            return byURL[url]?.first { i in
                guard let v = entries[i].version, VersionOrder.matches(v, pattern: version) else { return false }
                return resourceType.map { entries[i].resourceType == $0 } ?? true
            }
        }
        return byURL[url]?.first { i in resourceType.map { entries[i].resourceType == $0 } ?? true }
    }

    // MARK: Resources

    /// The raw definition with this canonical URL (and version), loaded on first request.
    public func resource(url: String, version: String? = nil) -> JSONValue? {
        entryIndex(url: url, version: version, resourceType: nil).flatMap(load(index:))
    }

    /// A StructureDefinition by URL, or by core type name (`Patient`).
    public func structureDefinition(url: String, version: String? = nil) -> JSONValue? {
        // A bare type name (`Patient`) means the core definition; URLs and URNs (`urn:oid:...`)
        // are taken as they are.
        let full = url.utf8.contains(0x2F) || url.utf8.contains(0x3A) ? url : Self.coreStructureDefinitionBase + url
        return entryIndex(url: full, version: version, resourceType: "StructureDefinition").flatMap(load(index:))
    }

    public func valueSet(url: String, version: String? = nil) -> JSONValue? {
        entryIndex(url: url, version: version, resourceType: "ValueSet").flatMap(load(index:))
    }

    public func codeSystem(url: String, version: String? = nil) -> JSONValue? {
        entryIndex(url: url, version: version, resourceType: "CodeSystem").flatMap(load(index:))
    }

    /// Loads the resource an entry describes (cached).
    public func load(_ entry: DefinitionEntry) -> JSONValue? {
        guard let i = entryIndex(url: entry.url, version: entry.version, resourceType: entry.resourceType) else {
            return nil
        }
        if entries[i] == entry { return load(index: i) }
        guard let j = entries.firstIndex(of: entry) else { return nil }
        return load(index: j)
    }

    /// The newest version of every resource of a type, loaded (in parallel) and returned in URL order.
    public func resources(ofType resourceType: String) -> [JSONValue] {
        let indexes = urls(ofType: resourceType).compactMap {
            entryIndex(url: $0, version: nil, resourceType: resourceType)
        }
        preload(indexes)
        return indexes.compactMap(load(index:))
    }

    /// The SearchParameters whose `base` includes `resourceType` (newest version of each URL).
    /// With `includingInherited`, also those of its base types (`DomainResource`, `Resource`),
    /// found by following `baseDefinition` in the store's StructureDefinitions.
    public func searchParameters(for resourceType: String, includingInherited: Bool = false) -> [JSONValue] {
        let index = searchIndex()
        var types = [resourceType]
        if includingInherited {
            var current = structureDefinition(url: resourceType)
            while let base = current?["baseDefinition"]?.stringValue, types.count < 16,
                let sd = structureDefinition(url: base), let name = sd["type"]?.stringValue, !types.contains(name)
            {
                types.append(name)
                current = sd
            }
        }
        var seen: Set<String> = []
        var out: [JSONValue] = []
        for type in types {
            for i in index[type] ?? [] where seen.insert(entries[i].url).inserted {
                if let json = load(index: i) { out.append(json) }
            }
        }
        return out
    }

    private func searchIndex() -> [String: [Int]] {
        if let index = state.withLock({ $0.searchIndex }) { return index }
        let preferred = urls(ofType: "SearchParameter").compactMap {
            entryIndex(url: $0, version: nil, resourceType: "SearchParameter")
        }
        preload(preferred)
        var index: [String: [Int]] = [:]
        for i in preferred {
            guard let bases = load(index: i)?["base"]?.arrayValue else { continue }
            for base in bases.compactMap(\.stringValue) { index[base, default: []].append(i) }
        }
        state.withLock { $0.searchIndex = index }
        return index
    }

    // MARK: Loading

    private func load(index i: Int) -> JSONValue? {
        let cached: JSONValue?? = state.withLock { s in
            if let json = s.resources[i] { return .some(json) }
            if s.failed.contains(i) { return .some(nil) }
            return nil
        }
        if let cached { return cached }
        // Parse outside the lock; if two threads race, both results are equal and one is kept.
        let entry = entries[i]
        do {
            let json = try DefinitionIndexer.load(entry, xmlConverter: xmlConverter)
            return state.withLock { s in
                if let existing = s.resources[i] { return existing }
                s.resources[i] = json
                return json
            }
        } catch {
            state.withLock { s in
                guard s.failed.insert(i).inserted else { return }
                s.issues.append(
                    Issue(
                        .error, .definitionInvalid,
                        "cannot load \(entry.resourceType) \(entry.canonical): \(error.issue.message)",
                        position: error.issue.position, file: entry.file))
            }
            return nil
        }
    }

    /// Loads many entries in parallel (used before returning large result sets).
    private func preload(_ indexes: [Int]) {
        let missing = state.withLock { s in indexes.filter { s.resources[$0] == nil && !s.failed.contains($0) } }
        guard missing.count > 8 else { return }
        DispatchQueue.concurrentPerform(iterations: missing.count) { k in _ = load(index: missing[k]) }
    }
}

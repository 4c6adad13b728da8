import FHIRDefinitions
import FHIRJSON
import FHIRModel
import Foundation

/// StructureDefinitions by canonical URL, with snapshots (generated from the differential when a
/// definition comes without one) and walking indices. Resolved profiles are cached; the catalog is
/// safe to share between threads.
public final class ProfileCatalog: Sendable {
    public let store: DefinitionStore
    public let model: ModelInfo
    private let cache = Locked<[String: ResolvedProfile?]>([:])
    /// ``base(type:)`` answers by type name (asked for nearly every element walked: no URL to
    /// build and hash each time). Only found definitions are kept; `register` clears it.
    private let bases = Locked<[String: ResolvedProfile]>([:])
    /// Resolution (snapshot generation asks for base profiles, so it recurses) runs under one
    /// recursive lock: one thread resolves at a time, and `resolving` holds the URLs that thread
    /// is in the middle of (a differential whose base leads back to itself).
    private let resolution = NSRecursiveLock()
    private nonisolated(unsafe) var resolving: Set<String> = []

    /// Prepares each resolved profile's invariants up front (the validator's catalog).
    let invariants: InvariantCache?

    public convenience init(store: DefinitionStore, model: ModelInfo) {
        self.init(store: store, model: model, invariants: nil)
    }

    init(store: DefinitionStore, model: ModelInfo, invariants: InvariantCache?) {
        self.store = store
        self.model = model
        self.invariants = invariants
    }

    /// The profile with this canonical URL (optionally `url|version`), or `nil` when unknown.
    public func profile(url reference: String) -> ResolvedProfile? {
        if let cached = cache.withLock({ $0[reference] }) { return cached }
        resolution.lock()
        defer { resolution.unlock() }
        if let cached = cache.withLock({ $0[reference] }) { return cached }
        // A cycle: the outer resolution of this URL will cache the answer; do not cache here.
        guard resolving.insert(reference).inserted else { return nil }
        defer { resolving.remove(reference) }
        let resolved = resolve(reference)
        cache.withLock { $0[reference] = resolved }
        return resolved
    }

    /// The base definition of a core type or resource (`Patient`, `HumanName`, `string`).
    public func base(type: String) -> ResolvedProfile? {
        if let hit = bases.withLock({ $0[type] }) { return hit }
        let found: ResolvedProfile?
        if type.hasPrefix("http:") || type.hasPrefix("https:") {
            found = profile(url: type)
        } else {
            found = profile(url: DefinitionStore.coreStructureDefinitionBase + type)
        }
        if let found { bases.withLock { $0[type] = found } }
        return found
    }

    /// Adds a definition given in memory (a test's or a case's own profile); it wins over the store.
    public func register(_ definition: StructureDefinitionInfo) {
        resolution.lock()
        defer { resolution.unlock() }
        let resolved = build(definition)
        bases.withLock { $0.removeAll() }
        cache.withLock {
            $0[definition.url] = resolved
            if let v = definition.version { $0[definition.url + "|" + v] = resolved }
        }
    }

    private func resolve(_ reference: String) -> ResolvedProfile? {
        let parts = reference.split(separator: "|", maxSplits: 1).map(String.init)
        // A version we do not hold falls back to the version we do hold (as the reference
        // validator does for `meta.profile` with `|version`).
        guard let url = parts.first,
            let json = store.structureDefinition(url: url, version: parts.count > 1 ? parts[1] : nil)
                ?? (parts.count > 1 ? store.structureDefinition(url: url) : nil)
        else { return nil }
        return build(StructureDefinitionInfo(json: json))
    }

    private func build(_ definition: StructureDefinitionInfo) -> ResolvedProfile {
        if let snapshot = definition.snapshot, !snapshot.isEmpty {
            return ResolvedProfile(definition: definition, elements: snapshot, issues: [], invariants: invariants)
        }
        let generated = SnapshotGenerator(catalog: self).generate(definition)
        var withSnapshot = definition
        withSnapshot.snapshot = generated.elements.map(ElementDefinitionInfo.init(json:))
        return ResolvedProfile(
            definition: withSnapshot, elements: withSnapshot.snapshot ?? [], issues: generated.issues,
            invariants: invariants)
    }
}

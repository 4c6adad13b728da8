import FHIRDefinitions
import FHIRJSON
import FHIRModel

/// StructureDefinitions by canonical URL, with snapshots (generated from the differential when a
/// definition comes without one) and walking indices. Resolved profiles are cached; the catalog is
/// safe to share between threads.
public final class ProfileCatalog: Sendable {
    public let store: DefinitionStore
    public let model: ModelInfo
    private let cache = Locked<[String: ResolvedProfile?]>([:])
    /// URLs being resolved on this catalog (a differential whose base leads back to itself).
    private let resolving = Locked<Set<String>>([])

    public init(store: DefinitionStore, model: ModelInfo) {
        self.store = store
        self.model = model
    }

    /// The profile with this canonical URL (optionally `url|version`), or `nil` when unknown.
    public func profile(url reference: String) -> ResolvedProfile? {
        if let cached = cache.withLock({ $0[reference] }) { return cached }
        let resolved = resolve(reference)
        cache.withLock { $0[reference] = resolved }
        return resolved
    }

    /// The base definition of a core type or resource (`Patient`, `HumanName`, `string`).
    public func base(type: String) -> ResolvedProfile? {
        if type.hasPrefix("http:") || type.hasPrefix("https:") { return profile(url: type) }
        return profile(url: DefinitionStore.coreStructureDefinitionBase + type)
    }

    /// Adds a definition given in memory (a test's or a case's own profile); it wins over the store.
    public func register(_ definition: StructureDefinitionInfo) {
        let resolved = build(definition)
        cache.withLock {
            $0[definition.url] = resolved
            if let v = definition.version { $0[definition.url + "|" + v] = resolved }
        }
    }

    private func resolve(_ reference: String) -> ResolvedProfile? {
        let parts = reference.split(separator: "|", maxSplits: 1).map(String.init)
        guard let url = parts.first,
            let json = store.structureDefinition(url: url, version: parts.count > 1 ? parts[1] : nil)
        else { return nil }
        let inserted = resolving.withLock { $0.insert(reference).inserted }
        guard inserted else { return nil }
        defer { _ = resolving.withLock { $0.remove(reference) } }
        return build(StructureDefinitionInfo(json: json))
    }

    private func build(_ definition: StructureDefinitionInfo) -> ResolvedProfile {
        if let snapshot = definition.snapshot, !snapshot.isEmpty {
            return ResolvedProfile(definition: definition, elements: snapshot)
        }
        let generated = SnapshotGenerator(catalog: self).generate(definition)
        var withSnapshot = definition
        withSnapshot.snapshot = generated.elements.map(ElementDefinitionInfo.init(json:))
        return ResolvedProfile(
            definition: withSnapshot, elements: withSnapshot.snapshot ?? [], issues: generated.issues)
    }
}

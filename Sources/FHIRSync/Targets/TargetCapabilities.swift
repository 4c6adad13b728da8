/// What one target accepts for one resource type: its `CapabilityStatement.rest.resource` entry
/// (mode `server`), or the same declared in the gateway configuration.
public struct ResourceCapability: Sendable, Equatable {
    public var type: String
    /// The R4 `type-restful-interaction` codes: `read`, `vread`, `update`, `patch`, `delete`,
    /// `history-instance`, `history-type`, `create`, `search-type`.
    public var interactions: Set<String>
    /// `PUT Type/id` creates the resource when the id is new (client-assigned ids).
    public var updateCreate: Bool
    public var conditionalCreate: Bool
    public var conditionalUpdate: Bool
    /// `supportedProfile` canonicals, in statement order.
    public var supportedProfiles: [String]
    /// The names of the search parameters, in statement order.
    public var searchParams: [String]

    public init(
        type: String, interactions: Set<String>, updateCreate: Bool = false, conditionalCreate: Bool = false,
        conditionalUpdate: Bool = false, supportedProfiles: [String] = [], searchParams: [String] = []
    ) {
        self.type = type
        self.interactions = interactions
        self.updateCreate = updateCreate
        self.conditionalCreate = conditionalCreate
        self.conditionalUpdate = conditionalUpdate
        self.supportedProfiles = supportedProfiles
        self.searchParams = searchParams
    }

    /// Adds what another entry of the same type says (a statement may list a type twice, or
    /// have several server `rest` entries).
    mutating func merge(_ other: ResourceCapability) {
        interactions.formUnion(other.interactions)
        updateCreate = updateCreate || other.updateCreate
        conditionalCreate = conditionalCreate || other.conditionalCreate
        conditionalUpdate = conditionalUpdate || other.conditionalUpdate
        supportedProfiles += other.supportedProfiles.filter { !supportedProfiles.contains($0) }
        searchParams += other.searchParams.filter { !searchParams.contains($0) }
    }
}

/// What a target EHR accepts (issue 6, "Capability-aware targets"): built from its
/// CapabilityStatement (``init(capabilityStatement:)``, ``load(file:model:)``) or declared
/// (``init(resources:systemInteractions:)``), plus limits from the configuration.
///
/// The sync engine asks it how to write each type (``writeMode(for:)``): types it refuses are not
/// dropped but folded into a clinical note (``ClinicalNoteFallback``).
public struct TargetCapabilities: Sendable {
    /// The resource entries in statement order, one per type.
    public private(set) var resources: [ResourceCapability]
    private var byType: [String: Int]
    /// The whole-system interactions (`transaction`, `batch`, `search-system`, `history-system`).
    public var systemInteractions: Set<String>
    /// The most entries one Bundle may carry (configuration; nil: no stated limit).
    public var maxBundleEntries: Int?

    /// Declared capabilities (a later entry of a type already listed is merged into it).
    public init(resources: [ResourceCapability], systemInteractions: Set<String> = []) {
        self.resources = []
        self.byType = [:]
        self.systemInteractions = systemInteractions
        for r in resources { add(r) }
    }

    mutating func add(_ resource: ResourceCapability) {
        if let i = byType[resource.type] {
            self.resources[i].merge(resource)
        } else {
            byType[resource.type] = self.resources.count
            self.resources.append(resource)
        }
    }

    /// The entry for a type, nil when the target does not list it.
    public func capability(of type: String) -> ResourceCapability? {
        byType[type].map { resources[$0] }
    }

    /// Whether the target accepts this write interaction for the type.
    public func accepts(_ type: String, _ interaction: WriteInteraction) -> Bool {
        guard let r = capability(of: type) else { return false }
        switch interaction {
        case .create: return r.interactions.contains("create")
        case .update: return r.interactions.contains("update")
        case .conditionalCreate: return r.interactions.contains("create") && r.conditionalCreate
        case .conditionalUpdate: return r.interactions.contains("update") && r.conditionalUpdate
        }
    }

    /// How to write the type: `put` with update + updateCreate; else `conditionalCreate` with
    /// create + conditionalCreate; else `create` with create; else `refused` (an update-only type
    /// cannot take a resource the target has never seen).
    public func writeMode(for type: String) -> WriteMode {
        guard let r = capability(of: type) else { return .refused }
        if r.interactions.contains("update") && r.updateCreate { return .put }
        if r.interactions.contains("create") {
            return r.conditionalCreate ? .conditionalCreate : .create
        }
        return .refused
    }

    /// Whether the target searches this type (`search-type`): pulls and identifier look-ups need it.
    public func supportsSearch(_ type: String) -> Bool {
        capability(of: type)?.interactions.contains("search-type") ?? false
    }

    /// Whether the target reads this type by id.
    public func supportsRead(_ type: String) -> Bool {
        capability(of: type)?.interactions.contains("read") ?? false
    }

    /// Whether the target searches the type with a parameter of this name.
    public func supportsSearchParameter(_ type: String, _ name: String) -> Bool {
        capability(of: type)?.searchParams.contains(name) ?? false
    }

    /// Whether the target accepts transaction Bundles (`rest.interaction` `transaction`).
    public var supportsTransaction: Bool { systemInteractions.contains("transaction") }
    /// Whether the target accepts batch Bundles.
    public var supportsBatch: Bool { systemInteractions.contains("batch") }

    /// The types the target accepts writes of (``writeMode(for:)`` is not `refused`), in statement order.
    public var acceptedTypes: [String] {
        resources.map(\.type).filter { writeMode(for: $0) != .refused }
    }

    /// The types among `types` the target refuses, in the given order without repeats.
    public func refusedTypes(among types: [String]) -> [String] {
        var seen: Set<String> = []
        return types.filter { writeMode(for: $0) == .refused && seen.insert($0).inserted }
    }
}

import ClinicMapping
import ClinicRecords
import FHIRClient
import FHIRModel
import SyncStore

/// What one pull of referrals from one target found.
public struct PullReport: Sendable {
    public var target: String
    /// Referrals that mapped without errors, with their clinic records.
    public var referrals: [InboundReferral] = []
    /// The clinic records of those referrals (each patient, practitioner, organization once).
    public var records: [ClinicRecord] = []
    /// Mapping problems (FHIRPath locations, no values) and the referrals they stopped.
    public var issues: [Issue] = []
    /// ServiceRequests seen (the clinic's own, sent earlier, are skipped and not counted).
    public var serviceRequests = 0
    /// Resources fetched (search pages' entries and follow-up reads).
    public var fetched = 0
    /// The watermark before the pull, and the one to store once the records are safely written.
    public var previousWatermark: String?
    public var newWatermark: String?

    public init(target: String) {
        self.target = target
    }
}

/// Pulls referrals (ServiceRequests with their patient, requester, organization, reasons and the
/// Tasks on them) from a target since the stored watermark, following `next` links, and maps them
/// to clinic referral records with the inbound translator. The caller writes the records and only
/// then stores ``PullReport/newWatermark`` (``commit(_:)``): a crash in between pulls the same
/// referrals again, and their records have the same ids.
public struct ReferralPuller: Sendable {
    public static let watermarkKey = "referrals"
    public let model: ModelInfo
    public let store: any OutboxStore
    /// The clinic's base URL (identifier systems of the records made).
    public let clinicBase: String
    /// Follow-up reads of referenced resources go at most this deep (requester -> its organization).
    public var followDepth = 2

    public init(model: ModelInfo, store: any OutboxStore, clinicBase: String) {
        self.model = model
        self.store = store
        self.clinicBase = clinicBase
    }

    public func pull(from target: SyncTarget) async throws -> PullReport {
        var report = PullReport(target: target.name)
        let since = try store.watermark(target: target.name, key: Self.watermarkKey)
        report.previousWatermark = since
        var parameters: [(String, String)] = [
            ("_include", "ServiceRequest:subject"), ("_include", "ServiceRequest:requester"),
            ("_include", "ServiceRequest:performer"), ("_count", "50"),
        ]
        if let since { parameters.append(("_lastUpdated", "gt" + since)) }
        var resources = ResourceSet()
        for resource in try await target.client.searchAll("ServiceRequest", parameters) {
            resources.add(resource)
        }
        let requests = resources.all(of: "ServiceRequest").filter { !isOurs($0, target: target.name) }
        report.serviceRequests = requests.count
        guard !requests.isEmpty else {
            report.newWatermark = since
            report.fetched = resources.count
            return report
        }
        // The Tasks on those referrals, and what they all refer to that the search did not include.
        for request in requests {
            guard let id = request.childValue("id") else { continue }
            for task in try await target.client.searchAll("Task", [("focus", "ServiceRequest/" + id)]) {
                resources.add(task)
            }
        }
        var pending = resources.allResources
        for _ in 0..<followDepth {
            var next: [ElementNode] = []
            for resource in pending {
                for ref in ResourceReferences.targets(in: resource) where !resources.contains(ref) {
                    let parts = ref.split(separator: "/")
                    guard parts.count == 2, Self.followedTypes.contains(String(parts[0])) else { continue }
                    if let read = try? await target.client.read(String(parts[0]), id: String(parts[1])).resource {
                        resources.add(read)
                        next.append(read)
                    }
                }
            }
            pending = next
        }
        report.fetched = resources.count
        let others = resources.allResources.filter {
            $0.resourceType != "ServiceRequest" || !isOurs($0, target: target.name)
        }
        var entries: [ElementNode] = [ElementNode.primitive("type", type: "code", value: "collection")]
        for resource in others {
            entries.append(Self.entry(resource, baseURL: target.client.baseURL))
        }
        let bundle = ElementNode.resource("Bundle", children: entries)
        let mapped = InboundReferralMapper(options: InboundReferralOptions(clinicBase: clinicBase)).map(
            bundle, fileName: target.name)
        report.referrals = mapped.referrals
        report.records = mapped.records
        report.issues = mapped.issues
        // A referral that could not be mapped is pulled again next time: the watermark stays until
        // every referral since it maps cleanly (the records of the others have the same ids again).
        report.newWatermark =
            mapped.hasErrors
            ? since : requests.compactMap { $0.child(named: "meta")?.childValue("lastUpdated") }.max() ?? since
        return report
    }

    /// A collection Bundle entry holding `resource`, with its full URL on the target.
    static func entry(_ resource: ElementNode, baseURL: String) -> ElementNode {
        let type = resource.resourceType ?? ""
        let id = resource.childValue("id") ?? ""
        let fullUrl = ElementNode.primitive("fullUrl", type: "uri", value: baseURL + "/" + type + "/" + id)
        let inner = ElementNode.resource(type, children: resource.children, name: "resource")
        return ElementNode(name: "entry", typeName: "BackboneElement", children: [fullUrl, inner], flags: .listItem)
    }

    /// Stores the pull's new watermark (after its records were written).
    public func commit(_ report: PullReport) throws(StoreError) {
        guard let mark = report.newWatermark, mark != report.previousWatermark else { return }
        try store.setWatermark(target: report.target, key: Self.watermarkKey, value: mark)
    }

    static let followedTypes: Set<String> = [
        "Patient", "Practitioner", "PractitionerRole", "Organization", "Condition", "ServiceRequest",
    ]

    /// Whether a ServiceRequest is one the clinic sent: the outbox delivered it to this target
    /// under this id, or it claims one of the clinic's own profiles (a referral from outside does not).
    func isOurs(_ request: ElementNode, target: String) -> Bool {
        let prefix = ClinicCanonical.base + "/StructureDefinition/"
        let profiles = request.child(named: "meta")?.children(named: "profile").compactMap(\.value) ?? []
        if profiles.contains(where: { $0.hasPrefix(prefix) }) { return true }
        guard let id = request.childValue("id") else { return false }
        return (try? store.delivered(target: target, resourceType: "ServiceRequest", resourceId: id)) != nil
    }
}

/// Resources by `Type/id`, in the order first seen.
struct ResourceSet {
    private var order: [String] = []
    private var byKey: [String: ElementNode] = [:]

    var count: Int { order.count }
    var allResources: [ElementNode] { order.compactMap { byKey[$0] } }

    mutating func add(_ resource: ElementNode) {
        guard let type = resource.resourceType, let id = resource.childValue("id") else { return }
        let key = type + "/" + id
        if byKey[key] == nil { order.append(key) }
        byKey[key] = resource
    }

    func contains(_ key: String) -> Bool { byKey[key] != nil }

    func all(of type: String) -> [ElementNode] {
        allResources.filter { $0.resourceType == type }
    }
}

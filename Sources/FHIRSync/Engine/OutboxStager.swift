import ClinicMapping
import ClinicRecords
import FHIRJSON
import FHIRModel
import SyncStore

/// What staging one batch of records for one target did.
public struct StageReport: Sendable {
    public var target: String
    /// Items written to the outbox (to be sent).
    public var queued = 0
    /// Resources whose identical content the target already holds (not queued).
    public var unchanged = 0
    /// Resources already waiting in the outbox with the same content.
    public var alreadyQueued = 0
    /// Clinical-note DocumentReferences made for resources the target refuses.
    public var notes = 0
    /// Resources folded into those notes.
    public var foldedResources = 0
    /// Resources of refused types that no note can hold (a Patient, a Practitioner, the batch's
    /// Provenance): not sent; references to them keep only their display.
    public var notSent = 0
    /// What the translator did not disclose, and why.
    public var withheld: [WithheldItem] = []
    /// Translator findings (score and dose mismatches, safety flags), no patient data.
    public var issues: [Issue] = []
    /// Reference cycles broken to find a delivery order (`Type/id` lists).
    public var cycles: [[String]] = []

    public init(target: String) {
        self.target = target
    }
}

/// Turns clinic records into outbox items for one target, and writes them to the store before
/// anything is sent: translate (with the target as the disclosure recipient), fold what the target
/// refuses into clinical notes, order each patient's resources so references resolve, serialise,
/// fingerprint, enqueue. Running it again on the same records queues nothing new.
public struct OutboxStager: Sendable {
    public let model: ModelInfo
    /// The clinic's translation settings; the recipient and the time are set per call.
    public var translation: ClinicTranslationOptions

    public init(model: ModelInfo, translation: ClinicTranslationOptions) {
        self.model = model
        self.translation = translation
    }

    public func stage(
        _ records: [LocatedRecord], for target: SyncTarget, into store: any OutboxStore, runId: String,
        now: Int64
    ) throws(StoreError) -> StageReport {
        var report = StageReport(target: target.name)
        var options = translation
        options.recipient = target.recipient
        if let instant = FHIRInstant(SyncTime.instant(fromMilliseconds: now)) { options.translationTime = instant }
        let translated = ClinicTranslator(model: model, options: options).translate(records)
        report.issues = translated.issues
        report.withheld = translated.withheld

        let all = translated.allResources
        let refusedTypes = Set(target.capabilities.refusedTypes(among: Array(Set(all.map(\.resourceType)))))
        let refused = all.filter { refusedTypes.contains($0.resourceType) }
        var sendable = all.filter { !refusedTypes.contains($0.resourceType) }
        var audit: [AuditEvent] = []
        if !refused.isEmpty {
            let fallback = ClinicalNoteFallback(model: model, clinicBase: options.clinicBase)
            let notes = fallback.fold(refused, all: all)
            let unfolded = ClinicalNoteFallback.unfolded(refused, notes: notes)
            sendable = fallback.rewriteReferences(in: sendable, folded: notes, notSent: unfolded) + notes.map(\.note)
            report.notSent = unfolded.count
            for ref in unfolded {
                let (type, id) = Self.split(ref)
                audit.append(
                    AuditEvent(
                        time: now, target: target.name, resourceType: type, resourceId: id, action: "withhold",
                        outcome: "not sent", status: nil,
                        consentDecision: "target does not accept \(type) writes; referenced by display only",
                        runId: runId))
            }
            report.notes = notes.count
            report.foldedResources = notes.reduce(0) { $0 + $1.folded.count }
            for note in notes {
                for ref in note.folded {
                    let (type, id) = Self.split(ref)
                    audit.append(
                        AuditEvent(
                            time: now, target: target.name, resourceType: type, resourceId: id,
                            action: "fold-into-note", outcome: "queued as \(note.note.reference)", status: nil,
                            consentDecision: "target does not accept \(type) writes", runId: runId))
                }
            }
        }
        for item in translated.withheld {
            audit.append(
                AuditEvent(
                    time: now, target: target.name, resourceType: item.resourceType,
                    resourceId: ResourceIdentity.id(item.resourceType, item.businessId), action: "withhold",
                    outcome: "not disclosed", status: nil, consentDecision: item.reason.rawValue, runId: runId))
        }

        let plan = DeliveryOrder.plan(sendable)
        report.cycles = plan.cycles
        let writer = FHIRJSONWriter(model: model)
        var items: [NewOutboxItem] = []
        for group in plan.groups {
            for (sequence, resource) in group.resources.enumerated() {
                let json = writer.write(resource.resource)
                items.append(
                    NewOutboxItem(
                        target: target.name, group: group.key, sequence: sequence,
                        resourceType: resource.resourceType, resourceId: resource.id, content: json,
                        contentHash: ContentHash.of(resource.resource, json: json, writer: writer),
                        disclosure: Self.disclosure(resource)))
            }
        }
        let result = try store.enqueue(items, now: now)
        report.queued = result.inserted
        report.unchanged = result.unchanged
        report.alreadyQueued = result.alreadyQueued
        try store.appendAudit(audit)
        return report
    }

    /// The consent decision recorded with a disclosure (no patient data).
    static func disclosure(_ resource: TranslatedResource) -> String {
        resource.revealsSubstanceUse
            ? "42 CFR Part 2 content: an active Part 2 consent names the recipient"
            : "treatment disclosure under HIPAA (no Part 2 content)"
    }

    static func split(_ reference: String) -> (String, String) {
        let parts = reference.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return (reference, "") }
        return (String(parts[0]), String(parts[1]))
    }
}

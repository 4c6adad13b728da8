import ClinicRecords
import FHIRModel

/// The working state of one translation: options, the record index, the disclosure policy, and
/// what has been produced so far. The mappers (one file per record kind) extend it.
struct OutboundState {
    let options: ClinicTranslationOptions
    let index: RecordIndex
    let policy: DisclosurePolicy
    let typer: FHIRDraftTyper
    var translation = ClinicTranslation()

    init(options: ClinicTranslationOptions, index: RecordIndex, model: ModelInfo) {
        self.options = options
        self.index = index
        self.policy = DisclosurePolicy(index: index, recipient: options.recipient, day: options.translationDate)
        self.typer = FHIRDraftTyper(model: model)
    }

    /// The security labels of a resource (section 6.2).
    enum Labels {
        /// Practitioner and Organization: none.
        case none
        /// v3-Confidentiality `R`, v3-ActCode `PSY` (+ `extra`, e.g. `MH`); with `sud` also
        /// `SUD`, `42CFRPart2` and `NORDSCLCD`.
        case clinical(sud: Bool, extra: [String] = [])

        var sud: Bool {
            if case .clinical(let sud, _) = self { return sud }
            return false
        }

        var codings: [FHIRDraft?] {
            guard case .clinical(let sud, let extra) = self else { return [] }
            var out: [FHIRDraft?] = [
                .coding(Sys.confidentiality, "R", nil, name: "security"),
                .coding(Sys.actCode, "PSY", nil, name: "security"),
            ]
            out += extra.map { .coding(Sys.actCode, $0, nil, name: "security") }
            if sud {
                out += ["SUD", "42CFRPart2", "NORDSCLCD"].map { .coding(Sys.actCode, $0, nil, name: "security") }
            }
            return out
        }
    }

    /// A reference `Type/<id>` to the resource made from a business id.
    func ref(_ type: String, _ businessId: String) -> String { ResourceIdentity.reference(type, businessId) }

    /// Why SUD content of this patient cannot go out, or nil when it can (or is not SUD).
    func blockReason(sud: Bool, patientId: String) -> WithheldItem.Reason? {
        sud ? policy.sudBlockReason(patientId: patientId) : nil
    }

    /// Whether a resource with these labels will be sent.
    func willSend(sud: Bool, patientId: String) -> Bool { blockReason(sud: sud, patientId: patientId) == nil }

    /// Adds a resource (or records it as withheld when its SUD content may not go out).
    mutating func emit(
        _ type: String, _ businessId: String, profile: String?, labels: Labels, patientId: String?,
        narrative: String, _ children: [FHIRDraft?]
    ) {
        if let patientId, let reason = blockReason(sud: labels.sud, patientId: patientId) {
            withhold(type, businessId, reason)
            return
        }
        let id = ResourceIdentity.id(type, businessId)
        let meta: FHIRDraft? = .e("meta", [.p("profile", profile)] + labels.codings)
        let draft = FHIRDraft.resource(type, [.p("id", id), meta, .narrative(narrative)] + children)
        let typed = typer.resource(draft)
        for path in typed.unknown {
            translation.issues.append(
                Issue(.error, MappingIssueCode.internalError, "translator produced an unknown element", path: path))
        }
        translation.resources.append(
            TranslatedResource(
                resourceType: type, id: id, businessId: businessId,
                revealsSubstanceUse: labels.sud, resource: typed.node))
    }

    mutating func withhold(_ type: String, _ businessId: String, _ reason: WithheldItem.Reason) {
        translation.withheld.append(WithheldItem(resourceType: type, businessId: businessId, reason: reason))
    }

    /// Reports a finding about a record, at its file and position; `path` names the field.
    mutating func report(
        _ severity: Issue.Severity, _ code: IssueCode, _ message: String, _ record: LocatedRecord, path: String
    ) {
        translation.issues.append(
            Issue(severity, code, message, path: path, position: record.position, file: record.file))
    }
}

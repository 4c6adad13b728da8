import ClinicMapping
import FHIRModel

/// What a target refuses is not dropped (issue 6, domain document 4.3): it goes into a
/// clinical-note DocumentReference, one per session (the Encounter the resources belong to) or,
/// for resources of no session (a treatment course, a consent, a referral Task), one per patient.
///
/// The note (``ClinicalNoteDraft``): LOINC 11506-3 "Progress note", or 34904-3 "Mental health
/// Progress note" when the session is a psychotherapy (preparation or integration) session;
/// status `current`, docStatus `final`, category `clinical-note`, subject the patient,
/// `context.encounter` and `context.period` (with times), `date`, author the clinic organization
/// when the set names it (the session's service provider), one `text/plain; charset=utf-8`
/// attachment holding a readable rendering of every folded resource (``ClinicalNoteText``),
/// `meta.security` the union of the folded resources' labels (+ `MH` on mental-health notes, as
/// the domain document labels therapy notes), an identifier (`<clinicBase>/fhir/sid/document`,
/// value the note id) for conditional create, no `relatesTo`.
///
/// Its id is `UUIDv5(fhirGateNamespace, "DocumentReference|note|<encounter or patient id>|<folded>")`
/// where `<folded>` is the folded `Type/id`s sorted and joined with `,`: the same input gives the
/// same note, and a note with other content gets another id.
///
/// Not folded (left to the caller, see ``unfolded(_:notes:)``): Patients (the note needs its
/// subject on the target), and resources tied to no patient or to several (Organization,
/// Practitioner, a Provenance over a whole batch).
public struct ClinicalNoteFallback: Sendable {
    public let model: ModelInfo
    /// The clinic's base URL (as in ``ClinicTranslationOptions/clinicBase``) for identifier systems.
    public let clinicBase: String

    public init(model: ModelInfo, clinicBase: String) {
        self.model = model
        self.clinicBase = clinicBase
    }

    /// The notes for the refused resources; `all` is the whole translated set (for the patient,
    /// the session, its period and the clinic organization).
    public func fold(_ refused: [TranslatedResource], all: [TranslatedResource]) -> [FoldedNote] {
        let known = Set(all.map(\.reference))
        let refusedReferences = Set(refused.map(\.reference))
        let context = FoldContext(all + refused.filter { !known.contains($0.reference) })
        var keys: [String] = []
        var groups: [String: (patient: String, encounter: String?, members: [TranslatedResource])] = [:]
        var seen: Set<String> = []
        for resource in refused where resource.resourceType != "Patient" && seen.insert(resource.reference).inserted {
            let patients = context.patients(of: resource)
            guard patients.count == 1 else { continue }
            let encounter = context.encounter(of: resource)
            let key = encounter ?? ("Patient/" + patients[0])
            if groups[key] == nil {
                keys.append(key)
                groups[key] = (patients[0], encounter, [])
            }
            groups[key]?.members.append(resource)
        }
        let draft = ClinicalNoteDraft(
            model: model, clinicBase: clinicBase, context: context, notSent: refusedReferences)
        return keys.compactMap { key in
            guard let group = groups[key] else { return nil }
            return draft.note(patient: group.patient, encounter: group.encounter, folded: group.members)
        }
    }

    /// The refused resources that no note carries (`Type/id`, in input order): they are not sent
    /// and not folded, so references to them must go too (``rewriteReferences(in:folded:notSent:)``).
    public static func unfolded(_ refused: [TranslatedResource], notes: [FoldedNote]) -> [String] {
        let folded = Set(notes.flatMap(\.folded))
        var seen: Set<String> = []
        return refused.map(\.reference).filter { !folded.contains($0) && seen.insert($0).inserted }
    }
}

/// Look-ups over the whole set: resources by `Type/id`, their patients and sessions.
struct FoldContext {
    let resources: [TranslatedResource]
    let links: PatientLinks

    init(_ resources: [TranslatedResource]) {
        self.resources = resources
        self.links = PatientLinks(resources)
    }

    func resource(_ reference: String) -> TranslatedResource? {
        links.index[reference].map { resources[$0] }
    }

    func patients(of resource: TranslatedResource) -> [String] {
        guard let i = links.index[resource.reference] else { return [] }
        return links.patients[i]
    }

    /// `Encounter/<id>` of the session a resource belongs to: itself, an Encounter it refers to,
    /// or the first one found through the resources it refers to (a MedicationAdministration
    /// `partOf` a Procedure whose `encounter` is the session). Patients and Encounters end a path.
    func encounter(of resource: TranslatedResource) -> String? {
        if resource.resourceType == "Encounter" { return resource.reference }
        guard let start = links.index[resource.reference] else { return nil }
        var visited: Set<Int> = [start]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            let targets = links.targets[current]
            if let direct = targets.first(where: { ResourceReferences.type(of: $0) == "Encounter" }) { return direct }
            for ref in targets where ResourceReferences.type(of: ref) != "Patient" {
                if let next = links.index[ref], visited.insert(next).inserted { queue.append(next) }
            }
        }
        return nil
    }
}

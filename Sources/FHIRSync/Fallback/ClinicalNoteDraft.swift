import ClinicMapping
import FHIRModel

/// Builds one clinical-note DocumentReference (see ``ClinicalNoteFallback``) through the
/// translator's typed draft builder.
struct ClinicalNoteDraft {
    let model: ModelInfo
    let clinicBase: String
    let context: FoldContext
    /// The refused resources: the note refers to none of them (its session Encounter or the
    /// clinic Organization may be among them).
    let notSent: Set<String>

    static let loinc = "http://loinc.org"
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    static let documentCategory = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
    /// Codes that make a session a psychotherapy session: SNOMED CT 75516001 and the clinic's
    /// preparation and integration session codes.
    static let therapyCodes: Set<String> = ["75516001", "kap-integration-session", "kap-preparation-session"]

    func note(patient: String, encounter: String?, folded: [TranslatedResource]) -> FoldedNote? {
        let refs = folded.map(\.reference)
        let keyId = ResourceReferences.id(of: encounter ?? ("Patient/" + patient))
        let name = "DocumentReference|note|" + keyId + "|" + refs.sorted().joined(separator: ",")
        guard let id = UUIDv5.make(namespace: UUIDv5.fhirGateNamespace, name: name) else { return nil }
        let session = encounter.flatMap { context.resource($0) }
        let therapy = Self.isTherapy(session.map { [$0] + folded } ?? folded)
        let type =
            therapy ? ("34904-3", "Mental health Progress note") : ("11506-3", "Progress note")
        let period = Self.period(session: session?.resource, folded: folded)
        let organization = clinicOrganization(session: session, patient: patient)
        let labels = Self.labels(folded, therapy: therapy)
        let sessionLabel = session.flatMap { Self.sessionLabel($0.resource) }
        let text = ClinicalNoteText(context: context).render(
            folded, title: type.1, session: sessionLabel, period: period, labels: labels.map(\.code))
        let title = type.1 + (sessionLabel.map { ": " + $0 } ?? "")
        let draft = FHIRDraft.resource(
            "DocumentReference",
            [
                .p("id", id),
                .e("meta", labels.map { .coding($0.system, $0.code, nil, name: "security") }),
                .narrative(title + " (information the receiving system does not accept as discrete data)"),
                .identifier(system: documentSystem, value: id),
                .p("status", "current"), .p("docStatus", "final"),
                .concept("type", [(Self.loinc, type.0, type.1)], text: type.1),
                .concept("category", [(Self.documentCategory, "clinical-note", "Clinical Note")]),
                .reference("subject", "Patient/" + patient),
                .p("date", period.end),
                .reference("author", organization.flatMap { notSent.contains($0) ? nil : $0 }),
                .p("description", "Clinical information the receiving system does not accept as discrete data"),
                .e(
                    "content",
                    [
                        .e(
                            "attachment",
                            [
                                .p("contentType", "text/plain; charset=utf-8"), .p("language", "en"),
                                .p("data", Base64.encode(text)), .p("title", title),
                            ])
                    ]),
                .e(
                    "context",
                    [
                        .reference("encounter", encounter.flatMap { notSent.contains($0) ? nil : $0 }),
                        .period("period", start: period.start, end: period.end),
                    ]),
            ])
        let typed = FHIRDraftTyper(model: model).resource(draft)
        let resource = TranslatedResource(
            resourceType: "DocumentReference", id: id, businessId: "note/" + keyId,
            revealsSubstanceUse: folded.contains { $0.revealsSubstanceUse }, resource: typed.node)
        return FoldedNote(note: resource, folded: refs)
    }

    /// `<clinicBase>/fhir/sid/document`, the system of the clinic's documents.
    var documentSystem: String {
        var base = clinicBase
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/fhir/sid/" + ClinicIdentifierSystem.document.rawValue
    }

    /// The clinic organization: the session's service provider, else the service provider of
    /// another session of the patient.
    func clinicOrganization(session: TranslatedResource?, patient: String) -> String? {
        if let provider = session.flatMap({ Self.serviceProvider($0.resource) }) { return provider }
        for r in context.resources where r.resourceType == "Encounter" && context.patients(of: r) == [patient] {
            if let provider = Self.serviceProvider(r.resource) { return provider }
        }
        return nil
    }

    static func serviceProvider(_ encounter: ElementNode) -> String? {
        encounter.child(named: "serviceProvider")?.childValue("reference").flatMap(ResourceReferences.normalize)
    }

    /// Whether any of the resources codes a psychotherapy session (Encounter.type, Procedure.code).
    static func isTherapy(_ resources: [TranslatedResource]) -> Bool {
        resources.contains { r in
            let concepts = r.resource.children(named: "type") + r.resource.children(named: "code")
            return concepts.contains { c in
                c.children(named: "coding").contains { therapyCodes.contains($0.childValue("code") ?? "") }
            }
        }
    }

    /// The session's type text (`IV ketamine infusion visit`).
    static func sessionLabel(_ encounter: ElementNode) -> String? {
        guard let type = encounter.child(named: "type") else { return nil }
        return type.childValue("text") ?? type.child(named: "coding")?.childValue("display")
    }

    /// The union of the folded resources' `meta.security` codings, in order of first appearance
    /// (+ `MH` for a mental-health note).
    static func labels(_ resources: [TranslatedResource], therapy: Bool) -> [(system: String, code: String)] {
        var out: [(system: String, code: String)] = []
        var seen: Set<String> = []
        func add(_ system: String, _ code: String) {
            if seen.insert(system + "|" + code).inserted { out.append((system, code)) }
        }
        for r in resources {
            for label in r.resource.child(named: "meta")?.children(named: "security") ?? [] {
                if let system = label.childValue("system"), let code = label.childValue("code") { add(system, code) }
            }
        }
        if therapy { add(actCode, "MH") }
        return out
    }

    /// The period of the note, with times: the session's period where it has them, widened to
    /// every time of the folded resources; the end is always set when any time is known.
    static func period(session: ElementNode?, folded: [TranslatedResource]) -> (start: String?, end: String?) {
        var times: [FHIRDateTime] = []
        if let p = session?.child(named: "period") {
            times += [p.childValue("start"), p.childValue("end")].compactMap { $0.flatMap(timed) }
        }
        for r in folded {
            r.resource.walk { node, _ in
                if node.name == "meta" || node.name == "text" { return false }
                if node.typeName == "dateTime" || node.typeName == "instant", let v = node.value, let t = timed(v) {
                    times.append(t)
                }
                return true
            }
        }
        var earliest: FHIRDateTime?
        var latest: FHIRDateTime?
        for t in times {
            if earliest.map({ t.compare($0) == .less }) ?? true { earliest = t }
            if latest.map({ t.compare($0) == .greater }) ?? true { latest = t }
        }
        return (earliest?.lexeme, latest?.lexeme)
    }

    /// A dateTime with a time of day to the second and a zone (a valid `instant`), else nil.
    static func timed(_ lexeme: String) -> FHIRDateTime? {
        guard let t = FHIRDateTime(lexeme), t.precision >= .second, t.timeZoneOffset != nil else { return nil }
        return t
    }
}

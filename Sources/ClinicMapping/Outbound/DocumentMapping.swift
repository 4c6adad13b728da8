import ClinicRecords
import FHIRModel

/// Preparation/integration therapy sessions (section 1.11: Encounter + Procedure + progress
/// notes as DocumentReference labelled PSY/MH; psychotherapy notes never leave) and the summary
/// letter to the referrer (1.12).
extension OutboundState {
    mutating func mapTherapySession(_ t: TherapySessionRecord) {
        let sud = index.courseRevealsSUD(t.courseId)
        let integration = t.sessionType == .integration
        let kap =
            integration
            ? ("kap-integration-session", "KAP integration session")
            : ("kap-preparation-session", "KAP preparation session")
        let encounter = ref("Encounter", t.id)
        let telehealth = t.mode == .telehealth
        emit(
            "Encounter", t.id, profile: Profile.url("kap-encounter"), labels: .clinical(sud: sud),
            patientId: t.patientId,
            narrative: kap.1,
            [
                .identifier(system: options.system(.therapyVisit), value: t.id),
                .p("status", t.status == .completed ? "finished" : "cancelled"),
                telehealth
                    ? .coding(Sys.actCode, "VR", "virtual", name: "class")
                    : .coding(Sys.actCode, "AMB", "ambulatory", name: "class"),
                .concept("type", [(Sys.kapProcedures, kap.0, kap.1)], text: kap.1),
                .reference("subject", ref("Patient", t.patientId)),
                .e("participant", [.reference("individual", ref("Practitioner", t.therapistId))]),
                .period("period", start: t.start.lexeme, end: t.end.lexeme),
                .reference("serviceProvider", ref("Organization", options.clinicOrganizationId)),
            ])
        emit(
            "Procedure", t.id, profile: nil, labels: .clinical(sud: sud), patientId: t.patientId, narrative: kap.1,
            [
                .identifier(system: options.system(.therapyVisit), value: t.id),
                .p("status", t.status == .completed ? "completed" : "not-done"),
                .concept(
                    "code",
                    [(Sys.snomed, "75516001", "Psychotherapy (regime/therapy)"), (Sys.kapProcedures, kap.0, kap.1)],
                    text: kap.1),
                .reference("subject", ref("Patient", t.patientId)),
                .reference("encounter", encounter),
                .period("performedPeriod", start: t.start.lexeme, end: t.end.lexeme),
                .e("performer", [.reference("actor", ref("Practitioner", t.therapistId))]),
            ])
        for (i, note) in t.notes.enumerated() {
            let businessId = t.id + "/note-\(i + 1)"
            guard note.kind == .progress else {
                withhold("DocumentReference", businessId, .psychotherapyNote)
                continue
            }
            emit(
                "DocumentReference", businessId, profile: nil, labels: .clinical(sud: sud, extra: ["MH"]),
                patientId: t.patientId, narrative: "Mental health progress note",
                [
                    .identifier(system: options.system(.document), value: businessId),
                    .p("status", "current"), .p("docStatus", "final"),
                    .concept("type", [(Sys.loinc, "34904-3", "Mental health Progress note")]),
                    .concept("category", [(Sys.usCoreDocumentCategory, "clinical-note", "Clinical Note")]),
                    .reference("subject", ref("Patient", t.patientId)),
                    .p("date", t.end.lexeme),
                    .reference("author", ref("Practitioner", t.therapistId)),
                    .reference("custodian", ref("Organization", options.clinicOrganizationId)),
                    Self.content(contentType: "text/plain", data: Base64.encode(note.text), title: "Progress note"),
                    .e(
                        "context",
                        [
                            .reference("encounter", encounter),
                            .period("period", start: t.start.lexeme, end: t.end.lexeme),
                        ]),
                ])
        }
    }

    mutating func mapSummaryLetter(_ l: SummaryLetterRecord, _ record: LocatedRecord) {
        let sud = index.courseRevealsSUD(l.courseId)
        let type: (String, String) =
            switch l.documentType {
            case .consultNote: ("11488-4", "Consult note")
            case .dischargeSummary: ("18842-5", "Discharge summary")
            case .progressNote: ("11506-3", "Progress note")
            }
        var contents: [FHIRDraft?] = [
            Self.content(contentType: "text/plain", data: Base64.encode(l.text), title: l.title)
        ]
        switch l.attachment {
        case .base64(let data):
            contents.append(Self.content(contentType: "application/pdf", data: data, title: l.title))
        case .path(let relative):
            if let bytes = Self.readAttachment(relative, besides: record.file) {
                contents.append(
                    Self.content(contentType: "application/pdf", data: Base64.encode(bytes), title: l.title))
            } else {
                report(
                    .warning, MappingIssueCode.notTranslated, "the letter's PDF cannot be read; only its text is sent",
                    record, path: "summaryLetter[\(l.id)].pdf.path")
            }
        case nil:
            break
        }
        emit(
            "DocumentReference", l.id, profile: nil, labels: .clinical(sud: sud), patientId: l.patientId,
            narrative: type.1 + " to the referring practitioner",
            [
                .identifier(system: options.system(.document), value: l.id),
                .p("status", "current"), .p("docStatus", "final"),
                .concept("type", [(Sys.loinc, type.0, type.1)]),
                .concept("category", [(Sys.usCoreDocumentCategory, "clinical-note", "Clinical Note")]),
                .reference("subject", ref("Patient", l.patientId)),
                .reference("author", ref("Practitioner", l.authorId)),
                .reference("custodian", ref("Organization", options.clinicOrganizationId)),
                .p("description", l.title),
            ] + contents + [.e("context", [.period("period", start: l.date.lexeme, end: l.date.lexeme)])])
    }

    static func content(contentType: String, data: String, title: String?) -> FHIRDraft? {
        .e("content", [.e("attachment", [.p("contentType", contentType), .p("data", data), .p("title", title)])])
    }

    /// The bytes of an attachment path relative to the record file (no `..`, checked by the reader).
    static func readAttachment(_ relative: String, besides file: String?) -> [UInt8]? {
        guard !relative.split(separator: "/").contains(".."), !relative.hasPrefix("/") else { return nil }
        var folder = ""
        if let file, let slash = file.lastIndex(of: "/") { folder = String(file[...slash]) }
        return try? FileBytes.read(folder + relative)
    }
}

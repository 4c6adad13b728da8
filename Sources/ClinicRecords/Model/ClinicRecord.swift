import FHIRModel

/// The record kinds of format version 1 (the `"kind"` of every record).
public enum ClinicRecordKind: String, Sendable, Hashable, CaseIterable {
    case patient
    case practitioner
    case organization
    case referral
    case consent
    case treatmentCourse
    case infusionSession
    case questionnaireResponse
    case therapySession
    case summaryLetter
}

/// One clinic record of any kind.
public enum ClinicRecord: Sendable, Hashable {
    case patient(PatientRecord)
    case practitioner(PractitionerRecord)
    case organization(OrganizationRecord)
    case referral(ReferralRecord)
    case consent(ConsentRecord)
    case treatmentCourse(TreatmentCourseRecord)
    case infusionSession(InfusionSessionRecord)
    case questionnaireResponse(QuestionnaireResponseRecord)
    case therapySession(TherapySessionRecord)
    case summaryLetter(SummaryLetterRecord)

    public var kind: ClinicRecordKind {
        switch self {
        case .patient: .patient
        case .practitioner: .practitioner
        case .organization: .organization
        case .referral: .referral
        case .consent: .consent
        case .treatmentCourse: .treatmentCourse
        case .infusionSession: .infusionSession
        case .questionnaireResponse: .questionnaireResponse
        case .therapySession: .therapySession
        case .summaryLetter: .summaryLetter
        }
    }

    /// The clinic business identifier (`"id"`), unique per kind.
    public var id: String {
        switch self {
        case .patient(let r): r.id
        case .practitioner(let r): r.id
        case .organization(let r): r.id
        case .referral(let r): r.id
        case .consent(let r): r.id
        case .treatmentCourse(let r): r.id
        case .infusionSession(let r): r.id
        case .questionnaireResponse(let r): r.id
        case .therapySession(let r): r.id
        case .summaryLetter(let r): r.id
        }
    }
}

/// A record with the place it was read from.
public struct LocatedRecord: Sendable, Hashable {
    public var record: ClinicRecord
    /// The file name given to the reader.
    public var file: String?
    /// Where the record's object starts (for CSV: the row's line, column 1).
    public var position: SourcePosition

    public init(record: ClinicRecord, file: String?, position: SourcePosition) {
        self.record = record
        self.file = file
        self.position = position
    }
}

/// Reads one record object: `kind`, `formatVersion` and the kind's fields.
enum RecordDecoder {
    /// Returns the record, or nil when it has any error (all of them reported).
    static func read(_ node: JSONNode, diagnostics: RecordDiagnostics) -> ClinicRecord? {
        guard node.members != nil else {
            diagnostics.error(
                .recordNotAnObject, "a record must be a JSON object, found \(node.kindName)", path: nil,
                at: node.position)
            return nil
        }
        let kind = readKind(node, diagnostics: diagnostics)
        guard let f = Fields(node, path: kind?.rawValue ?? "record", diagnostics: diagnostics) else { return nil }
        f.markUsed("kind")
        let errorsBefore = diagnostics.errorCount
        if let versionNode = f.node("formatVersion", required: true) {
            if case .number(let lexeme) = versionNode.value, lexeme == String(ClinicRecordFormat.version) {
                // The version this build reads.
            } else {
                diagnostics.error(
                    .recordFormatVersion, "unsupported formatVersion: this reader reads version 1",
                    path: f.childPath("formatVersion"), at: versionNode.position)
            }
        }
        guard let kind else {
            // Without a kind the fields cannot be checked; only the kind error is reported.
            return nil
        }
        let record = read(kind, f)
        f.finish()
        return diagnostics.errorCount == errorsBefore ? record : nil
    }

    private static func readKind(_ node: JSONNode, diagnostics: RecordDiagnostics) -> ClinicRecordKind? {
        guard let member = node.members?.first(where: { $0.key == "kind" }) else {
            diagnostics.error(.recordUnknownKind, "the record has no \"kind\"", path: "record.kind", at: node.position)
            return nil
        }
        guard case .string(let s) = member.value.value, let kind = ClinicRecordKind(rawValue: s) else {
            let allowed = ClinicRecordKind.allCases.map(\.rawValue).joined(separator: " | ")
            diagnostics.error(
                .recordUnknownKind, "\"kind\" must be one of: \(allowed)", path: "record.kind",
                at: member.value.position)
            return nil
        }
        return kind
    }

    private static func read(_ kind: ClinicRecordKind, _ f: Fields) -> ClinicRecord? {
        switch kind {
        case .patient: PatientRecord.read(f).map(ClinicRecord.patient)
        case .practitioner: PractitionerRecord.read(f).map(ClinicRecord.practitioner)
        case .organization: OrganizationRecord.read(f).map(ClinicRecord.organization)
        case .referral: ReferralRecord.read(f).map(ClinicRecord.referral)
        case .consent: ConsentRecord.read(f).map(ClinicRecord.consent)
        case .treatmentCourse: TreatmentCourseRecord.read(f).map(ClinicRecord.treatmentCourse)
        case .infusionSession: InfusionSessionRecord.read(f).map(ClinicRecord.infusionSession)
        case .questionnaireResponse: QuestionnaireResponseRecord.read(f).map(ClinicRecord.questionnaireResponse)
        case .therapySession: TherapySessionRecord.read(f).map(ClinicRecord.therapySession)
        case .summaryLetter: SummaryLetterRecord.read(f).map(ClinicRecord.summaryLetter)
        }
    }
}

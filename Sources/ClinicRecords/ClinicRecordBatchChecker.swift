import FHIRModel

/// Cross-record checks over one batch (the records of one or more files read together), run
/// after ``ClinicRecordReader``:
///
/// - a reference to a record of the batch must name a record of the right kind; a sub-record
///   (course, session, referral) must belong to the same patient as the record pointing at it;
/// - a reference to a record that is not in the batch is a warning ("not in this batch"): it may
///   be in the clinic's store or in another batch;
/// - the same kind and id in two files of the batch with different contents is an error.
///
/// Issues carry the referring record's file and position and the referring field's path.
public enum ClinicRecordBatchChecker {
    public static func check(_ records: [LocatedRecord]) -> [Issue] {
        var index: [String: [LocatedRecord]] = [:]
        var issues: [Issue] = []
        for located in records {
            let key = located.record.id
            let existing = index[key, default: []]
            if let twin = existing.first(where: { $0.record.kind == located.record.kind }) {
                if twin.record != located.record {
                    issues.append(
                        Issue(
                            .error, .recordDuplicateId,
                            "another \(located.record.kind.rawValue) record of the batch has the same id and "
                                + "different contents",
                            path: located.record.kind.rawValue + ".id", position: located.position,
                            file: located.file))
                }
                continue
            }
            index[key, default: []].append(located)
        }
        for located in records {
            for reference in references(of: located.record) {
                if let issue = resolve(reference, from: located, index: index) { issues.append(issue) }
            }
        }
        return issues
    }

    /// One reference from a record: the field path, the id and the kinds it may name, and the
    /// patient the target must belong to (for course, session and referral references).
    struct Reference {
        var path: String
        var id: String
        var kinds: [ClinicRecordKind]
        var samePatient: String?
    }

    static func references(of record: ClinicRecord) -> [Reference] {
        let root = record.kind.rawValue
        func ref(_ field: String, _ id: String?, _ kinds: ClinicRecordKind..., patient: String? = nil) -> Reference? {
            id.map { Reference(path: root + "." + field, id: $0, kinds: kinds, samePatient: patient) }
        }
        let list: [Reference?]
        switch record {
        case .patient(let r):
            list = [ref("referrerMrn.organizationId", r.referrerMrn?.organizationId, .organization)]
        case .practitioner(let r):
            list = [ref("organizationId", r.organizationId, .organization)]
        case .organization:
            list = []
        case .referral(let r):
            list = [
                ref("patientId", r.patientId, .patient), ref("practitionerId", r.practitionerId, .practitioner),
                ref("organizationId", r.organizationId, .organization),
            ]
        case .consent(let r):
            list =
                [ref("patientId", r.patientId, .patient)]
                + r.recipients.enumerated().map { i, recipient in
                    switch recipient {
                    case .practitioner(let id): ref("recipients[\(i)].practitionerId", id, .practitioner)
                    case .organization(let id): ref("recipients[\(i)].organizationId", id, .organization)
                    }
                }
        case .treatmentCourse(let r):
            list = [
                ref("patientId", r.patientId, .patient),
                ref("referralId", r.referralId, .referral, patient: r.patientId),
                ref("prescriberId", r.prescriberId, .practitioner),
            ]
        case .infusionSession(let r):
            list =
                [
                    ref("patientId", r.patientId, .patient),
                    ref("courseId", r.courseId, .treatmentCourse, patient: r.patientId),
                ]
                + r.performers.enumerated().map { i, p in
                    ref("performers[\(i)].practitionerId", p.practitionerId, .practitioner)
                }
        case .questionnaireResponse(let r):
            list = [
                ref("patientId", r.patientId, .patient),
                ref("sessionId", r.sessionId, .infusionSession, .therapySession, patient: r.patientId),
            ]
        case .therapySession(let r):
            list = [
                ref("patientId", r.patientId, .patient),
                ref("courseId", r.courseId, .treatmentCourse, patient: r.patientId),
                ref("therapistId", r.therapistId, .practitioner),
            ]
        case .summaryLetter(let r):
            list = [
                ref("patientId", r.patientId, .patient),
                ref("courseId", r.courseId, .treatmentCourse, patient: r.patientId),
                ref("recipientId", r.recipientId, .practitioner), ref("authorId", r.authorId, .practitioner),
            ]
        }
        return list.compactMap { $0 }
    }

    private static func resolve(_ reference: Reference, from located: LocatedRecord, index: [String: [LocatedRecord]])
        -> Issue?
    {
        let kinds = reference.kinds.map(\.rawValue).joined(separator: " or ")
        func issue(_ severity: Issue.Severity, _ code: IssueCode, _ message: String) -> Issue {
            Issue(severity, code, message, path: reference.path, position: located.position, file: located.file)
        }
        let candidates = index[reference.id] ?? []
        guard let target = candidates.first(where: { reference.kinds.contains($0.record.kind) }) else {
            if candidates.isEmpty {
                return issue(.warning, .recordReferenceOutsideBatch, "refers to a \(kinds) record not in this batch")
            }
            return issue(.error, .recordReference, "refers to a record of another kind: expected \(kinds)")
        }
        if let patient = reference.samePatient, let owner = patientId(of: target.record), owner != patient {
            return issue(.error, .recordReference, "the \(target.record.kind.rawValue) belongs to another patient")
        }
        return nil
    }

    /// The patient a sub-record belongs to.
    static func patientId(of record: ClinicRecord) -> String? {
        switch record {
        case .referral(let r): r.patientId
        case .treatmentCourse(let r): r.patientId
        case .infusionSession(let r): r.patientId
        case .therapySession(let r): r.patientId
        default: nil
        }
    }
}

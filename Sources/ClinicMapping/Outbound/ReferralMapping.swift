import ClinicRecords
import FHIRModel

/// Referral -> ServiceRequest + Task (section 1.2); disclosure consent -> Consent (1.4, 6.4).
extension OutboundState {
    mutating func mapReferral(_ r: ReferralRecord) {
        let sud = r.impliesSubstanceUseDisorder
        let status: String =
            switch r.status {
            case .requested, .received, .accepted, .inProgress: "active"
            case .rejected, .cancelled: "revoked"
            case .completed: "completed"
            }
        var notes: [FHIRDraft?] = [.note(r.notes)]
        if !r.currentMedications.isEmpty {
            notes.append(.note("Current medications: " + r.currentMedications.joined(separator: "; ")))
        }
        if let trials = r.failedTrialsCount {
            notes.append(.note("Failed adequate antidepressant trials: \(trials)"))
        }
        emit(
            "ServiceRequest", r.id, profile: Profile.url("kap-referral"), labels: .clinical(sud: sud),
            patientId: r.patientId, narrative: "Referral for ketamine treatment evaluation",
            [
                .identifier(system: options.system(.referral), value: r.id, use: "official"),
                r.placerId.map {
                    .identifier(
                        system: options.placerSystem(organizationId: r.organizationId), value: $0,
                        type: .concept("type", [(Sys.v20203, "PLAC", "Placer Identifier")]))
                } ?? nil,
                .p("status", status), .p("intent", r.intent.rawValue),
                .concept("category", [(Sys.snomed, "386053000", "Evaluation procedure (procedure)")]),
                .concept(
                    "code", [(Sys.snomed, "3457005", "Patient referral (procedure)")],
                    text: "Referral for ketamine infusion therapy evaluation"),
                .reference("subject", ref("Patient", r.patientId)),
                .p("authoredOn", r.date.lexeme),
                .reference("requester", ref("Practitioner", r.practitionerId)),
                .reference("performer", ref("Organization", options.clinicOrganizationId)),
            ] + r.reasons.map(Self.reasonCode) + notes)
        mapReferralTask(r, sud: sud)
    }

    private mutating func mapReferralTask(_ r: ReferralRecord, sud: Bool) {
        // Task.output: the summary letters of the courses that answer this referral, when they go out.
        var outputs: [FHIRDraft?] = []
        for letter in index.summaryLetters where index.courses[letter.courseId]?.referralId == r.id {
            guard willSend(sud: index.courseRevealsSUD(letter.courseId), patientId: letter.patientId) else { continue }
            outputs.append(
                .e(
                    "output",
                    [
                        .concept("type", text: "Summary letter to the referrer"),
                        .reference("valueReference", ref("DocumentReference", letter.id)),
                    ]))
        }
        emit(
            "Task", r.id, profile: Profile.url("kap-referral-task"), labels: .clinical(sud: sud),
            patientId: r.patientId, narrative: "Referral task: " + r.status.rawValue,
            [
                .identifier(system: options.system(.referral), value: r.id),
                .p("status", r.status.rawValue), .p("intent", "order"),
                .concept("code", [(Sys.taskCode, "fulfill", "Fulfill the focal request")]),
                .reference("focus", ref("ServiceRequest", r.id)),
                .reference("for", ref("Patient", r.patientId)),
                .p("authoredOn", r.date.lexeme),
                .reference("requester", ref("Practitioner", r.practitionerId)),
                .reference("owner", ref("Organization", options.clinicOrganizationId)),
            ] + outputs)
    }

    static func reasonCode(_ reason: ReasonCode) -> FHIRDraft? {
        .concept("reasonCode", [(Sys.icd10cm, reason.icd10, nil)], text: reason.text)
    }

    mutating func mapConsent(_ c: ConsentRecord) {
        guard c.category != .treatment else {
            // Informed consent to treatment is for internal use only (section 1.4).
            withhold("Consent", c.id, .internalOnly)
            return
        }
        let actors: [FHIRDraft?] = c.recipients.map { recipient in
            let reference =
                switch recipient {
                case .practitioner(let id): ref("Practitioner", id)
                case .organization(let id): ref("Organization", id)
                }
            return .e(
                "actor",
                [
                    .concept("role", [(Sys.participationType, "IRCP", "information recipient")]),
                    .reference("reference", reference),
                ])
        }
        let part2 = c.category == .part2Disclosure
        let provision: FHIRDraft? = .e(
            "provision",
            [
                .p("type", "permit"),
                c.period.map { .period("period", start: $0.start.lexeme, end: $0.end?.lexeme) } ?? nil,
            ]
                + actors + [.concept("action", [(Sys.consentAction, "disclose", "Disclose")])]
                + c.sensitivityLabels.map { .coding(Sys.actCode, $0.rawValue, nil, name: "securityLabel") }
                + (part2 ? [.coding(Sys.actCode, "42CFRPart2", nil, name: "securityLabel")] : [])
                + c.purposes.map { .coding(Sys.actReason, $0.rawValue, nil, name: "purpose") })
        emit(
            "Consent", c.id, profile: Profile.url("kap-disclosure-consent"),
            labels: .clinical(sud: RecordIndex.consentRevealsSUD(c)), patientId: c.patientId,
            narrative: part2 ? "Consent to disclose, including 42 CFR Part 2 records" : "Consent to disclose (HIPAA)",
            [
                .identifier(system: options.system(.consent), value: c.id),
                .p("status", c.status.rawValue),
                .concept("scope", [(Sys.consentScope, "patient-privacy", "Privacy Consent")]),
                .concept("category", [(Sys.actCode, "IDSCL", "information disclosure")]),
                .reference("patient", ref("Patient", c.patientId)),
                .p("dateTime", c.dateTime.lexeme),
                .reference("organization", ref("Organization", options.clinicOrganizationId)),
                c.signedDocumentTitle.map {
                    .e("sourceAttachment", [.p("contentType", "application/pdf"), .p("title", $0)])
                } ?? nil,
                part2
                    ? .e(
                        "policy",
                        [
                            .p("authority", "https://www.ecfr.gov"),
                            .p("uri", "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"),
                        ]) : nil,
                .concept("policyRule", [(Sys.consentPolicy, "hipaa-auth", "HIPAA Authorization")]),
                provision,
            ])
    }
}

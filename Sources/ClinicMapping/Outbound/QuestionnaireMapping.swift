import ClinicRecords
import FHIRModel

/// Outcome instruments (section 1.9, 3): PHQ-9 and GAD-7 as QuestionnaireResponse (our
/// Questionnaires, items in Questionnaire order, numeric answers sent as the LOINC answer with
/// that score, the computed total in the total item) + total-score Observation; dissociation
/// ratings (0-10 self-rating, CADSS total) as a score Observation on our `kap-instruments` code
/// system, with text.
///
/// The totals are ours (``QuestionnaireScoring``): a supplied total that differs is reported
/// (`MAP-SCORE-MISMATCH`) and not used; unanswered items give no total (`MAP-SCORE-INCOMPLETE`,
/// `dataAbsentReason` on the score, QuestionnaireResponse status `in-progress` when a required
/// item is missing).
///
/// PHQ-9 item 9 above 0 (`MAP-PHQ9-ITEM9`, a warning naming the response) is also made visible
/// to the receiving clinician on the score Observation: `interpretation` v3
/// `A` (Abnormal) with the text "PHQ-9 item 9 positive: clinician review for suicide risk
/// required", and the same text as a `note`. The total itself is unchanged.
extension OutboundState {
    static let answerDisplays: [String: String] = [
        "LA6568-5": "Not at all", "LA6569-3": "Several days", "LA6570-1": "More than half the days",
        "LA6571-9": "Nearly every day", "LA6572-7": "Not difficult at all", "LA6573-5": "Somewhat difficult",
        "LA6575-0": "Very difficult", "LA6574-3": "Extremely difficult",
    ]
    static let scoreAnswers = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]

    mutating func mapQuestionnaireResponse(_ r: QuestionnaireResponseRecord, _ record: LocatedRecord) {
        let sud = index.courseRevealsSUD(index.courseId(ofSession: r.sessionId))
        let score = QuestionnaireScoring.score(r)
        let path = "questionnaireResponse[\(r.id)]"
        if score.suppliedTotalDisagrees {
            report(
                .warning, MappingIssueCode.scoreMismatch,
                "the supplied total differs from the total computed from the answers; the computed total is used",
                record, path: path + ".suppliedTotal")
        }
        if !score.missingItems.isEmpty {
            report(
                .warning, MappingIssueCode.scoreIncomplete,
                "\(score.missingItems.count) scored item(s) unanswered: no total is sent (not prorated)", record,
                path: path + ".answers")
        }
        if score.item9Positive {
            report(
                .warning, MappingIssueCode.phq9Item9,
                "PHQ-9 item 9 (thoughts of self-harm) is above 0: clinician review for suicide risk is needed", record,
                path: path + ".answers.44260-8")
        }
        let encounter: FHIRDraft? = r.sessionId.map { .reference("encounter", ref("Encounter", $0)) } ?? nil
        switch r.instrument {
        case .phq9, .gad7:
            mapScoredResponse(r, record, score: score, sud: sud, encounter: encounter)
        case .dissociationNRS, .cadss:
            mapDissociation(r, record, score: score, sud: sud, encounter: encounter)
        }
    }

    private mutating func mapScoredResponse(
        _ r: QuestionnaireResponseRecord, _ record: LocatedRecord, score: QuestionnaireScore, sud: Bool,
        encounter: FHIRDraft?
    ) {
        let phq9 = r.instrument == .phq9
        let totalCode = phq9 ? "44261-6" : "70274-6"
        var answers: [String: QuestionnaireResponseRecord.Answer] = [:]
        for a in r.answers { answers[a.itemCode] = a.answer }
        var items: [FHIRDraft?] = []
        var order = r.instrument.scoredItemCodes + [totalCode]
        if phq9 { order.append("69722-7") }
        for code in order {
            if code == totalCode {
                items.append(
                    score.total.map {
                        .e("item", [.p("linkId", "/" + code), .e("answer", [.p("valueDecimal", String($0))])])
                    } ?? nil)
                continue
            }
            guard let answer = answers[code] else { continue }
            var answerCode: String
            switch answer {
            case .loinc(let c): answerCode = c
            case .score(let n): answerCode = Self.scoreAnswers.indices.contains(n) ? Self.scoreAnswers[n] : ""
            }
            if answerCode == "LA18938-3" {
                // Same score (2); Questionnaire/gad-7 offers LA6570-1 only (Profiles/README.md).
                answerCode = "LA6570-1"
                report(
                    .information, MappingIssueCode.answerNormalised,
                    "answer LA18938-3 is sent as LA6570-1 (same score, the code Questionnaire/gad-7 offers)", record,
                    path: "questionnaireResponse[\(r.id)].answers." + code)
            }
            guard let display = Self.answerDisplays[answerCode] else { continue }
            items.append(
                .e(
                    "item",
                    [
                        .p("linkId", "/" + code),
                        .e("answer", [.coding(Sys.loinc, answerCode, display, name: "valueCoding")]),
                    ]))
        }
        let required = phq9 ? Array(r.instrument.scoredItemCodes.prefix(8)) : r.instrument.scoredItemCodes
        let complete = required.allSatisfy { answers[$0] != nil }
        let name = phq9 ? "PHQ-9" : "GAD-7"
        emit(
            "QuestionnaireResponse", r.id, profile: Profile.url(phq9 ? "kap-phq9-response" : "kap-gad7-response"),
            labels: .clinical(sud: sud), patientId: r.patientId, narrative: name + " answers",
            [
                .identifier(system: options.system(.questionnaireResponse), value: r.id),
                .p("questionnaire", ClinicCanonical.base + (phq9 ? "/Questionnaire/phq-9" : "/Questionnaire/gad-7")),
                .p("status", complete ? "completed" : "in-progress"),
                .reference("subject", ref("Patient", r.patientId)), encounter,
                .p("authored", r.authored.lexeme),
                .reference("author", ref("Patient", r.patientId)),
                .reference("source", ref("Patient", r.patientId)),
            ] + items)

        let flagText = "PHQ-9 item 9 positive: clinician review for suicide risk required"
        let value: FHIRDraft? =
            score.total.map { .quantity("valueQuantity", FHIRDecimal($0), unit: "{score}", code: "{score}") }
            ?? .concept(
                "dataAbsentReason", [(Sys.dataAbsent, "unknown", "Unknown")],
                text: "\(score.missingItems.count) item(s) unanswered; not prorated")
        let display =
            phq9
            ? "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"
            : "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"
        emit(
            "Observation", r.id + "/total", profile: Profile.url(phq9 ? "kap-phq9-score" : "kap-gad7-score"),
            labels: .clinical(sud: sud), patientId: r.patientId, narrative: name + " total score",
            [
                .p("status", "final"),
                .concept("category", [(Sys.observationCategory, "survey", "Survey")]),
                .concept("code", [(Sys.loinc, totalCode, display)]),
                .reference("subject", ref("Patient", r.patientId)), encounter,
                .p("effectiveDateTime", r.authored.lexeme), value,
                score.item9Positive
                    ? .concept("interpretation", [(Sys.interpretation, "A", "Abnormal")], text: flagText) : nil,
                score.item9Positive ? .note(flagText) : nil,
                .reference("derivedFrom", ref("QuestionnaireResponse", r.id)),
            ])
    }

    private mutating func mapDissociation(
        _ r: QuestionnaireResponseRecord, _ record: LocatedRecord, score: QuestionnaireScore, sud: Bool,
        encounter: FHIRDraft?
    ) {
        let path = "questionnaireResponse[\(r.id)]"
        guard let encounter, let sessionId = r.sessionId else {
            report(
                .warning, MappingIssueCode.notTranslated,
                "a dissociation score needs the session it was taken in (sessionId); not translated", record,
                path: path + ".sessionId")
            return
        }
        guard let total = score.total else { return }  // reported as MAP-SCORE-INCOMPLETE
        let nrs = r.instrument == .dissociationNRS
        let code = nrs ? ("dissociation-nrs", "Dissociation self-rating (0-10)") : ("cadss-total", "CADSS total score")
        var phase: String?
        var partOf: FHIRDraft?
        if let s = index.infusionSessions[sessionId] {
            if let c = r.authored.compare(s.start), c == .less {
                phase = "pre"
            } else if let end = s.end, let c = r.authored.compare(end), c == .greater {
                phase = "post"
            } else {
                phase = "intra"
                let segment = s.administrations.firstIndex {
                    (r.authored.compare($0.start).map { $0 != .less } ?? false)
                        && (r.authored.compare($0.end).map { $0 != .greater } ?? false)
                }
                partOf = .reference(
                    "partOf",
                    segment.map { ref("MedicationAdministration", sessionId + "/segment-\($0 + 1)") }
                        ?? ref("Procedure", sessionId))
            }
        }
        emit(
            "Observation", r.id, profile: Profile.url("kap-dissociation-score"), labels: .clinical(sud: sud),
            patientId: r.patientId, narrative: code.1,
            [
                phase.map { .extensionValue(Profile.infusionPhase, .p("valueCode", $0)) } ?? nil,
                .identifier(system: options.system(.questionnaireResponse), value: r.id),
                partOf, .p("status", "final"),
                .concept("category", [(Sys.observationCategory, "survey", "Survey")]),
                .concept("code", [(Sys.kapInstruments, code.0, code.1)], text: code.1),
                .reference("subject", ref("Patient", r.patientId)), encounter,
                .p("effectiveDateTime", r.authored.lexeme),
                .quantity("valueQuantity", FHIRDecimal(total), unit: "{score}", code: "{score}"),
            ])
    }
}

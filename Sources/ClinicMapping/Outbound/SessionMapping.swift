import ClinicRecords
import FHIRModel

/// What the mappers of one infusion session share.
struct SessionFrame {
    let session: InfusionSessionRecord
    let record: LocatedRecord
    let sud: Bool
    /// The body weight in kg (for mg/kg), when recorded.
    let weightKg: FHIRDecimal?
    /// `Encounter/<id>` and `Procedure/<id>` of the session.
    let encounter: String
    let procedure: String
    /// `Observation/<id>` of the body weight, when recorded.
    let weightObservation: String?
    /// The segment MAs that were made: (start, end, `MedicationAdministration/<id>`).
    var segments: [(start: FHIRDateTime, end: FHIRDateTime, reference: String)] = []

    /// The reference an intra-session reading is part of: the segment running at `time`, else the
    /// session Procedure.
    func partOf(at time: FHIRDateTime) -> String {
        for s in segments {
            if let a = time.compare(s.start), a != .less, let b = time.compare(s.end), b != .greater {
                return s.reference
            }
        }
        return procedure
    }
}

/// Infusion session -> Encounter + Procedure (+ body-weight Observation), section 1.6.
extension OutboundState {
    mutating func mapInfusionSession(_ s: InfusionSessionRecord, _ record: LocatedRecord) {
        let sud = index.courseRevealsSUD(s.courseId)
        let course = index.courses[s.courseId]
        var frame = SessionFrame(
            session: s, record: record, sud: sud,
            weightKg: s.bodyWeight.flatMap { DoseCalculator.weightKg($0.quantity) },
            encounter: ref("Encounter", s.id), procedure: ref("Procedure", s.id),
            weightObservation: s.bodyWeight.map { _ in ref("Observation", s.id + "/body-weight") })
        let type = Self.sessionType(s.route)
        let reasons = (course?.indications ?? []).map(Self.reasonCode)
        let basedOn: FHIRDraft? = course?.referralId.map { .reference("basedOn", ref("ServiceRequest", $0)) } ?? nil
        let encounterStatus =
            switch s.status {
            case .completed, .stopped: "finished"
            case .inProgress: "in-progress"
            case .notDone: "cancelled"
            case .enteredInError: "entered-in-error"
            }
        emit(
            "Encounter", s.id, profile: Profile.url("kap-encounter"), labels: .clinical(sud: sud),
            patientId: s.patientId, narrative: type.text + " visit",
            [
                .identifier(system: options.system(.visit), value: s.id),
                .p("status", encounterStatus),
                .coding(Sys.actCode, "AMB", "ambulatory", name: "class"),
                .concept("type", [(Sys.kapProcedures, type.code, type.display)], text: type.text + " visit"),
                .reference("subject", ref("Patient", s.patientId)), basedOn,
            ]
                + s.performers.map {
                    .e("participant", [.reference("individual", ref("Practitioner", $0.practitionerId))])
                }
                + [.period("period", start: s.start.lexeme, end: s.end?.lexeme)] + reasons
                + [.reference("serviceProvider", ref("Organization", options.clinicOrganizationId))])

        var codings = [(Sys.kapProcedures, type.code, Optional(type.display))]
        if s.route == .nasal {
            let total = s.nasalDevices.reduce(FHIRDecimal(0)) { $0.adding($1.doseMg) ?? $0 }
            codings.append(total > FHIRDecimal(56) ? (Sys.hcpcs, "G2083", nil) : (Sys.hcpcs, "G2082", nil))
        }
        emit(
            "Procedure", s.id, profile: Profile.url("kap-infusion-procedure"), labels: .clinical(sud: sud),
            patientId: s.patientId, narrative: type.text,
            [
                .identifier(system: options.system(.visit), value: s.id), basedOn,
                .p("status", Self.procedureStatus(s.status)),
                .concept("statusReason", text: s.statusReason),
                .concept("code", codings, text: type.text),
                .reference("subject", ref("Patient", s.patientId)),
                .reference("encounter", frame.encounter),
                .period("performedPeriod", start: s.start.lexeme, end: s.end?.lexeme),
            ]
                + s.performers.map {
                    .e(
                        "performer",
                        [
                            .concept("function", text: $0.role.rawValue),
                            .reference("actor", ref("Practitioner", $0.practitionerId)),
                        ])
                } + reasons)

        if let weight = s.bodyWeight { mapBodyWeight(weight, frame) }
        mapAdministrations(&frame)
        for (i, vitals) in s.vitals.enumerated() { mapVitals(vitals, number: i + 1, frame) }
        for (i, effect) in s.sideEffects.enumerated() { mapSideEffect(effect, number: i + 1, frame) }
    }

    private mutating func mapBodyWeight(_ w: InfusionSessionRecord.BodyWeight, _ frame: SessionFrame) {
        let unit = w.quantity.unit == .pound ? "lb" : "kg"
        emit(
            "Observation", frame.session.id + "/body-weight", profile: Profile.url("kap-body-weight"),
            labels: .clinical(sud: frame.sud), patientId: frame.session.patientId, narrative: "Body weight",
            [
                .extensionValue(Profile.infusionPhase, .p("valueCode", "pre")),
                .p("status", "final"),
                .concept("category", [(Sys.observationCategory, "vital-signs", "Vital Signs")]),
                .concept("code", [(Sys.loinc, "29463-7", "Body weight")]),
                .reference("subject", ref("Patient", frame.session.patientId)),
                .reference("encounter", frame.encounter),
                .p("effectiveDateTime", w.measuredAt.lexeme),
                .quantity("valueQuantity", w.quantity.value, unit: unit, code: w.quantity.unit.rawValue),
            ])
    }

    static func procedureStatus(_ status: InfusionSessionRecord.Status) -> String {
        switch status {
        case .completed: "completed"
        case .stopped: "stopped"
        case .inProgress: "in-progress"
        case .notDone: "not-done"
        case .enteredInError: "entered-in-error"
        }
    }

    /// The session code of a route (`kap-procedures`). Oral sessions have no code of their own in
    /// the dosing value set and are coded as sublingual sessions, with text saying "Oral".
    static func sessionType(_ route: AdministrationRoute) -> (code: String, display: String, text: String) {
        switch route {
        case .iv: ("iv-ketamine-infusion", "Intravenous ketamine infusion session", "IV ketamine infusion")
        case .im: ("im-ketamine-session", "Intramuscular ketamine session", "IM ketamine session")
        case .nasal: ("esketamine-nasal-session", "Esketamine nasal spray session", "Esketamine nasal spray session")
        case .sublingual: ("sl-ketamine-session", "Sublingual ketamine session", "Sublingual ketamine session")
        case .oral: ("sl-ketamine-session", "Sublingual ketamine session", "Oral ketamine session")
        }
    }
}

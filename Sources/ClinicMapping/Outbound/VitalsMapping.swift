import ClinicRecords
import FHIRModel

/// Vital signs (section 1.8) and side effects (1.10) of an infusion session.
extension OutboundState {
    mutating func mapVitals(_ v: InfusionSessionRecord.VitalSigns, number: Int, _ frame: SessionFrame) {
        let ranges = options.vitalRanges
        let base = frame.session.id + "/vitals-\(number)/"
        if let sys = v.systolicMmHg, let dia = v.diastolicMmHg {
            let flags = [ranges.systolic.interpretation(sys), ranges.diastolic.interpretation(dia)]
            let flag = flags.contains("H") ? "H" : flags.contains("L") ? "L" : nil
            emitVital(
                v, frame, businessId: base + "bp", profile: "kap-blood-pressure",
                code: ("85354-9", "Blood pressure panel with all children optional"), value: nil, flag: flag,
                components: [
                    .e(
                        "component",
                        [
                            .concept("code", [(Sys.loinc, "8480-6", "Systolic blood pressure")]),
                            .quantity("valueQuantity", sys, unit: "mmHg", code: "mm[Hg]"),
                            Self.interpretation(ranges.systolic.interpretation(sys)),
                        ]),
                    .e(
                        "component",
                        [
                            .concept("code", [(Sys.loinc, "8462-4", "Diastolic blood pressure")]),
                            .quantity("valueQuantity", dia, unit: "mmHg", code: "mm[Hg]"),
                            Self.interpretation(ranges.diastolic.interpretation(dia)),
                        ]),
                ])
        }
        if let hr = v.heartRatePerMin {
            emitVital(
                v, frame, businessId: base + "heart-rate", profile: "kap-heart-rate", code: ("8867-4", "Heart rate"),
                value: .quantity("valueQuantity", hr, unit: "beats/minute", code: "/min"),
                flag: ranges.heartRate.interpretation(hr))
        }
        if let spo2 = v.spo2Percent {
            emitVital(
                v, frame, businessId: base + "spo2", profile: "kap-oxygen-saturation",
                code: ("2708-6", "Oxygen saturation in Arterial blood"),
                extraCoding: ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
                value: .quantity("valueQuantity", spo2, unit: "%", code: "%"), flag: ranges.spo2.interpretation(spo2))
        }
        if let rr = v.respiratoryRatePerMin {
            emitVital(
                v, frame, businessId: base + "respiratory-rate", profile: "kap-respiratory-rate",
                code: ("9279-1", "Respiratory rate"),
                value: .quantity("valueQuantity", rr, unit: "breaths/minute", code: "/min"),
                flag: ranges.respiratoryRate.interpretation(rr))
        }
        if let t = v.temperatureCel {
            emitVital(
                v, frame, businessId: base + "temperature", profile: "kap-body-temperature",
                code: ("8310-5", "Body temperature"), value: .quantity("valueQuantity", t, unit: "Cel", code: "Cel"),
                flag: ranges.temperature.interpretation(t))
        }
    }

    static func interpretation(_ flag: String?) -> FHIRDraft? {
        guard let flag else { return nil }
        return .concept("interpretation", [(Sys.interpretation, flag, flag == "H" ? "High" : "Low")])
    }

    private mutating func emitVital(
        _ v: InfusionSessionRecord.VitalSigns, _ frame: SessionFrame, businessId: String, profile: String,
        code: (String, String), extraCoding: (String, String)? = nil, value: FHIRDraft?, flag: String?,
        components: [FHIRDraft?] = []
    ) {
        var codings = [(Sys.loinc, code.0, Optional(code.1))]
        if let extra = extraCoding { codings.append((Sys.loinc, extra.0, extra.1)) }
        let partOf: FHIRDraft? = v.phase == .intra ? .reference("partOf", frame.partOf(at: v.time)) : nil
        emit(
            "Observation", businessId, profile: Profile.url(profile), labels: .clinical(sud: frame.sud),
            patientId: frame.session.patientId, narrative: code.1 + " (" + v.phase.rawValue + ")",
            [
                .extensionValue(Profile.infusionPhase, .p("valueCode", v.phase.rawValue)),
                partOf, .p("status", "final"),
                .concept("category", [(Sys.observationCategory, "vital-signs", "Vital Signs")]),
                .concept("code", codings),
                .reference("subject", ref("Patient", frame.session.patientId)),
                .reference("encounter", frame.encounter),
                .p("effectiveDateTime", v.time.lexeme), value, Self.interpretation(flag),
            ] + components)
    }

    mutating func mapSideEffect(_ e: InfusionSessionRecord.SideEffect, number: Int, _ frame: SessionFrame) {
        let severity: (String, String) =
            switch e.severity {
            case .mild: ("255604002", "Mild")
            case .moderate: ("6736007", "Moderate")
            case .severe: ("24484000", "Severe")
            }
        let findingText = e.findingText ?? e.finding.map { Self.plainFinding($0.display) }
        var action = "Action: " + e.action.rawValue
        if let text = e.actionText { action += ": " + text }
        emit(
            "Observation", frame.session.id + "/side-effect-\(number)", profile: Profile.url("kap-side-effect"),
            labels: .clinical(sud: frame.sud), patientId: frame.session.patientId,
            narrative: "Side effect during dosing",
            [
                .reference("partOf", frame.partOf(at: e.time)), .p("status", "final"),
                .concept("code", e.finding.map { [(Sys.snomed, $0.rawValue, $0.display)] } ?? [], text: findingText),
                .reference("subject", ref("Patient", frame.session.patientId)),
                .reference("encounter", frame.encounter),
                .p("effectiveDateTime", e.time.lexeme),
                .concept("valueCodeableConcept", [(Sys.snomed, severity.0, severity.1)], text: severity.1),
                .note(action),
            ])
    }

    /// `Nausea (finding)` -> `Nausea`.
    static func plainFinding(_ display: String) -> String {
        display.hasSuffix(" (finding)") ? String(display.dropLast(10)) : display
    }
}

import ClinicRecords
import FHIRModel

/// Dose administrations -> MedicationAdministration (section 1.7, 7.1): one per constant-rate
/// segment (effectivePeriod, dose in mg, rateRatio mg per 1 h, extensions for mg/kg/h and mL/h,
/// a contained Medication for the bag), and one per bolus or nasal device (effectiveDateTime,
/// dose, no rate). All are partOf the session Procedure, context the Encounter.
extension OutboundState {
    mutating func mapAdministrations(_ frame: inout SessionFrame) {
        let s = frame.session
        var bag: (drugMg: FHIRDecimal, volumeMl: FHIRDecimal)?
        var contained: FHIRDraft?
        var product: FHIRDraft?
        switch s.product {
        case .bag(let drugMg, let volumeMl, let diluent, let vialNdc):
            bag = (drugMg, volumeMl)
            let text = "ketamine \(drugMg.lexeme) mg in \(diluent ?? "diluent") \(volumeMl.lexeme) mL"
            contained = .resource(
                "Medication", name: "contained",
                [
                    .p("id", "bag"), .concept("code", text: text),
                    .e(
                        "ingredient",
                        [
                            .concept(
                                "itemCodeableConcept", vialNdc.map { [(Sys.ndc, $0, nil)] } ?? [],
                                text: "ketamine hydrochloride"),
                            .p("isActive", "true"),
                            .e(
                                "strength",
                                [
                                    .quantity("numerator", drugMg, unit: "mg", code: "mg"),
                                    .quantity("denominator", volumeMl, unit: "mL", code: "mL"),
                                ]),
                        ]),
                ])
            product = .concept(
                "medicationCodeableConcept", vialNdc.map { [(Sys.ndc, $0, nil)] } ?? [],
                text: "ketamine hydrochloride injection")
        case .device(let ndc, let description):
            var codings = [(Sys.ndc, ndc, String?.none)]
            if s.route == .nasal {
                codings.append(("http://www.nlm.nih.gov/research/umls/rxnorm", "2201623", "esketamine Nasal Spray"))
            }
            product = .concept("medicationCodeableConcept", codings, text: description ?? "ketamine")
        }
        let status = Self.administrationStatus(s.status)
        for (i, segment) in s.administrations.enumerated() {
            let businessId = s.id + "/segment-\(i + 1)"
            let path = "infusionSession[\(s.id)].administrations[\(i)]"
            let dose = DoseCalculator.segment(segment, weightKg: frame.weightKg, bag: bag)
            if dose.rateMismatch {
                report(
                    .warning, MappingIssueCode.rateMismatch,
                    "the recorded rates of the segment disagree by more than 2 % (0.1 mg/h)", frame.record,
                    path: path + ".rates")
            }
            if dose.doseMismatch {
                report(
                    .warning, MappingIssueCode.doseMismatch,
                    "the recorded dose differs from rate x duration by more than 2 % (0.1 mg); the recorded dose is sent",
                    frame.record, path: path + ".dose")
            }
            guard let doseMg = dose.doseMg else {
                report(
                    .error, MappingIssueCode.doseUnknown,
                    "no dose in mg can be determined for the segment; not translated", frame.record, path: path)
                continue
            }
            let last = i == s.administrations.count - 1
            let segmentStatus = last && s.status == .stopped ? "stopped" : status
            let minutes = DecimalMath.seconds(from: segment.start, to: segment.end).map {
                DecimalMath.trimmed(FHIRDecimal($0).dividing(by: FHIRDecimal(60), decimalPlaces: 1) ?? FHIRDecimal(0))
            }
            var text: [String] = []
            if let r = segment.rateMgPerKgPerHour {
                text.append("\(r.lexeme) mg/kg/h")
            } else if let r = dose.mgPerHour {
                text.append("\(r.lexeme) mg/h")
            }
            if let minutes { text.append("x \(minutes.lexeme) min") }
            if segment.rateMgPerKgPerHour != nil, let kg = frame.weightKg { text.append("(\(kg.lexeme) kg)") }
            if let pump = segment.pumpRateMlPerHour { text.append("via pump at \(pump.lexeme) mL/h") }
            let dosage: FHIRDraft? = .e(
                "dosage",
                [
                    segment.rateMgPerKgPerHour.map {
                        .extensionValue(
                            Profile.weightBasedDoseRate,
                            .quantity("valueQuantity", $0, unit: "mg/kg/h", code: "mg/kg/h"))
                    } ?? nil,
                    segment.pumpRateMlPerHour.map {
                        .extensionValue(Profile.pumpRate, .quantity("valueQuantity", $0, unit: "mL/h", code: "mL/h"))
                    } ?? nil,
                    .p("text", text.joined(separator: " ")),
                    .concept("route", [RouteCode.coding(s.route.rawValue)]),
                    .quantity("dose", doseMg, unit: "mg", code: "mg"),
                    dose.mgPerHour.map {
                        .e(
                            "rateRatio",
                            [
                                .quantity("numerator", $0, unit: "mg", code: "mg"),
                                .quantity("denominator", FHIRDecimal(1), unit: "h", code: "h"),
                            ])
                    } ?? nil,
                ])
            let medication: FHIRDraft? = contained != nil ? .reference("medicationReference", "#bag") : product
            emitAdministration(
                frame, businessId: businessId, status: segmentStatus, contained: contained, medication: medication,
                effective: .period("effectivePeriod", start: segment.start.lexeme, end: segment.end.lexeme),
                dosage: dosage,
                statusReason: last && s.status == .stopped ? s.statusReason : nil)
            frame.segments.append((segment.start, segment.end, ref("MedicationAdministration", businessId)))
        }
        for (i, bolus) in s.boluses.enumerated() {
            guard let mg = DoseCalculator.bolusMg(bolus.dose, weightKg: frame.weightKg) else {
                report(
                    .error, MappingIssueCode.doseUnknown,
                    "no dose in mg can be determined for the bolus; not translated", frame.record,
                    path: "infusionSession[\(s.id)].boluses[\(i)]")
                continue
            }
            var text = bolus.dose.unit == .mgPerKg ? "bolus \(bolus.dose.value.lexeme) mg/kg" : "bolus \(mg.lexeme) mg"
            if bolus.dose.unit == .mgPerKg, let kg = frame.weightKg { text += " (\(kg.lexeme) kg)" }
            let dosage: FHIRDraft? = .e(
                "dosage",
                [
                    bolus.dose.unit == .mgPerKg
                        ? .extensionValue(
                            Profile.weightBasedDoseRate,
                            .quantity("valueQuantity", bolus.dose.value, unit: "mg/kg", code: "mg/kg")) : nil,
                    .p("text", text), .concept("route", [RouteCode.coding(s.route.rawValue)]),
                    .quantity("dose", mg, unit: "mg", code: "mg"),
                ])
            emitAdministration(
                frame, businessId: s.id + "/bolus-\(i + 1)", status: status, contained: nil, medication: product,
                effective: .p("effectiveDateTime", bolus.time.lexeme), dosage: dosage, statusReason: nil)
        }
        for (i, device) in s.nasalDevices.enumerated() {
            let dosage: FHIRDraft? = .e(
                "dosage",
                [
                    .p("text", "\(device.doseMg.lexeme) mg nasal spray device"),
                    .concept("route", [RouteCode.coding(s.route.rawValue)]),
                    .quantity("dose", device.doseMg, unit: "mg", code: "mg"),
                ])
            emitAdministration(
                frame, businessId: s.id + "/device-\(i + 1)", status: status, contained: nil, medication: product,
                effective: .p("effectiveDateTime", device.time.lexeme), dosage: dosage, statusReason: nil)
        }
    }

    private mutating func emitAdministration(
        _ frame: SessionFrame, businessId: String, status: String, contained: FHIRDraft?, medication: FHIRDraft?,
        effective: FHIRDraft?, dosage: FHIRDraft?, statusReason: String?
    ) {
        let s = frame.session
        emit(
            "MedicationAdministration", businessId, profile: Profile.url("kap-ketamine-administration"),
            labels: .clinical(sud: frame.sud), patientId: s.patientId, narrative: "Ketamine administration",
            [
                contained, .reference("partOf", frame.procedure), .p("status", status),
                .concept("statusReason", text: statusReason),
                .concept("category", [(Sys.medAdminCategory, "outpatient", "Outpatient")]),
                medication,
                .reference("subject", ref("Patient", s.patientId)),
                .reference("context", frame.encounter), effective,
            ]
                + s.performers.filter { $0.role == .nurse || $0.role == .prescriber }.map {
                    .e("performer", [.reference("actor", ref("Practitioner", $0.practitionerId))])
                } + [
                    .reference("supportingInformation", frame.weightObservation),
                    .reference("request", ref("MedicationRequest", s.courseId)), dosage,
                ])
    }

    static func administrationStatus(_ status: InfusionSessionRecord.Status) -> String {
        switch status {
        case .completed, .stopped, .inProgress: "completed"
        case .notDone: "not-done"
        case .enteredInError: "entered-in-error"
        }
    }
}

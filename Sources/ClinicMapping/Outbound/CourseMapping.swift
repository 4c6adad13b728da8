import ClinicRecords
import FHIRModel

/// Treatment course -> MedicationRequest, the ketamine order (section 1.5, 4.2): the ordered
/// dose (mg/kg or mg) and rate (mg/kg/h or mg/h) as `doseAndRate` of type `ordered`, the series
/// as `timing.repeat` (count = series length, frequency per d/wk/mo), the maximum dose per
/// administration. The MedicationAdministrations of the course's sessions point at it (`request`).
/// RxNorm 6130 (ketamine) is unverified (section 8), so ketamine is sent as text; esketamine
/// carries the verified SCDF 2201623.
extension OutboundState {
    mutating func mapTreatmentCourse(_ c: TreatmentCourseRecord) {
        let order = c.order
        let status =
            switch c.status {
            case .planned: "draft"
            case .active: "active"
            case .onHold: "on-hold"
            case .completed: "completed"
            case .stopped: "stopped"
            case .enteredInError: "entered-in-error"
            }
        let medication: FHIRDraft? =
            order.drug == .esketamine
            ? .concept(
                "medicationCodeableConcept",
                [("http://www.nlm.nih.gov/research/umls/rxnorm", "2201623", "esketamine Nasal Spray")],
                text: "esketamine")
            : .concept("medicationCodeableConcept", text: "ketamine")
        var text = "\(order.dose.value.lexeme) \(order.dose.unit.rawValue)"
        if let rate = order.rate { text += " at \(rate.value.lexeme) \(rate.unit.rawValue)" }
        text += ", \(order.seriesCount) sessions, \(order.frequency.count) per \(order.frequency.per.rawValue)"
        let dosage: FHIRDraft? = .e(
            "dosageInstruction",
            [
                .p("text", text),
                .e(
                    "timing",
                    [
                        .e(
                            "repeat",
                            [
                                .p("count", String(order.seriesCount)), .p("frequency", String(order.frequency.count)),
                                .p("period", "1"), .p("periodUnit", order.frequency.per.rawValue),
                            ])
                    ]),
                .concept("route", [RouteCode.coding(order.route.rawValue)]),
                .e(
                    "doseAndRate",
                    [
                        .concept(
                            "type", [("http://terminology.hl7.org/CodeSystem/dose-rate-type", "ordered", "Ordered")]),
                        Self.orderQuantity("doseQuantity", order.dose),
                        order.rate.flatMap { Self.orderQuantity("rateQuantity", $0) },
                    ]),
                order.maxDose.flatMap { Self.orderQuantity("maxDosePerAdministration", $0) },
            ])
        emit(
            "MedicationRequest", c.id, profile: nil, labels: .clinical(sud: index.courseRevealsSUD(c.id)),
            patientId: c.patientId, narrative: "Ketamine treatment order (\(c.phase.rawValue))",
            [
                .identifier(system: options.system(.course), value: c.id),
                .p("status", status), .p("intent", "order"),
                .concept(
                    "category",
                    [("http://terminology.hl7.org/CodeSystem/medicationrequest-category", "outpatient", "Outpatient")]),
                medication,
                .reference("subject", ref("Patient", c.patientId)),
                .p("authoredOn", c.start.lexeme),
                .reference("requester", ref("Practitioner", c.prescriberId)),
            ] + c.indications.map(Self.reasonCode)
                + [c.referralId.flatMap { .reference("basedOn", ref("ServiceRequest", $0)) }, dosage])
    }

    static func orderQuantity(_ name: String, _ q: RecordQuantity) -> FHIRDraft? {
        .quantity(name, q.value, unit: q.unit.rawValue, code: q.unit.rawValue)
    }
}

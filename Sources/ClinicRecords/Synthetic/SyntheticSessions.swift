import FHIRModel

/// Dosing sessions of a synthetic patient: IV infusions with constant-rate segments and
/// mid-session titration, nasal esketamine, IM injections; with the vitals series (pre, intra,
/// post, recovery; occasionally an elevated blood pressure) and occasional side effects.
struct SyntheticSessionMaker {
    typealias Session = InfusionSessionRecord

    /// The patient's own physiology, stable across sessions.
    struct Baseline {
        /// Body weight in tenths of a kg.
        var weightTenthsKg: Int
        /// Whether the clinic's scale records pounds.
        var weighsInPounds: Bool
        var systolic: Int
        var diastolic: Int
        var heartRate: Int
    }

    var patientId: String
    var baseline: Baseline
    var nurseId: String
    var prescriberId: String

    /// An IV infusion of 40 minutes at `rate` hundredths of a mg/kg/h, titrated up by 0.25 mg/kg/h
    /// half way when `titrate`; `stopped` ends it early for a blood pressure rise.
    func intravenous(
        id: String, courseId: String, start: SyntheticTime, rate: Int, titrate: Bool, elevatedBP: Bool,
        stopped: Bool, rng: inout SplitMix64
    ) -> Session {
        let duration = stopped ? 25 : 40
        let end = start.adding(minutes: duration)
        let weight = baseline.weightTenthsKg + rng.int(-8...8)
        let strongBag = weight > 1_000
        let drugMg = strongBag ? 100 : 50
        let volumeMl = 100
        var segments: [Session.Segment] = []
        var cuts = [0, duration]
        if titrate && !stopped { cuts = [0, 20, duration] }
        let withDose = rng.chance(60)
        let withMgPerHour = rng.chance(70)
        for i in 0..<(cuts.count - 1) {
            let r = rate + i * 25
            // mg/h in tenths: tenths of kg x hundredths of mg/kg/h = thousandths; round to tenths.
            let mgPerHour = (weight * r + 50) / 100
            let pump = (mgPerHour * volumeMl * 2 + drugMg) / (drugMg * 2)
            let minutes = cuts[i + 1] - cuts[i]
            let dose = (mgPerHour * minutes * 2 + 60) / 120
            segments.append(
                Session.Segment(
                    start: start.adding(minutes: cuts[i]).dateTime, end: start.adding(minutes: cuts[i + 1]).dateTime,
                    rateMgPerKgPerHour: SyntheticDecimal.make(r, scale: 2),
                    rateMgPerHour: withMgPerHour ? SyntheticDecimal.make(mgPerHour, scale: 1) : nil,
                    pumpRateMlPerHour: SyntheticDecimal.make(pump, scale: 1),
                    doseMg: withDose ? SyntheticDecimal.make(dose, scale: 1) : nil))
        }
        var vitals = [
            reading(start.adding(minutes: -15), .pre, full: true, rng: &rng),
            reading(start.adding(minutes: 15), .intra, elevated: elevatedBP, rng: &rng),
        ]
        if !stopped { vitals.append(reading(start.adding(minutes: 30), .intra, rng: &rng)) }
        vitals.append(reading(end.adding(minutes: 5), .post, rng: &rng))
        vitals.append(reading(end.adding(minutes: 45), .recovery, bloodPressureOnly: true, rng: &rng))
        var effects = sideEffects(start: start, rng: &rng)
        if stopped {
            effects.append(
                Session.SideEffect(
                    time: start.adding(minutes: 20).dateTime, finding: .hypertensiveDisorder, severity: .moderate,
                    action: .stopped, actionText: "Infusion stopped; blood pressure rechecked until settled"))
        }
        return Session(
            id: id, patientId: patientId, courseId: courseId, route: .iv, start: start.dateTime, end: end.dateTime,
            status: stopped ? .stopped : .completed,
            statusReason: stopped ? "Stopped early: blood pressure above the clinic's limit" : nil,
            performers: [
                .init(practitionerId: nurseId, role: .nurse), .init(practitionerId: prescriberId, role: .prescriber),
            ],
            product: .bag(
                drugMg: FHIRDecimal(drugMg), volumeMl: FHIRDecimal(volumeMl), diluent: "0.9% sodium chloride",
                vialNdc: "67457-108-10"),
            bodyWeight: bodyWeight(weight, measuredAt: start.adding(minutes: -20)), administrations: segments,
            vitals: vitals, sideEffects: effects)
    }

    /// A nasal esketamine session: one 28 mg device every 5 minutes, then two hours' observation.
    func nasal(id: String, courseId: String, start: SyntheticTime, devices: Int, rng: inout SplitMix64) -> Session {
        let end = start.adding(minutes: 120)
        let used = (1...devices).map { i in
            Session.NasalDevice(time: start.adding(minutes: 5 * i).dateTime, doseMg: FHIRDecimal(28))
        }
        let vitals = [
            reading(start.adding(minutes: -10), .pre, full: true, rng: &rng),
            reading(start.adding(minutes: 40), .intra, elevated: rng.chance(25), rng: &rng),
            reading(end, .post, rng: &rng),
        ]
        return Session(
            id: id, patientId: patientId, courseId: courseId, route: .nasal, start: start.dateTime, end: end.dateTime,
            status: .completed,
            performers: [
                .init(practitionerId: nurseId, role: .monitor), .init(practitionerId: prescriberId, role: .prescriber),
            ],
            product: .device(ndc: "50458-028-00", description: "SPRAVATO 28 mg nasal spray device"),
            nasalDevices: used, vitals: vitals, sideEffects: sideEffects(start: start.adding(minutes: 10), rng: &rng))
    }

    /// An IM ketamine injection (a mg/kg bolus) with 90 minutes' observation.
    func intramuscular(id: String, courseId: String, start: SyntheticTime, rng: inout SplitMix64) -> Session {
        let end = start.adding(minutes: 90)
        let weight = baseline.weightTenthsKg + rng.int(-8...8)
        let vitals = [
            reading(start.adding(minutes: -10), .pre, full: true, rng: &rng),
            reading(start.adding(minutes: 30), .intra, elevated: rng.chance(15), rng: &rng),
            reading(end.adding(minutes: 5), .post, rng: &rng),
        ]
        return Session(
            id: id, patientId: patientId, courseId: courseId, route: .im, start: start.dateTime, end: end.dateTime,
            status: .completed,
            performers: [
                .init(practitionerId: nurseId, role: .nurse), .init(practitionerId: prescriberId, role: .prescriber),
            ],
            product: .device(ndc: "67457-108-10", description: "Ketamine HCl 100 mg/mL, IM injection"),
            bodyWeight: bodyWeight(weight, measuredAt: start.adding(minutes: -15)),
            boluses: [
                .init(
                    time: start.adding(minutes: 5).dateTime,
                    dose: RecordQuantity(value: SyntheticDecimal.make(rng.pick([50, 75]), scale: 2), unit: .mgPerKg))
            ],
            vitals: vitals, sideEffects: sideEffects(start: start.adding(minutes: 5), rng: &rng))
    }

    private func bodyWeight(_ tenthsKg: Int, measuredAt: SyntheticTime) -> Session.BodyWeight {
        let quantity =
            baseline.weighsInPounds
            ? RecordQuantity(
                value: SyntheticDecimal.make(SyntheticDecimal.divide(tenthsKg * 22_046, 100_000, scale: 1), scale: 1),
                unit: .pound)
            : RecordQuantity(value: SyntheticDecimal.make(tenthsKg, scale: 1), unit: .kg)
        return Session.BodyWeight(quantity: quantity, measuredAt: measuredAt.dateTime)
    }

    /// One set of vitals around the patient's baseline; ketamine raises blood pressure and heart
    /// rate a little during and after the dose, and `elevated` makes it clearly high.
    private func reading(
        _ time: SyntheticTime, _ phase: Session.VitalSigns.Phase, full: Bool = false, elevated: Bool = false,
        bloodPressureOnly: Bool = false, rng: inout SplitMix64
    ) -> Session.VitalSigns {
        let rise = phase == .intra || phase == .post ? rng.int(4...14) : rng.int(-4...4)
        var systolic = baseline.systolic + rise
        var diastolic = baseline.diastolic + rise / 2 + rng.int(-3...3)
        if elevated {
            systolic = rng.int(152...176)
            diastolic = rng.int(92...106)
        }
        diastolic = min(diastolic, systolic - 20)
        var v = Session.VitalSigns(
            time: time.dateTime, phase: phase, systolicMmHg: FHIRDecimal(systolic),
            diastolicMmHg: FHIRDecimal(diastolic))
        guard !bloodPressureOnly else { return v }
        v.heartRatePerMin = FHIRDecimal(min(baseline.heartRate + rise / 2 + rng.int(-5...5), 140))
        v.spo2Percent = FHIRDecimal(rng.int(95...100))
        if full {
            v.respiratoryRatePerMin = FHIRDecimal(rng.int(12...18))
            v.temperatureCel = SyntheticDecimal.make(rng.int(364...372), scale: 1)
        }
        return v
    }

    /// Occasional nausea, dizziness, vomiting or transient dissociation, and rarely hallucinations.
    private func sideEffects(start: SyntheticTime, rng: inout SplitMix64) -> [Session.SideEffect] {
        var effects: [Session.SideEffect] = []
        if rng.chance(15) {
            effects.append(
                .init(
                    time: start.adding(minutes: 25).dateTime, finding: .nausea, severity: .mild,
                    action: .medicationGiven, actionText: "ondansetron 4 mg"))
        }
        if rng.chance(8) {
            effects.append(
                .init(time: start.adding(minutes: 30).dateTime, finding: .dizziness, severity: .mild, action: .observed)
            )
        }
        if rng.chance(3) {
            effects.append(
                .init(
                    time: start.adding(minutes: 32).dateTime, finding: .vomiting, severity: .moderate, action: .paused))
        }
        if rng.chance(10) {
            effects.append(
                .init(
                    time: start.adding(minutes: 20).dateTime, findingText: "Transient dissociation",
                    severity: .moderate,
                    action: .observed))
        }
        if rng.chance(2) {
            effects.append(
                .init(
                    time: start.adding(minutes: 22).dateTime, finding: .hallucinations, severity: .mild,
                    action: .rateReduced))
        }
        return effects
    }
}

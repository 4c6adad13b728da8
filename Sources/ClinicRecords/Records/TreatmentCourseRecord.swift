import FHIRModel

/// Routes of administration (SNOMED CT codes in the domain document section 2.2).
public enum AdministrationRoute: String, Sendable, Hashable, CaseIterable {
    case iv, im, nasal, oral, sublingual
}

/// `"kind": "treatmentCourse"`: an induction or maintenance series with its order
/// (CarePlan + MedicationRequest + EpisodeOfCare in FHIR).
public struct TreatmentCourseRecord: Sendable, Hashable {
    public enum Phase: String, Sendable, CaseIterable { case induction, maintenance }
    public enum Status: String, Sendable, CaseIterable {
        case planned, active, completed, stopped
        case onHold = "on-hold"
        case enteredInError = "entered-in-error"
    }

    /// The ketamine order of the course.
    public struct Order: Sendable, Hashable {
        public enum Drug: String, Sendable, CaseIterable { case ketamine, esketamine }
        /// Sessions per period.
        public struct Frequency: Sendable, Hashable {
            public enum Period: String, Sendable, CaseIterable { case d, wk, mo }
            public var count: Int
            public var per: Period

            public init(count: Int, per: Period) {
                self.count = count
                self.per = per
            }
        }

        public var drug: Drug
        public var route: AdministrationRoute
        /// The dose per session: `mg/kg` (weight-based) or `mg` (fixed, e.g. esketamine 56 mg).
        public var dose: RecordQuantity
        /// The infusion rate (`mg/kg/h`), IV only.
        public var rate: RecordQuantity?
        /// The most that may be given in one session (`mg` or `mg/kg`).
        public var maxDose: RecordQuantity?
        /// The number of sessions in the series.
        public var seriesCount: Int
        public var frequency: Frequency

        public init(
            drug: Drug, route: AdministrationRoute, dose: RecordQuantity, rate: RecordQuantity? = nil,
            maxDose: RecordQuantity? = nil,
            seriesCount: Int, frequency: Frequency
        ) {
            self.drug = drug
            self.route = route
            self.dose = dose
            self.rate = rate
            self.maxDose = maxDose
            self.seriesCount = seriesCount
            self.frequency = frequency
        }
    }

    public var id: String
    public var patientId: String
    /// The `referral` record the course answers, when there is one.
    public var referralId: String?
    /// The prescribing `practitioner`.
    public var prescriberId: String
    public var phase: Phase
    public var status: Status
    public var indications: [ReasonCode]
    public var start: FHIRDate
    public var end: FHIRDate?
    public var order: Order

    public init(
        id: String, patientId: String, referralId: String? = nil, prescriberId: String, phase: Phase, status: Status,
        indications: [ReasonCode], start: FHIRDate, end: FHIRDate? = nil, order: Order
    ) {
        self.id = id
        self.patientId = patientId
        self.referralId = referralId
        self.prescriberId = prescriberId
        self.phase = phase
        self.status = status
        self.indications = indications
        self.start = start
        self.end = end
        self.order = order
    }

    static func read(_ f: Fields) -> TreatmentCourseRecord? {
        let id = f.identifier("id", required: true)
        let patientId = f.identifier("patientId", required: true)
        let referralId = f.identifier("referralId")
        let prescriberId = f.identifier("prescriberId", required: true)
        let phase = f.code("phase", Phase.self, required: true)
        let status = f.code("status", Status.self, required: true)
        let indications = f.objects("indications", required: true, nonEmpty: true) { g, _ in ReasonCode.read(g) }
        let start = f.date("start", required: true)
        let end = f.date("end")
        if let start, let end, end.compare(start) == .less {
            f.fail("end", .recordImpossibleValue, "must not be before the start")
        }
        let order = f.object("order", required: true, readOrder)
        guard let id, let patientId, let prescriberId, let phase, let status, let indications, let start, let order
        else { return nil }
        return TreatmentCourseRecord(
            id: id, patientId: patientId, referralId: referralId, prescriberId: prescriberId, phase: phase,
            status: status, indications: indications, start: start, end: end, order: order)
    }

    private static func readOrder(_ g: Fields) -> Order? {
        let drug = g.code("drug", Order.Drug.self, required: true)
        let route = g.code("route", AdministrationRoute.self, required: true)
        let dose = g.quantity("dose", units: [.mgPerKg, .mg], required: true)
        let rate = g.quantity("rate", units: [.mgPerKgPerHour, .mgPerHour])
        let maxDose = g.quantity("maxDose", units: [.mg, .mgPerKg])
        let seriesCount = g.integer("seriesCount", in: 1...100, required: true)
        let frequency = g.object("frequency", required: true) { h -> Order.Frequency? in
            let count = h.integer("count", in: 1...14, required: true)
            let per = h.code("per", Order.Frequency.Period.self, required: true)
            guard let count, let per else { return nil }
            return Order.Frequency(count: count, per: per)
        }
        if rate != nil, let route, route != .iv {
            g.fail("rate", .recordInvalidValue, "an infusion rate is only given for the iv route")
        }
        if let dose, let maxDose, dose.unit == maxDose.unit, dose.value > maxDose.value {
            g.fail("maxDose", .recordImpossibleValue, "the maximum dose is below the ordered dose")
        }
        guard let drug, let route, let dose, let seriesCount, let frequency else { return nil }
        return Order(
            drug: drug, route: route, dose: dose, rate: rate, maxDose: maxDose, seriesCount: seriesCount,
            frequency: frequency)
    }
}

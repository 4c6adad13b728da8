import FHIRModel

/// `"kind": "infusionSession"`: one dosing visit (Encounter + Procedure in FHIR) with what was
/// given (constant-rate segments, boluses, nasal devices), the body weight used for mg/kg, the
/// vitals series and side effects. Reading rules are in `InfusionSessionRecord+Reading.swift`.
public struct InfusionSessionRecord: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable {
        case completed, stopped
        case inProgress = "in-progress"
        case notDone = "not-done"
        case enteredInError = "entered-in-error"
    }

    public struct Performer: Sendable, Hashable {
        public enum Role: String, Sendable, CaseIterable { case nurse, prescriber, monitor, therapist }
        public var practitionerId: String
        public var role: Role

        public init(practitionerId: String, role: Role) {
            self.practitionerId = practitionerId
            self.role = role
        }
    }

    /// What was given: a compounded IV bag, or a single-route product identified by NDC.
    public enum Product: Sendable, Hashable {
        /// `drugMg` of ketamine in `volumeMl` of diluent (concentration = drugMg / volumeMl).
        case bag(drugMg: FHIRDecimal, volumeMl: FHIRDecimal, diluent: String?, vialNdc: String?)
        /// A device or syringe (a Spravato 28 mg device, an IM syringe).
        case device(ndc: String, description: String?)
    }

    /// The body weight the mg/kg figures of the session use.
    public struct BodyWeight: Sendable, Hashable {
        /// In `kg` or `[lb_av]`.
        public var quantity: RecordQuantity
        public var measuredAt: FHIRDateTime

        public init(quantity: RecordQuantity, measuredAt: FHIRDateTime) {
            self.quantity = quantity
            self.measuredAt = measuredAt
        }
    }

    /// A constant-rate infusion segment; every rate change starts a new one.
    public struct Segment: Sendable, Hashable {
        public var start: FHIRDateTime
        public var end: FHIRDateTime
        public var rateMgPerKgPerHour: FHIRDecimal?
        public var rateMgPerHour: FHIRDecimal?
        public var pumpRateMlPerHour: FHIRDecimal?
        /// The drug delivered in the segment (`mg`), when recorded.
        public var doseMg: FHIRDecimal?

        public init(
            start: FHIRDateTime, end: FHIRDateTime, rateMgPerKgPerHour: FHIRDecimal? = nil,
            rateMgPerHour: FHIRDecimal? = nil, pumpRateMlPerHour: FHIRDecimal? = nil, doseMg: FHIRDecimal? = nil
        ) {
            self.start = start
            self.end = end
            self.rateMgPerKgPerHour = rateMgPerKgPerHour
            self.rateMgPerHour = rateMgPerHour
            self.pumpRateMlPerHour = pumpRateMlPerHour
            self.doseMg = doseMg
        }
    }

    /// A bolus: `mg` or `mg/kg`.
    public struct Bolus: Sendable, Hashable {
        public var time: FHIRDateTime
        public var dose: RecordQuantity

        public init(time: FHIRDateTime, dose: RecordQuantity) {
            self.time = time
            self.dose = dose
        }
    }

    /// One nasal spray device used.
    public struct NasalDevice: Sendable, Hashable {
        public var time: FHIRDateTime
        public var doseMg: FHIRDecimal

        public init(time: FHIRDateTime, doseMg: FHIRDecimal) {
            self.time = time
            self.doseMg = doseMg
        }
    }

    /// One set of vital signs taken together; at least one measurement.
    public struct VitalSigns: Sendable, Hashable {
        public enum Phase: String, Sendable, CaseIterable { case pre, intra, post, recovery }
        public var time: FHIRDateTime
        public var phase: Phase
        public var systolicMmHg: FHIRDecimal?
        public var diastolicMmHg: FHIRDecimal?
        public var heartRatePerMin: FHIRDecimal?
        public var spo2Percent: FHIRDecimal?
        public var respiratoryRatePerMin: FHIRDecimal?
        public var temperatureCel: FHIRDecimal?

        public init(
            time: FHIRDateTime, phase: Phase, systolicMmHg: FHIRDecimal? = nil, diastolicMmHg: FHIRDecimal? = nil,
            heartRatePerMin: FHIRDecimal? = nil, spo2Percent: FHIRDecimal? = nil,
            respiratoryRatePerMin: FHIRDecimal? = nil, temperatureCel: FHIRDecimal? = nil
        ) {
            self.time = time
            self.phase = phase
            self.systolicMmHg = systolicMmHg
            self.diastolicMmHg = diastolicMmHg
            self.heartRatePerMin = heartRatePerMin
            self.spo2Percent = spo2Percent
            self.respiratoryRatePerMin = respiratoryRatePerMin
            self.temperatureCel = temperatureCel
        }
    }

    /// An observed side effect.
    public struct SideEffect: Sendable, Hashable {
        /// SNOMED CT findings of the domain document section 2.5 (raw value = the SCTID).
        public enum Finding: String, Sendable, CaseIterable {
            case nausea = "422587007"
            case vomiting = "422400008"
            case dizziness = "404640003"
            case tachycardia = "3424008"
            case hallucinations = "7011001"
            case hypertensiveDisorder = "38341003"

            public var display: String {
                switch self {
                case .nausea: "Nausea (finding)"
                case .vomiting: "Vomiting (finding)"
                case .dizziness: "Dizziness (finding)"
                case .tachycardia: "Tachycardia (finding)"
                case .hallucinations: "Hallucinations (finding)"
                case .hypertensiveDisorder: "Hypertensive disorder"
                }
            }
        }
        public enum Severity: String, Sendable, CaseIterable { case mild, moderate, severe }
        public enum Action: String, Sendable, CaseIterable {
            case none, observed, paused, stopped, other
            case rateReduced = "rate-reduced"
            case medicationGiven = "medication-given"
        }

        public var time: FHIRDateTime
        public var finding: Finding?
        public var findingText: String?
        public var severity: Severity
        public var action: Action
        public var actionText: String?

        public init(
            time: FHIRDateTime, finding: Finding? = nil, findingText: String? = nil, severity: Severity,
            action: Action, actionText: String? = nil
        ) {
            self.time = time
            self.finding = finding
            self.findingText = findingText
            self.severity = severity
            self.action = action
            self.actionText = actionText
        }
    }

    public var id: String
    public var patientId: String
    public var courseId: String
    public var route: AdministrationRoute
    public var start: FHIRDateTime
    public var end: FHIRDateTime?
    public var status: Status
    /// Why the session was stopped early or not done.
    public var statusReason: String?
    public var performers: [Performer]
    public var product: Product
    public var bodyWeight: BodyWeight?
    public var administrations: [Segment]
    public var boluses: [Bolus]
    public var nasalDevices: [NasalDevice]
    public var vitals: [VitalSigns]
    public var sideEffects: [SideEffect]

    public init(
        id: String, patientId: String, courseId: String, route: AdministrationRoute, start: FHIRDateTime,
        end: FHIRDateTime?, status: Status, statusReason: String? = nil, performers: [Performer], product: Product,
        bodyWeight: BodyWeight? = nil, administrations: [Segment] = [], boluses: [Bolus] = [],
        nasalDevices: [NasalDevice] = [], vitals: [VitalSigns] = [], sideEffects: [SideEffect] = []
    ) {
        self.id = id
        self.patientId = patientId
        self.courseId = courseId
        self.route = route
        self.start = start
        self.end = end
        self.status = status
        self.statusReason = statusReason
        self.performers = performers
        self.product = product
        self.bodyWeight = bodyWeight
        self.administrations = administrations
        self.boluses = boluses
        self.nasalDevices = nasalDevices
        self.vitals = vitals
        self.sideEffects = sideEffects
    }
}

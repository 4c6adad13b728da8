import FHIRModel

/// `"kind": "referral"`: a referral from a psychiatrist (ServiceRequest + Task in FHIR).
public struct ReferralRecord: Sendable, Hashable {
    /// `order`: the psychiatrist orders ketamine treatment; `proposal`: only recommends an evaluation.
    public enum Intent: String, Sendable, CaseIterable { case order, proposal }
    /// The referral's workflow status (FHIR task-status subset).
    public enum Status: String, Sendable, CaseIterable {
        case requested, received, accepted, rejected, cancelled, completed
        case inProgress = "in-progress"
    }

    /// The clinic's referral id.
    public var id: String
    /// The referrer's own id for the referral (ServiceRequest.identifier), when given.
    public var placerId: String?
    public var patientId: String
    /// The referring `practitioner` record.
    public var practitionerId: String
    /// The referring `organization` record.
    public var organizationId: String
    public var date: FHIRDate
    public var intent: Intent
    public var status: Status
    /// Reasons for referral (ICD-10-CM), at least one.
    public var reasons: [ReasonCode]
    public var notes: String?
    /// Current medications as the referrer wrote them.
    public var currentMedications: [String]
    /// Number of failed adequate antidepressant trials (TRD evidence).
    public var failedTrialsCount: Int?

    public init(
        id: String, placerId: String? = nil, patientId: String, practitionerId: String, organizationId: String,
        date: FHIRDate, intent: Intent, status: Status, reasons: [ReasonCode], notes: String? = nil,
        currentMedications: [String] = [], failedTrialsCount: Int? = nil
    ) {
        self.id = id
        self.placerId = placerId
        self.patientId = patientId
        self.practitionerId = practitionerId
        self.organizationId = organizationId
        self.date = date
        self.intent = intent
        self.status = status
        self.reasons = reasons
        self.notes = notes
        self.currentMedications = currentMedications
        self.failedTrialsCount = failedTrialsCount
    }

    /// A reason in ICD-10-CM F10-F19 implies a substance use disorder (42 CFR Part 2 labels).
    public var impliesSubstanceUseDisorder: Bool { reasons.contains { $0.isSubstanceUseDisorder } }

    static func read(_ f: Fields) -> ReferralRecord? {
        let id = f.identifier("id", required: true)
        let placerId = f.identifier("placerId")
        let patientId = f.identifier("patientId", required: true)
        let practitionerId = f.identifier("practitionerId", required: true)
        let organizationId = f.identifier("organizationId", required: true)
        let date = f.date("date", required: true)
        let intent = f.code("intent", Intent.self, required: true)
        let status = f.code("status", Status.self, required: true)
        let reasons = f.objects("reasons", required: true, nonEmpty: true) { g, _ in ReasonCode.read(g) }
        let notes = f.text("notes")
        let medications = f.strings("currentMedications") ?? []
        let failedTrials = f.integer("failedTrialsCount", in: 0...50)
        guard let id, let patientId, let practitionerId, let organizationId, let date, let intent, let status,
            let reasons
        else { return nil }
        return ReferralRecord(
            id: id, placerId: placerId, patientId: patientId, practitionerId: practitionerId,
            organizationId: organizationId, date: date, intent: intent, status: status, reasons: reasons, notes: notes,
            currentMedications: medications, failedTrialsCount: failedTrials)
    }
}

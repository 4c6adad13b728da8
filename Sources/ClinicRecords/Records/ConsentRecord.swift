import FHIRModel

/// `"kind": "consent"`: a HIPAA disclosure authorization, a 42 CFR Part 2 consent, or the
/// informed consent to ketamine treatment.
public struct ConsentRecord: Sendable, Hashable {
    public enum Category: String, Sendable, CaseIterable {
        case hipaaDisclosure = "hipaa-disclosure"
        case part2Disclosure = "part2-disclosure"
        case treatment
    }
    /// FHIR consent-state-codes.
    public enum Status: String, Sendable, CaseIterable {
        case draft, proposed, active, rejected, inactive
        case enteredInError = "entered-in-error"
    }
    /// Purposes of use (v3-ActReason).
    public enum Purpose: String, Sendable, CaseIterable {
        case treat = "TREAT"
        case healthcarePayment = "HPAYMT"
        case healthcareOperations = "HOPERAT"
    }
    /// Sensitivity classes the disclosure covers (v3-ActCode).
    public enum SensitivityLabel: String, Sendable, CaseIterable {
        case psychiatry = "PSY"
        case mentalHealth = "MH"
        case behavioralHealth = "BH"
        case substanceUseDisorder = "SUD"
        case alcoholUseDisorder = "ETHUD"
        case opioidUseDisorder = "OPIOIDUD"
    }

    /// Who may receive the information: a `practitioner` or an `organization` record.
    public enum Recipient: Sendable, Hashable {
        case practitioner(String)
        case organization(String)
    }

    public var id: String
    public var patientId: String
    public var category: Category
    public var status: Status
    public var dateTime: FHIRDateTime
    public var recipients: [Recipient]
    public var purposes: [Purpose]
    public var sensitivityLabels: [SensitivityLabel]
    public var period: DatePeriod?
    /// The title of the signed form (the PDF itself is kept by the clinic).
    public var signedDocumentTitle: String?

    public init(
        id: String, patientId: String, category: Category, status: Status, dateTime: FHIRDateTime,
        recipients: [Recipient] = [], purposes: [Purpose] = [], sensitivityLabels: [SensitivityLabel] = [],
        period: DatePeriod? = nil, signedDocumentTitle: String? = nil
    ) {
        self.id = id
        self.patientId = patientId
        self.category = category
        self.status = status
        self.dateTime = dateTime
        self.recipients = recipients
        self.purposes = purposes
        self.sensitivityLabels = sensitivityLabels
        self.period = period
        self.signedDocumentTitle = signedDocumentTitle
    }

    /// Whether the consent permits disclosure of substance-use information (Part 2 with SUD).
    public var coversSubstanceUse: Bool {
        category == .part2Disclosure && sensitivityLabels.contains(.substanceUseDisorder)
    }

    static func read(_ f: Fields) -> ConsentRecord? {
        let id = f.identifier("id", required: true)
        let patientId = f.identifier("patientId", required: true)
        let category = f.code("category", Category.self, required: true)
        let status = f.code("status", Status.self, required: true)
        let dateTime = f.dateTime("dateTime", required: true)
        let disclosure = category.map { $0 != .treatment } ?? true
        let recipients = f.objects("recipients", required: disclosure, nonEmpty: disclosure) { g, _ in
            readRecipient(g)
        }
        let purposes = f.codes("purposes", Purpose.self, required: disclosure, nonEmpty: disclosure)
        let labels = f.codes("sensitivityLabels", SensitivityLabel.self, required: disclosure, nonEmpty: disclosure)
        let period = f.object("period", DatePeriod.read)
        let title = f.string("signedDocumentTitle")
        if category == .treatment {
            for key in ["recipients", "purposes", "sensitivityLabels"] where f.has(key) {
                f.fail(key, .recordInvalidValue, "only disclosure consents name \(key)")
            }
        }
        if category == .part2Disclosure, let labels, !labels.contains(.substanceUseDisorder) {
            f.fail("sensitivityLabels", .recordInvalidValue, "a part2-disclosure consent must include SUD")
        }
        if let dateTime, let period, let signed = FHIRDate(String(dateTime.lexeme.prefix(10))),
            period.end.map({ $0.compare(signed) == .less }) == true
        {
            f.fail("period", .recordImpossibleValue, "the period ends before the consent was signed")
        }
        guard let id, let patientId, let category, let status, let dateTime else { return nil }
        return ConsentRecord(
            id: id, patientId: patientId, category: category, status: status, dateTime: dateTime,
            recipients: recipients ?? [], purposes: purposes ?? [], sensitivityLabels: labels ?? [], period: period,
            signedDocumentTitle: title)
    }

    private static func readRecipient(_ g: Fields) -> Recipient? {
        let practitioner = g.identifier("practitionerId")
        let organization = g.identifier("organizationId")
        switch (g.has("practitionerId"), g.has("organizationId")) {
        case (true, true):
            g.fail(
                "organizationId", .recordInvalidValue,
                "a recipient names a practitionerId or an organizationId, not both")
            return nil
        case (false, false):
            g.diagnostics.error(
                .recordMissingField, "a recipient needs a practitionerId or an organizationId", path: g.path,
                at: g.position)
            return nil
        default:
            if let practitioner { return .practitioner(practitioner) }
            if let organization { return .organization(organization) }
            return nil
        }
    }
}

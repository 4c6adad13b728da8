import FHIRModel

/// Who an outbound translation is for: the practitioner or organization (clinic record ids)
/// the resources will be disclosed to. SUD-labelled content goes out only when an active Part 2
/// consent names this recipient.
public enum DisclosureRecipient: Sendable, Hashable {
    case practitioner(String)
    case organization(String)
}

/// Settings of an outbound translation.
public struct ClinicTranslationOptions: Sendable {
    /// The clinic's base URL; identifier systems are `<clinicBase>/fhir/sid/<kind>`
    /// (see ``ClinicIdentifierSystem``).
    public var clinicBase: String
    /// The `organization` record id of the clinic itself: ServiceRequest performer, Task owner,
    /// Encounter serviceProvider, DocumentReference custodian, Provenance author's organization.
    public var clinicOrganizationId: String
    /// The clinic practitioner recorded as the Provenance author (else the clinic organization).
    public var authorPractitionerId: String?
    /// The recipient of the disclosure (nil: no recipient, so no SUD content can go out).
    public var recipient: DisclosureRecipient?
    /// When the translation happens: Provenance.recorded, and the day consents must cover.
    public var translationTime: FHIRInstant
    /// The normal ranges that decide the H/L interpretation of vital signs.
    public var vitalRanges: VitalSignRanges = .clinicDefault
    /// The name of the transmitting gateway (a contained Device on the Provenance).
    public var gatewayName: String

    public init(
        translationTime: FHIRInstant, clinicBase: String = ClinicCanonical.defaultClinicBase,
        clinicOrganizationId: String = "CLINIC", authorPractitionerId: String? = nil,
        recipient: DisclosureRecipient? = nil, gatewayName: String = "FHIRGate"
    ) {
        self.translationTime = translationTime
        self.clinicBase = clinicBase
        self.clinicOrganizationId = clinicOrganizationId
        self.authorPractitionerId = authorPractitionerId
        self.recipient = recipient
        self.gatewayName = gatewayName
    }

    /// The identifier system for one kind of clinic business identifier.
    public func system(_ kind: ClinicIdentifierSystem) -> String {
        var base = clinicBase
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/fhir/sid/" + kind.rawValue
    }

    /// The system of the MRNs an organization (a referrer) assigns:
    /// `<clinicBase>/fhir/sid/referrer-mrn/<organization id>`.
    public func referrerMRNSystem(organizationId: String) -> String {
        system(.referrerMRN) + "/" + organizationId
    }

    /// The system of the placer ids a referring organization gives its referrals:
    /// `<clinicBase>/fhir/sid/placer/<organization id>`.
    public func placerSystem(organizationId: String) -> String {
        system(.placer) + "/" + organizationId
    }

    /// The translation day (its own zone), for consent periods.
    var translationDate: FHIRDate? { FHIRDate(String(translationTime.lexeme.prefix(10))) }
}

/// The clinic's identifier systems, `<clinicBase>/fhir/sid/<rawValue>`.
public enum ClinicIdentifierSystem: String, Sendable, CaseIterable {
    /// Patient MRN (`patient.id`).
    case mrn
    /// `practitioner.id`.
    case practitioner
    /// `organization.id`.
    case organization
    /// `referral.id` (ServiceRequest and Task).
    case referral
    /// `consent.id`.
    case consent
    /// `treatmentCourse.id` (MedicationRequest).
    case course
    /// `infusionSession.id` (Encounter and Procedure).
    case visit
    /// `therapySession.id` (Encounter and Procedure).
    case therapyVisit = "therapy-visit"
    /// `questionnaireResponse.id`.
    case questionnaireResponse = "questionnaire-response"
    /// `summaryLetter.id` and progress notes (`<session id>/note-<n>`).
    case document
    /// Prefix of the referrer MRN systems (`.../referrer-mrn/<organization id>`).
    case referrerMRN = "referrer-mrn"
    /// Prefix of the referrer placer-id systems (`.../placer/<organization id>`).
    case placer
}

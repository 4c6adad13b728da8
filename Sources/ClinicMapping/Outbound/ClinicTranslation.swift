import FHIRModel

/// One translated resource.
public struct TranslatedResource: Sendable {
    public var resourceType: String
    /// The deterministic id: ``ResourceIdentity/id(_:_:)``.
    public var id: String
    /// The business identifier the id was derived from (`SESS-1/segment-2`).
    public var businessId: String
    /// Whether it reveals substance-use-disorder information (labels `SUD`, `42CFRPart2`).
    public var revealsSubstanceUse: Bool
    /// The typed resource tree.
    public var resource: ElementNode

    /// `Type/id`.
    public var reference: String { resourceType + "/" + id }

    /// A translated resource made outside the translator (the sync layer's clinical notes, tests).
    public init(resourceType: String, id: String, businessId: String, revealsSubstanceUse: Bool, resource: ElementNode)
    {
        self.resourceType = resourceType
        self.id = id
        self.businessId = businessId
        self.revealsSubstanceUse = revealsSubstanceUse
        self.resource = resource
    }
}

/// Something the translator did not send, and why. It names no patient data.
public struct WithheldItem: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        /// Psychotherapy notes (45 CFR 164.501) are never disclosed.
        case psychotherapyNote = "psychotherapy note: never disclosed"
        /// SUD content without an active Part 2 consent covering the recipient.
        case noCoveringPart2Consent =
            "substance use disorder content: no active 42 CFR Part 2 consent covers the recipient"
        /// SUD content and no recipient named in the options.
        case noRecipient = "substance use disorder content: no recipient named for the disclosure"
        /// Informed consent to treatment is internal only.
        case internalOnly = "internal record: not disclosed"
    }

    /// The FHIR resource type it would have become.
    public var resourceType: String
    /// The clinic business identifier (record id, or `<record id>/<part>`).
    public var businessId: String
    public var reason: Reason

    public var description: String { "\(resourceType) \(businessId): \(reason.rawValue)" }
}

/// The result of ``ClinicTranslator/translate(_:)``.
public struct ClinicTranslation: Sendable {
    /// The translated resources in a stable order (records in input order), without the Provenance.
    public var resources: [TranslatedResource] = []
    /// The Provenance of the set (nil when nothing was translated).
    public var provenance: TranslatedResource?
    /// Findings: score and dose mismatches, the PHQ-9 item-9 flag, things not translated.
    public var issues: [Issue] = []
    /// What was not sent and why.
    public var withheld: [WithheldItem] = []

    /// Every resource to send: the resources and then the Provenance.
    public var allResources: [TranslatedResource] { resources + (provenance.map { [$0] } ?? []) }

    /// The resource with this type and business id.
    public func resource(_ type: String, _ businessId: String) -> TranslatedResource? {
        allResources.first { $0.resourceType == type && $0.businessId == businessId }
    }
}

/// The translator's issue codes (`MAP-*`).
public enum MappingIssueCode {
    /// A supplied questionnaire total differs from the computed one (the computed one is used).
    public static let scoreMismatch: IssueCode = "MAP-SCORE-MISMATCH"
    /// Scored items are unanswered: no total (not prorated).
    public static let scoreIncomplete: IssueCode = "MAP-SCORE-INCOMPLETE"
    /// PHQ-9 item 9 (44260-8) above 0: safety flag.
    public static let phq9Item9: IssueCode = "MAP-PHQ9-ITEM9"
    /// A recorded segment dose differs from rate x duration beyond the tolerance.
    public static let doseMismatch: IssueCode = "MAP-DOSE-MISMATCH"
    /// Two recorded rates of one segment disagree beyond the tolerance.
    public static let rateMismatch: IssueCode = "MAP-RATE-MISMATCH"
    /// A segment or bolus whose dose in mg cannot be determined (not translated).
    public static let doseUnknown: IssueCode = "MAP-DOSE-UNKNOWN"
    /// An answer code replaced by the Questionnaire's code with the same score.
    public static let answerNormalised: IssueCode = "MAP-ANSWER-NORMALISED"
    /// A record (or part) that cannot be translated (a required link is missing).
    public static let notTranslated: IssueCode = "MAP-NOT-TRANSLATED"
    /// A translator bug: an element name the model does not know.
    public static let internalError: IssueCode = "MAP-INTERNAL"
}

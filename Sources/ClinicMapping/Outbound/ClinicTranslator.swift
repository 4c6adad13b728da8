import ClinicRecords
import FHIRModel

/// Clinic records -> FHIR R4 resources for outbound use (issue 5; the mapping of
/// `../shared/domain/ketamine-clinic-fhir-mapping.md`), typed with the R4 ``ModelInfo`` and
/// claiming our profiles (`Profiles/`).
///
/// - ids: ``ResourceIdentity`` (UUIDv5 of type and business id): translating again gives the
///   same ids, and references between resources work without the target in the batch;
/// - identifiers with the clinic's systems (``ClinicTranslationOptions/system(_:)``);
/// - `meta.security`: R + PSY on every clinical resource, + SUD, 42CFRPart2, NORDSCLCD on what
///   reveals a substance use disorder (F10-F19 referral reasons or course indications, and
///   everything derived from such a referral or course; Part 2 consents);
/// - privacy: psychotherapy notes are never translated; SUD content only with a covering consent
///   (``DisclosurePolicy``); both are listed in ``ClinicTranslation/withheld``;
/// - scores, mg/kg and doses are computed here (``QuestionnaireScoring``, ``DoseCalculator``);
/// - a Provenance for the set.
///
/// Never traps on input; messages never carry patient data.
public struct ClinicTranslator: Sendable {
    public let model: ModelInfo
    public let options: ClinicTranslationOptions

    public init(model: ModelInfo, options: ClinicTranslationOptions) {
        self.model = model
        self.options = options
    }

    public func translate(_ records: [LocatedRecord]) -> ClinicTranslation {
        guard
            UUIDv5.make(namespace: UUIDv5.dnsNamespace, name: "www.example.com")
                == "2ed6657d-e927-568b-95e1-2665a8aea6a2"
        else {
            var failed = ClinicTranslation()
            failed.issues.append(
                Issue(.fatal, MappingIssueCode.internalError, "SHA-1 (OpenSSL) is unavailable: no ids can be made"))
            return failed
        }
        var state = OutboundState(options: options, index: RecordIndex(records), model: model)
        for located in records {
            switch located.record {
            case .patient(let r): state.mapPatient(r)
            case .practitioner(let r): state.mapPractitioner(r)
            case .organization(let r): state.mapOrganization(r)
            case .referral(let r): state.mapReferral(r)
            case .consent(let r): state.mapConsent(r)
            case .treatmentCourse(let r): state.mapTreatmentCourse(r)
            case .infusionSession(let r): state.mapInfusionSession(r, located)
            case .questionnaireResponse(let r): state.mapQuestionnaireResponse(r, located)
            case .therapySession(let r): state.mapTherapySession(r)
            case .summaryLetter(let r): state.mapSummaryLetter(r, located)
            }
        }
        state.addProvenance()
        return state.translation
    }
}

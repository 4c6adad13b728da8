/// The columns of the referral CSV import (`docs/clinic-records.md`, "Referral CSV"), and where
/// each lands in the records a row becomes.
public enum ReferralCSVColumn: String, Sendable, CaseIterable {
    case referralId = "referral_id"
    case referralDate = "referral_date"
    case intent
    case status
    case placerId = "placer_id"
    case patientMrn = "patient_mrn"
    case patientFamily = "patient_family"
    case patientGiven = "patient_given"
    case birthDate = "birth_date"
    case gender
    case phone
    case addressLine = "address_line"
    case city
    case state
    case postalCode = "postal_code"
    case preferredLanguage = "preferred_language"
    case referrerMrn = "referrer_mrn"
    case referrerNpi = "referrer_npi"
    case referrerFamily = "referrer_family"
    case referrerGiven = "referrer_given"
    case referrerSpecialty = "referrer_specialty"
    case referrerPhone = "referrer_phone"
    case referrerOrgName = "referrer_org_name"
    case referrerOrgNpi = "referrer_org_npi"
    case referrerOrgPhone = "referrer_org_phone"
    case referrerOrgDirectAddress = "referrer_org_direct_address"
    case referrerOrgFhirBaseUrl = "referrer_org_fhir_base_url"
    case reasonIcd10 = "reason_icd10"
    case reasonText = "reason_text"
    case currentMedications = "current_medications"
    case failedTrials = "failed_trials"
    case notes

    /// Columns the header must have (their cells may still be empty where the record allows).
    public static let required: [ReferralCSVColumn] = [
        .referralId, .referralDate, .intent, .patientMrn, .patientFamily, .birthDate, .gender, .referrerNpi,
        .referrerFamily, .referrerOrgName, .referrerOrgNpi, .reasonIcd10,
    ]

    /// The record field paths (array indices removed) each column fills, for naming the column
    /// in problems found by the record readers.
    static let fieldPaths: [String: ReferralCSVColumn] = [
        "referral.id": .referralId, "referral.date": .referralDate, "referral.intent": .intent,
        "referral.status": .status, "referral.placerId": .placerId, "referral.patientId": .patientMrn,
        "referral.practitionerId": .referrerNpi, "referral.organizationId": .referrerOrgNpi,
        "referral.reasons": .reasonIcd10, "referral.reasons.icd10": .reasonIcd10,
        "referral.reasons.text": .reasonText, "referral.currentMedications": .currentMedications,
        "referral.failedTrialsCount": .failedTrials, "referral.notes": .notes,
        "patient.id": .patientMrn, "patient.name.family": .patientFamily, "patient.name.given": .patientGiven,
        "patient.birthDate": .birthDate, "patient.gender": .gender, "patient.telecom.value": .phone,
        "patient.address": .addressLine, "patient.address.line": .addressLine, "patient.address.city": .city,
        "patient.address.state": .state, "patient.address.postalCode": .postalCode,
        "patient.preferredLanguage": .preferredLanguage, "patient.referrerMrn.value": .referrerMrn,
        "patient.referrerMrn.organizationId": .referrerOrgNpi,
        "practitioner.id": .referrerNpi, "practitioner.npi": .referrerNpi, "practitioner.name.family": .referrerFamily,
        "practitioner.name.given": .referrerGiven, "practitioner.specialty": .referrerSpecialty,
        "practitioner.phone": .referrerPhone, "practitioner.organizationId": .referrerOrgNpi,
        "organization.id": .referrerOrgNpi, "organization.npi": .referrerOrgNpi, "organization.name": .referrerOrgName,
        "organization.phone": .referrerOrgPhone, "organization.directAddress": .referrerOrgDirectAddress,
        "organization.fhirBaseUrl": .referrerOrgFhirBaseUrl,
    ]

    /// The column behind a record field path (`referral.reasons[1].icd10` -> `reason_icd10`).
    static func column(forPath path: String) -> ReferralCSVColumn? {
        var stripped = ""
        var skipping = false
        for c in path {
            if c == "[" {
                skipping = true
            } else if c == "]" {
                skipping = false
            } else if !skipping {
                stripped.append(c)
            }
        }
        var candidate = Substring(stripped)
        while !candidate.isEmpty {
            if let column = fieldPaths[String(candidate)] { return column }
            guard let dot = candidate.lastIndex(of: ".") else { break }
            candidate = candidate[..<dot]
        }
        return nil
    }
}

/// Code systems and codes the outbound translator uses (domain document sections 2 and 6).
enum Sys {
    static let loinc = "http://loinc.org"
    static let snomed = "http://snomed.info/sct"
    static let ucum = "http://unitsofmeasure.org"
    static let icd10cm = "http://hl7.org/fhir/sid/icd-10-cm"
    static let npi = "http://hl7.org/fhir/sid/us-npi"
    static let ndc = "http://hl7.org/fhir/sid/ndc"
    /// HCPCS Level II as HL7 Terminology names it (`http`, see Profiles/README.md).
    static let hcpcs = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    static let confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
    static let roleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
    static let v20203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
    static let medAdminCategory = "http://terminology.hl7.org/CodeSystem/medication-admin-category"
    static let consentScope = "http://terminology.hl7.org/CodeSystem/consentscope"
    static let consentPolicy = "http://terminology.hl7.org/CodeSystem/consentpolicycodes"
    static let consentAction = "http://terminology.hl7.org/CodeSystem/consentaction"
    static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
    static let actReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
    static let taskCode = "http://hl7.org/fhir/CodeSystem/task-code"
    static let dataAbsent = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
    static let provenanceType = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
    static let usCoreProvenanceType = "http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type"
    static let usCoreDocumentCategory = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
    static let bcp47 = "urn:ietf:bcp:47"
    static let kapProcedures = ClinicCanonical.base + "/CodeSystem/kap-procedures"
    static let kapInstruments = ClinicCanonical.base + "/CodeSystem/kap-instruments"
}

/// Our profiles and extensions.
enum Profile {
    static func url(_ id: String) -> String { ClinicCanonical.structureDefinition(id) }
    static let infusionPhase = url("infusion-phase")
    static let weightBasedDoseRate = url("weight-based-dose-rate")
    static let pumpRate = url("pump-rate")
}

/// The routes of the record format as SNOMED CT (section 2.2; IM, nasal and sublingual are
/// secondary-verified only).
enum RouteCode {
    static func coding(_ route: String) -> (String, String, String?) {
        switch route {
        case "im": (Sys.snomed, "78421000", "Intramuscular route (qualifier value)")
        case "nasal": (Sys.snomed, "46713006", "Nasal route (qualifier value)")
        case "oral": (Sys.snomed, "26643006", "Oral route (qualifier value)")
        case "sublingual": (Sys.snomed, "37839007", "Sublingual route (qualifier value)")
        default: (Sys.snomed, "47625008", "Intravenous route (qualifier value)")
        }
    }
}

import ClinicRecords
import FHIRModel

/// Settings of the inbound referral mapping.
public struct InboundReferralOptions: Sendable {
    /// The clinic's base URL. Identifiers with the clinic's own systems
    /// (`<clinicBase>/fhir/sid/mrn`, `.../practitioner`, `.../organization`, `.../referral`, the
    /// systems the outbound translator writes) give the record ids directly; referrer MRNs in
    /// `.../referrer-mrn/<organization id>` and placer ids in `.../placer/<organization id>` are
    /// recognised too.
    public var clinicBase: String

    public init(clinicBase: String = ClinicCanonical.defaultClinicBase) {
        self.clinicBase = clinicBase
    }

    /// `<clinicBase>/fhir/sid/<kind>`.
    func system(_ kind: String) -> String {
        var base = clinicBase
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/fhir/sid/" + kind
    }
}

/// One referral read from FHIR: the four clinic records it gives.
public struct InboundReferral: Sendable, Hashable {
    public var referral: ReferralRecord
    public var patient: PatientRecord
    public var practitioner: PractitionerRecord
    public var organization: OrganizationRecord
    /// Where the ServiceRequest is (`Bundle.entry[2].resource`, or `ServiceRequest`).
    public var location: String
    /// The `meta.security` codes on the referral's resources (ServiceRequest, Patient,
    /// Conditions, Task, Bundle), kept so that incoming labels are preserved.
    public var securityLabels: [String]

    /// A reason in ICD-10-CM F10-F19: a substance use disorder.
    public var impliesSubstanceUseDisorder: Bool { referral.impliesSubstanceUseDisorder }

    /// Whether the referral is 42 CFR Part 2 material: an SUD reason, or an incoming SUD or
    /// Part 2 label (domain document 6.3: treat such packets as Part 2 until proven otherwise).
    public var requiresPart2Handling: Bool {
        impliesSubstanceUseDisorder
            || securityLabels.contains { ["SUD", "ETH", "ETHUD", "OPIOIDUD", "42CFRPart2", "NORDSCLCD"].contains($0) }
    }

    /// The records in the order they refer to each other: organization, practitioner, patient,
    /// referral.
    public var records: [ClinicRecord] {
        [.organization(organization), .practitioner(practitioner), .patient(patient), .referral(referral)]
    }
}

/// What mapping one input gave: the referrals without errors and every problem found.
public struct InboundReferralResult: Sendable {
    public var referrals: [InboundReferral]
    /// Problems of the input and of each referral (a referral with an error gives no records).
    public var issues: [Issue]

    public init(referrals: [InboundReferral] = [], issues: [Issue] = []) {
        self.referrals = referrals
        self.issues = issues
    }

    public var hasErrors: Bool { issues.contains { $0.severity <= .error } }

    /// The records of all referrals, each (kind, id) once: a patient, practitioner or
    /// organization several referrals share is kept once (the first).
    public var records: [ClinicRecord] {
        var seen: Set<String> = []
        var out: [ClinicRecord] = []
        for referral in referrals {
            for record in referral.records where seen.insert(record.kind.rawValue + "\u{0}" + record.id).inserted {
                out.append(record)
            }
        }
        return out
    }
}

import ClinicRecords
import FHIRModel

/// Patient (+ RelatedPerson for the escort), Practitioner, Organization (sections 1.1, 1.3).
extension OutboundState {
    mutating func mapPatient(_ p: PatientRecord) {
        var identifiers: [FHIRDraft?] = [
            .identifier(
                system: options.system(.mrn), value: p.id, use: "usual",
                type: .concept("type", [(Sys.v20203, "MR", "Medical record number")]))
        ]
        if let mrn = p.referrerMrn {
            identifiers.append(
                .identifier(
                    system: options.referrerMRNSystem(organizationId: mrn.organizationId), value: mrn.value,
                    use: "secondary", type: .concept("type", [(Sys.v20203, "MR", "Medical record number")]),
                    assigner: .reference("assigner", ref("Organization", mrn.organizationId))))
        }
        let address: FHIRDraft? = p.address.flatMap(Self.address)
        var language: FHIRDraft?
        if let tag = p.preferredLanguage {
            language = .e("communication", [.concept("language", [(Sys.bcp47, tag, nil)])])
        }
        var children: [FHIRDraft?] = USCorePatientExtensions.drafts(p) + identifiers
        children.append(
            .humanName(
                family: p.name.family, given: p.name.given, prefix: p.name.prefix, suffix: p.name.suffix,
                use: "official"))
        children += p.telecom.map(Self.contact)
        children += [.p("gender", p.gender.rawValue), .p("birthDate", p.birthDate.lexeme), address, language]
        emit(
            "Patient", p.id, profile: Profile.url("kap-patient"), labels: .clinical(sud: false), patientId: p.id,
            narrative: "Patient of the ketamine clinic", children)
        if let escort = p.escort { mapEscort(escort, patientId: p.id) }
    }

    private mutating func mapEscort(_ escort: PatientRecord.Escort, patientId: String) {
        let personal: (String, String)? =
            switch escort.relationship {
            case .spouse: ("SPS", "spouse")
            case .domesticPartner: ("DOMPART", "domestic partner")
            case .parent: ("PRN", "parent")
            case .child: ("CHILD", "child")
            case .sibling: ("SIB", "sibling")
            case .otherRelative: ("FAMMEMB", "family member")
            case .friend: ("FRND", "unrelated friend")
            case .caregiver, .other: nil
            }
        let relationship: [FHIRDraft?] = [
            .concept("relationship", [(Sys.roleCode, "ECON", "emergency contact")], text: "Escort after dosing"),
            personal.map { .concept("relationship", [(Sys.roleCode, $0.0, $0.1)], text: $0.1) } ?? nil,
        ]
        emit(
            "RelatedPerson", patientId + "/escort", profile: nil, labels: .clinical(sud: false), patientId: patientId,
            narrative: "Escort (driver) after ketamine dosing",
            [.p("active", "true"), .reference("patient", ref("Patient", patientId))] + relationship + [
                .humanName(
                    family: escort.name.family, given: escort.name.given, prefix: escort.name.prefix,
                    suffix: escort.name.suffix),
                .e("telecom", [.p("system", "phone"), .p("value", escort.phone)]),
            ])
    }

    mutating func mapPractitioner(_ p: PractitionerRecord) {
        var telecom: [FHIRDraft?] = []
        if let phone = p.phone {
            telecom.append(.e("telecom", [.p("system", "phone"), .p("value", phone), .p("use", "work")]))
        }
        if let email = p.email {
            telecom.append(.e("telecom", [.p("system", "email"), .p("value", email), .p("use", "work")]))
        }
        emit(
            "Practitioner", p.id, profile: Profile.url("kap-practitioner"), labels: .none, patientId: nil,
            narrative: "Practitioner",
            [
                p.npi.map { .identifier(system: Sys.npi, value: $0) } ?? nil,
                .identifier(system: options.system(.practitioner), value: p.id),
                .humanName(family: p.name.family, given: p.name.given, prefix: p.name.prefix, suffix: p.name.suffix),
            ] + telecom)
    }

    mutating func mapOrganization(_ o: OrganizationRecord) {
        var telecom: [FHIRDraft?] = []
        if let phone = o.phone {
            telecom.append(.e("telecom", [.p("system", "phone"), .p("value", phone), .p("use", "work")]))
        }
        if let direct = o.directAddress {
            telecom.append(.e("telecom", [.p("system", "email"), .p("value", direct), .p("use", "work")]))
        }
        if let url = o.fhirBaseUrl {
            telecom.append(.e("telecom", [.p("system", "url"), .p("value", url), .p("use", "work")]))
        }
        emit(
            "Organization", o.id, profile: Profile.url("kap-organization"), labels: .none, patientId: nil,
            narrative: "Organization",
            [
                o.npi.map { .identifier(system: Sys.npi, value: $0) } ?? nil,
                .identifier(system: options.system(.organization), value: o.id),
                .p("active", "true"), .p("name", o.name),
            ] + telecom + [o.address.flatMap(Self.address)])
    }

    static func address(_ a: PostalAddress) -> FHIRDraft? {
        .e(
            "address",
            a.lines.map { .p("line", $0) } + [
                .p("city", a.city), .p("state", a.state), .p("postalCode", a.postalCode), .p("country", a.country),
            ])
    }

    static func contact(_ c: ContactPoint) -> FHIRDraft? {
        .e("telecom", [.p("system", c.system.rawValue), .p("value", c.value), .p("use", c.use?.rawValue)])
    }
}

/// The US Core race, ethnicity and birth-sex extensions of a Patient.
enum USCorePatientExtensions {
    static let base = "http://hl7.org/fhir/us/core/StructureDefinition/"
    static let ombRace = "urn:oid:2.16.840.1.113883.6.238"
    static let nullFlavor = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"

    static func drafts(_ p: PatientRecord) -> [FHIRDraft?] {
        var out: [FHIRDraft?] = []
        if !p.race.isEmpty {
            let codings = p.race.map(raceCoding)
            let text = codings.map(\.2).joined(separator: ", ")
            out.append(
                .e(
                    "extension",
                    [.p("url", base + "us-core-race")]
                        + codings.map {
                            .extensionValue("ombCategory", .coding($0.0, $0.1, $0.2, name: "valueCoding"))
                        } + [.extensionValue("text", .p("valueString", text))]))
        }
        if let e = p.ethnicity {
            // US Core 3.1.0's omb-ethnicity-category has only the two OMB codes: unknown and
            // declined are sent as text alone.
            let c = ethnicityCoding(e)
            let omb: FHIRDraft? =
                c.0 == ombRace ? .extensionValue("ombCategory", .coding(c.0, c.1, c.2, name: "valueCoding")) : nil
            out.append(
                .e(
                    "extension",
                    [.p("url", base + "us-core-ethnicity"), omb, .extensionValue("text", .p("valueString", c.2))]))
        }
        if let sex = p.birthSex {
            let code = sex == .female ? "F" : sex == .male ? "M" : "UNK"
            out.append(.extensionValue(base + "us-core-birthsex", .p("valueCode", code)))
        }
        return out
    }

    static func raceCoding(_ r: PatientRecord.Race) -> (String, String, String) {
        switch r {
        case .americanIndianOrAlaskaNative: (ombRace, "1002-5", "American Indian or Alaska Native")
        case .asian: (ombRace, "2028-9", "Asian")
        case .blackOrAfricanAmerican: (ombRace, "2054-5", "Black or African American")
        case .nativeHawaiianOrOtherPacificIslander: (ombRace, "2076-8", "Native Hawaiian or Other Pacific Islander")
        case .white: (ombRace, "2106-3", "White")
        case .askedButDeclined: (nullFlavor, "ASKU", "Asked but no answer")
        case .unknown: (nullFlavor, "UNK", "Unknown")
        }
    }

    static func ethnicityCoding(_ e: PatientRecord.Ethnicity) -> (String, String, String) {
        switch e {
        case .hispanicOrLatino: (ombRace, "2135-2", "Hispanic or Latino")
        case .notHispanicOrLatino: (ombRace, "2186-5", "Not Hispanic or Latino")
        case .askedButDeclined: (nullFlavor, "ASKU", "Asked but no answer")
        case .unknown: (nullFlavor, "UNK", "Unknown")
        }
    }
}

import ClinicRecords
import FHIRModel

/// Patient, Practitioner (with its PractitionerRole) and Organization -> clinic records. Ids:
/// the clinic's own identifier when present, else `npi-<NPI>` for practitioners and
/// organizations (as the referral CSV import does), else an id derived from another identifier
/// or, for practitioners and organizations, from the entry's `fullUrl` or id.
struct InboundParties {
    let options: InboundReferralOptions
    var issues: [Issue] = []
    var errorCount = 0

    init(options: InboundReferralOptions) {
        self.options = options
    }

    mutating func error(_ code: IssueCode, _ message: String, _ path: String) {
        issues.append(Issue(.error, code, message, path: path))
        errorCount += 1
    }

    mutating func warning(_ code: IssueCode, _ message: String, _ path: String) {
        issues.append(Issue(.warning, code, message, path: path))
    }

    // MARK: Patient

    mutating func patient(_ r: InboundResource, referrerOrganizationId: String?) -> PatientRecord? {
        let p = r.node
        let mrnSystem = options.system("mrn")
        let referrerPrefix = options.system("referrer-mrn") + "/"
        var clinicMRN: String?
        var referrerMRN: (system: String, value: String, node: InboundNode)?
        var other: (system: String, value: String)?
        for identifier in p.children("identifier") {
            guard let value = identifier.value("value"), let system = identifier.value("system") else { continue }
            if system == mrnSystem {
                if InboundValueRules.isIdentifier(value) {
                    clinicMRN = clinicMRN ?? value
                } else {
                    error(.inboundInvalidValue, "the clinic MRN does not have the id form", identifier.path + ".value")
                }
                continue
            }
            let typedMR = (identifier.child("type")?.codings ?? []).contains {
                $0.value("code") == "MR" && ($0.value("system") ?? InboundCodes.v20203) == InboundCodes.v20203
            }
            if referrerMRN == nil && (typedMR || system.hasPrefix(referrerPrefix)) {
                referrerMRN = (system, value, identifier)
            }
            if other == nil { other = (system, value) }
        }
        let id: String?
        if let clinicMRN {
            id = clinicMRN
        } else if let key = referrerMRN.map({ ($0.system, $0.value) }) ?? other {
            id = InboundValueRules.derivedId("pt-", key.0 + "|" + key.1)
        } else {
            error(
                .inboundMissing, "the patient has no identifier with a system and a value (an MRN)",
                p.path + ".identifier")
            id = nil
        }
        var mrn: PatientRecord.ReferrerMRN?
        if let referrerMRN, let organizationId = referrerOrganizationId {
            if InboundValueRules.isIdentifier(referrerMRN.value) {
                mrn = .init(value: referrerMRN.value, organizationId: organizationId)
            } else {
                warning(
                    .inboundInvalidValue, "the referrer's MRN does not have the clinic's id form and is not kept",
                    referrerMRN.node.path + ".value")
            }
        }
        let name = personName(p, required: true)
        let birthDate = readBirthDate(p)
        let gender = readGender(p)
        let address = readAddress(p)
        let telecom = readTelecom(p)
        let demographics = InboundDemographics.read(p, parties: &self)
        guard let id, let name, let birthDate, let gender else { return nil }
        return PatientRecord(
            id: id, name: name, birthDate: birthDate, gender: gender, address: address, telecom: telecom,
            referrerMrn: mrn, race: demographics.race, ethnicity: demographics.ethnicity,
            birthSex: demographics.birthSex, preferredLanguage: demographics.language)
    }

    private mutating func readBirthDate(_ p: InboundNode) -> FHIRDate? {
        guard let node = p.child("birthDate"), let text = node.primitive else {
            error(.inboundMissing, "the patient has no birth date", p.path + ".birthDate")
            return nil
        }
        guard text.utf8.count == 10, let date = FHIRDate(text), date.precision == .day else {
            error(.inboundInvalidValue, "the birth date must be a full date (YYYY-MM-DD)", node.path)
            return nil
        }
        guard date.year >= 1900 else {
            error(.inboundImpossibleValue, "a birth date before 1900 is not plausible", node.path)
            return nil
        }
        return date
    }

    private mutating func readGender(_ p: InboundNode) -> PatientRecord.Gender? {
        guard let node = p.child("gender"), let text = node.primitive else {
            error(.inboundMissing, "the patient has no gender", p.path + ".gender")
            return nil
        }
        guard let gender = PatientRecord.Gender(rawValue: text) else {
            error(.inboundInvalidValue, "not an administrative-gender code", node.path)
            return nil
        }
        return gender
    }

    // MARK: Practitioner and organization

    mutating func practitioner(_ r: InboundResource, role: InboundResource?, organizationId: String?)
        -> PractitionerRecord?
    {
        let p = r.node
        let id = partyId(r, clinicSystem: options.system("practitioner"), prefix: "pr-", what: "practitioner")
        let npi = readNPI(p)
        let name = personName(p, required: true)
        var specialty: String?
        for concept in role?.node.children("specialty") ?? [] {
            for coding in concept.codings where coding.value("system") == InboundCodes.nucc {
                guard let code = coding.value("code") else { continue }
                if InboundValueRules.isNUCC(code) {
                    specialty = specialty ?? code
                } else {
                    error(.inboundInvalidValue, "not a NUCC taxonomy code", coding.path + ".code")
                }
            }
        }
        let telecom = readTelecom(p) + (role.map { readTelecom($0.node) } ?? [])
        guard let id, let name else { return nil }
        return PractitionerRecord(
            id: id, npi: npi, name: name, specialty: specialty,
            phone: telecom.first { $0.system == .phone }?.value, email: telecom.first { $0.system == .email }?.value,
            organizationId: organizationId)
    }

    mutating func organization(_ r: InboundResource, resolver: InboundResolver) -> OrganizationRecord? {
        let o = r.node
        let id = partyId(r, clinicSystem: options.system("organization"), prefix: "org-", what: "organization")
        let npi = readNPI(o)
        let name = o.value("name")
        if name == nil { error(.inboundMissing, "the organization has no name", o.path + ".name") }
        let address = readAddress(o)
        let phone = readTelecom(o).first { $0.system == .phone }?.value
        var fhirBaseUrl: String?
        var directAddress: String?
        for reference in o.children("endpoint") {
            guard case .success(let endpoint) = resolver.resolve(reference, from: r, types: ["Endpoint"]) else {
                warning(.inboundReference, "an endpoint not in the input is not imported", reference.path)
                continue
            }
            let type = endpoint.node.child("connectionType")?.value("code")
            guard let node = endpoint.node.child("address"), let address = node.primitive else { continue }
            if type == "hl7-fhir-rest" {
                if InboundValueRules.isHTTPSURL(address) {
                    fhirBaseUrl = fhirBaseUrl ?? address
                } else {
                    error(.inboundInvalidValue, "a FHIR endpoint address must be an https:// URL", node.path)
                }
            } else if type == "direct-project" {
                let direct = address.hasPrefix("mailto:") ? String(address.dropFirst(7)) : address
                if InboundValueRules.isEmail(direct) {
                    directAddress = directAddress ?? direct
                } else {
                    error(.inboundInvalidValue, "a Direct address must have the form name@domain", node.path)
                }
            }
        }
        guard let id, let name else { return nil }
        return OrganizationRecord(
            id: id, npi: npi, name: name, address: address, phone: phone, fhirBaseUrl: fhirBaseUrl,
            directAddress: directAddress)
    }

    /// The clinic identifier, else `npi-<NPI>`, else derived from another identifier, the
    /// `fullUrl` or the id (for a contained resource: the container's `fullUrl` or id and its own).
    private mutating func partyId(_ r: InboundResource, clinicSystem: String, prefix: String, what: String) -> String? {
        var other: String?
        for identifier in r.node.children("identifier") {
            guard let value = identifier.value("value") else { continue }
            let system = identifier.value("system") ?? ""
            if system == clinicSystem && InboundValueRules.isIdentifier(value) { return value }
            if other == nil && !system.isEmpty { other = system + "|" + value }
        }
        if let npi = npiValue(r.node), InboundValueRules.isNPI(npi) { return "npi-" + npi }
        if let other { return InboundValueRules.derivedId(prefix, other) }
        if let fullUrl = r.fullUrl { return InboundValueRules.derivedId(prefix, fullUrl) }
        if let id = r.id {
            let key = r.containerKey.map { $0 + "#" + id } ?? (r.type + "/" + id)
            return InboundValueRules.derivedId(prefix, key)
        }
        error(.inboundMissing, "nothing identifies the \(what) (no identifier, fullUrl or id)", r.path + ".identifier")
        return nil
    }

    private func npiValue(_ node: InboundNode) -> String? {
        node.children("identifier").first { $0.value("system") == InboundCodes.npi }?.value("value")
    }

    /// The NPI identifier, checked (10 digits and the Luhn check digit).
    private mutating func readNPI(_ node: InboundNode) -> String? {
        guard let identifier = node.children("identifier").first(where: { $0.value("system") == InboundCodes.npi }),
            let value = identifier.value("value")
        else { return nil }
        guard InboundValueRules.isNPI(value) else {
            error(.inboundInvalidValue, "not a valid NPI (10 digits with a check digit)", identifier.path + ".value")
            return nil
        }
        return value
    }
}

/// `"kind": "practitioner"`: a referring psychiatrist or a clinic practitioner (prescriber,
/// nurse, therapist).
public struct PractitionerRecord: Sendable, Hashable {
    public var id: String
    public var npi: String?
    public var name: PersonName
    /// NUCC taxonomy code (psychiatry `2084P0800X`).
    public var specialty: String?
    public var phone: String?
    public var email: String?
    /// The `organization` record the practitioner works for.
    public var organizationId: String?

    public init(
        id: String, npi: String? = nil, name: PersonName, specialty: String? = nil, phone: String? = nil,
        email: String? = nil, organizationId: String? = nil
    ) {
        self.id = id
        self.npi = npi
        self.name = name
        self.specialty = specialty
        self.phone = phone
        self.email = email
        self.organizationId = organizationId
    }

    static func read(_ f: Fields) -> PractitionerRecord? {
        let id = f.identifier("id", required: true)
        let npi = f.formatted("npi", .npi)
        let name = f.object("name", required: true, PersonName.read)
        let specialty = f.formatted("specialty", .nuccTaxonomy)
        let phone = f.formatted("phone", .phone)
        let email = f.formatted("email", .email)
        let organizationId = f.identifier("organizationId")
        guard let id, let name else { return nil }
        return PractitionerRecord(
            id: id, npi: npi, name: name, specialty: specialty, phone: phone, email: email,
            organizationId: organizationId)
    }
}

/// `"kind": "organization"`: a referring practice or the clinic itself, with the endpoints the
/// gateway sends documents to.
public struct OrganizationRecord: Sendable, Hashable {
    public var id: String
    public var npi: String?
    public var name: String
    public var address: PostalAddress?
    public var phone: String?
    /// The FHIR base URL of the organization's EHR.
    public var fhirBaseUrl: String?
    /// The Direct secure messaging address.
    public var directAddress: String?

    public init(
        id: String, npi: String? = nil, name: String, address: PostalAddress? = nil, phone: String? = nil,
        fhirBaseUrl: String? = nil, directAddress: String? = nil
    ) {
        self.id = id
        self.npi = npi
        self.name = name
        self.address = address
        self.phone = phone
        self.fhirBaseUrl = fhirBaseUrl
        self.directAddress = directAddress
    }

    static func read(_ f: Fields) -> OrganizationRecord? {
        let id = f.identifier("id", required: true)
        let npi = f.formatted("npi", .npi)
        let name = f.string("name", required: true)
        let address = f.object("address", PostalAddress.read)
        let phone = f.formatted("phone", .phone)
        let fhirBaseUrl = f.formatted("fhirBaseUrl", .httpsURL)
        let directAddress = f.formatted("directAddress", .email)
        guard let id, let name else { return nil }
        return OrganizationRecord(
            id: id, npi: npi, name: name, address: address, phone: phone, fhirBaseUrl: fhirBaseUrl,
            directAddress: directAddress)
    }
}

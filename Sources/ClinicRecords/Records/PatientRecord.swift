import FHIRModel

/// `"kind": "patient"`: demographics, the clinic MRN (`id`), the referrer's MRN and the escort
/// who drives the patient home after a dose.
public struct PatientRecord: Sendable, Hashable {
    public enum Gender: String, Sendable, CaseIterable { case male, female, other, unknown }
    public enum BirthSex: String, Sendable, CaseIterable { case female, male, unknown }
    /// OMB race categories (US Core race extension; codes in urn:oid:2.16.840.1.113883.6.238).
    public enum Race: String, Sendable, CaseIterable {
        case americanIndianOrAlaskaNative = "american-indian-or-alaska-native"
        case asian
        case blackOrAfricanAmerican = "black-or-african-american"
        case nativeHawaiianOrOtherPacificIslander = "native-hawaiian-or-other-pacific-islander"
        case white
        case askedButDeclined = "asked-but-declined"
        case unknown
    }
    /// OMB ethnicity categories (US Core ethnicity extension).
    public enum Ethnicity: String, Sendable, CaseIterable {
        case hispanicOrLatino = "hispanic-or-latino"
        case notHispanicOrLatino = "not-hispanic-or-latino"
        case askedButDeclined = "asked-but-declined"
        case unknown
    }

    /// The patient's MRN at the referring organization.
    public struct ReferrerMRN: Sendable, Hashable {
        public var value: String
        /// The `organization` record that assigned it.
        public var organizationId: String

        public init(value: String, organizationId: String) {
            self.value = value
            self.organizationId = organizationId
        }
    }

    /// The escort or driver (a RelatedPerson, relationship ECON plus the personal relationship).
    public struct Escort: Sendable, Hashable {
        public enum Relationship: String, Sendable, CaseIterable {
            case spouse, parent, child, sibling, friend, other
            case domesticPartner = "domestic-partner"
            case otherRelative = "other-relative"
            case caregiver
        }
        public var name: PersonName
        public var relationship: Relationship
        public var phone: String

        public init(name: PersonName, relationship: Relationship, phone: String) {
            self.name = name
            self.relationship = relationship
            self.phone = phone
        }
    }

    /// The clinic MRN.
    public var id: String
    public var name: PersonName
    public var birthDate: FHIRDate
    public var gender: Gender
    public var address: PostalAddress?
    public var telecom: [ContactPoint]
    public var referrerMrn: ReferrerMRN?
    public var escort: Escort?
    public var race: [Race]
    public var ethnicity: Ethnicity?
    public var birthSex: BirthSex?
    /// A language tag (`en`, `es-US`).
    public var preferredLanguage: String?

    public init(
        id: String, name: PersonName, birthDate: FHIRDate, gender: Gender, address: PostalAddress? = nil,
        telecom: [ContactPoint] = [], referrerMrn: ReferrerMRN? = nil, escort: Escort? = nil, race: [Race] = [],
        ethnicity: Ethnicity? = nil, birthSex: BirthSex? = nil, preferredLanguage: String? = nil
    ) {
        self.id = id
        self.name = name
        self.birthDate = birthDate
        self.gender = gender
        self.address = address
        self.telecom = telecom
        self.referrerMrn = referrerMrn
        self.escort = escort
        self.race = race
        self.ethnicity = ethnicity
        self.birthSex = birthSex
        self.preferredLanguage = preferredLanguage
    }

    static func read(_ f: Fields) -> PatientRecord? {
        let id = f.identifier("id", required: true)
        let name = f.object("name", required: true, PersonName.read)
        let birthDate = f.date("birthDate", required: true)
        let gender = f.code("gender", Gender.self, required: true)
        let address = f.object("address", PostalAddress.read)
        let telecom = f.objects("telecom") { g, _ in ContactPoint.read(g) } ?? []
        let referrerMrn = f.object("referrerMrn") { g -> ReferrerMRN? in
            let value = g.identifier("value", required: true)
            let organizationId = g.identifier("organizationId", required: true)
            guard let value, let organizationId else { return nil }
            return ReferrerMRN(value: value, organizationId: organizationId)
        }
        let escort = f.object("escort") { g -> Escort? in
            let name = g.object("name", required: true, PersonName.read)
            let relationship = g.code("relationship", Escort.Relationship.self, required: true)
            let phone = g.formatted("phone", .phone, required: true)
            guard let name, let relationship, let phone else { return nil }
            return Escort(name: name, relationship: relationship, phone: phone)
        }
        let race = f.codes("race", Race.self) ?? []
        let ethnicity = f.code("ethnicity", Ethnicity.self)
        let birthSex = f.code("birthSex", BirthSex.self)
        let language = f.formatted("preferredLanguage", .languageTag)
        if let birthDate, birthDate.year < 1900 {
            f.fail("birthDate", .recordImpossibleValue, "a birth date before 1900 is not plausible")
        }
        guard let id, let name, let birthDate, let gender else { return nil }
        return PatientRecord(
            id: id, name: name, birthDate: birthDate, gender: gender, address: address, telecom: telecom,
            referrerMrn: referrerMrn, escort: escort, race: race, ethnicity: ethnicity, birthSex: birthSex,
            preferredLanguage: language)
    }
}

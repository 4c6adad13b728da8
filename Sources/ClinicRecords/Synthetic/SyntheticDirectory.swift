import FHIRModel

/// The practitioners and organizations every synthetic patient's records refer to: the clinic,
/// its staff (prescribers, nurses, therapists) and a pool of referring practices with their
/// psychiatrists. Made once per seed; written before the patients' records.
struct SyntheticDirectory: Sendable {
    struct Referrer: Sendable {
        var practitionerId: String
        var organizationId: String
    }

    static let clinicId = "ORG-CLINIC"
    static let prescriberIds = ["PR-MD-1", "PR-MD-2"]
    static let nurseIds = ["PR-RN-1", "PR-RN-2", "PR-RN-3"]
    static let therapistIds = ["PR-TH-1", "PR-TH-2", "PR-TH-3"]
    static let practiceCount = 6
    static let psychiatristsPerPractice = 3

    var records: [ClinicRecord] = []
    var referrers: [Referrer] = []

    init(seed: UInt64) {
        var rng = SplitMix64.stream(seed: seed, index: UInt64.max)
        records.append(
            .organization(
                OrganizationRecord(
                    id: Self.clinicId, npi: Self.npi(&rng), name: "Example Ketamine Clinic (synthetic)",
                    address: PostalAddress(
                        lines: ["1 Example Plaza"], city: "Durham", state: "NC", postalCode: "27701"),
                    phone: "+1 919-555-0100", fhirBaseUrl: "https://fhir.clinic.example.org/r4",
                    directAddress: "records@direct.clinic.example.org")))
        let staff: [(ids: [String], specialty: String?, prefix: String?)] = [
            (Self.prescriberIds, "2084P0800X", "Dr."), (Self.nurseIds, "163W00000X", nil),
            (Self.therapistIds, "101YP2500X", nil),
        ]
        for group in staff {
            for id in group.ids {
                records.append(
                    .practitioner(
                        PractitionerRecord(
                            id: id, npi: Self.npi(&rng), name: Self.personName(&rng, prefix: group.prefix),
                            specialty: group.specialty, phone: Self.phone(&rng, area: "919"),
                            organizationId: Self.clinicId)))
            }
        }
        for p in 1...Self.practiceCount {
            let orgId = "ORG-REF-" + SyntheticDay.pad(p, 2)
            let name = SyntheticVocabulary.practiceNames[(p - 1) % SyntheticVocabulary.practiceNames.count]
            let slug = String(name.lowercased().map { $0 == " " ? "-" : $0 })
            let city = rng.pick(SyntheticVocabulary.cities)
            records.append(
                .organization(
                    OrganizationRecord(
                        id: orgId, npi: Self.npi(&rng), name: name + " (synthetic)",
                        address: PostalAddress(
                            lines: [String(rng.int(100...999)) + " " + rng.pick(SyntheticVocabulary.streets)],
                            city: city.city, state: "NC", postalCode: city.zip + SyntheticDay.pad(rng.int(0...99), 2)),
                        phone: Self.phone(&rng, area: rng.pick(SyntheticVocabulary.areaCodes)),
                        fhirBaseUrl: "https://ehr." + slug + ".example.org/fhir/r4",
                        directAddress: "referrals@direct." + slug + ".example.org")))
            for d in 1...Self.psychiatristsPerPractice {
                let id = "PR-REF-" + SyntheticDay.pad(p, 2) + "-" + String(d)
                let name = Self.personName(&rng, prefix: "Dr.")
                records.append(
                    .practitioner(
                        PractitionerRecord(
                            id: id, npi: Self.npi(&rng), name: name, specialty: "2084P0800X",
                            phone: Self.phone(&rng, area: rng.pick(SyntheticVocabulary.areaCodes)),
                            email: id.lowercased() + "@" + slug + ".example.org", organizationId: orgId)))
                referrers.append(Referrer(practitionerId: id, organizationId: orgId))
            }
        }
    }

    /// A fictitious NPI: a 1 or 2, eight random digits, and the Luhn check digit over `80840`
    /// and the first nine.
    static func npi(_ rng: inout SplitMix64) -> String {
        var digits = [rng.int(1...2)]
        for _ in 0..<8 { digits.append(rng.int(0...9)) }
        return digits.map(String.init).joined() + String(npiCheckDigit(digits))
    }

    /// The NPI check digit of nine digits (Luhn with the `80840` prefix).
    static func npiCheckDigit(_ nine: [Int]) -> Int {
        let values = [8, 0, 8, 4, 0] + nine
        var sum = 0
        // The check digit will be appended, so the last of these is doubled.
        for (i, d) in values.reversed().enumerated() {
            if i % 2 == 0 {
                let doubled = d * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += d
            }
        }
        return (10 - sum % 10) % 10
    }

    static func personName(_ rng: inout SplitMix64, prefix: String? = nil, female: Bool? = nil) -> PersonName {
        let list: [String]
        switch female {
        case .some(true): list = SyntheticVocabulary.givenFemale
        case .some(false): list = SyntheticVocabulary.givenMale
        case .none:
            list = SyntheticVocabulary.givenFemale + SyntheticVocabulary.givenMale + SyntheticVocabulary.givenNeutral
        }
        return PersonName(
            family: rng.pick(SyntheticVocabulary.familyNames), given: [rng.pick(list)], prefix: prefix)
    }

    /// A phone number in the fictional 555-0100..0199 range.
    static func phone(_ rng: inout SplitMix64, area: String) -> String {
        "+1 " + area + "-555-01" + SyntheticDay.pad(rng.int(0...99), 2)
    }
}

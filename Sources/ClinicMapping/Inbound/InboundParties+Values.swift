import ClinicRecords
import FHIRModel

/// HumanName, Address and ContactPoint -> the record value types, with the format's checks.
extension InboundParties {
    /// The official name (else the usual, else the first); a family name is required.
    mutating func personName(_ node: InboundNode, required: Bool) -> PersonName? {
        let names = node.children("name")
        guard
            let name = names.first(where: { $0.value("use") == "official" })
                ?? names.first(where: { $0.value("use") == "usual" }) ?? names.first
        else {
            if required { error(.inboundMissing, "no name", node.path + ".name") }
            return nil
        }
        guard let family = name.value("family") else {
            error(.inboundMissing, "the name has no family name", name.path + ".family")
            return nil
        }
        return PersonName(
            family: family, given: name.children("given").compactMap(\.primitive),
            prefix: name.children("prefix").first?.primitive, suffix: name.children("suffix").first?.primitive)
    }

    /// The home address (else the first); left out when it has no line, city or postal code.
    mutating func readAddress(_ node: InboundNode) -> PostalAddress? {
        let addresses = node.children("address")
        guard let a = addresses.first(where: { $0.value("use") == "home" }) ?? addresses.first else { return nil }
        let lines = a.children("line").compactMap(\.primitive)
        let city = a.value("city")
        var state = a.value("state")
        var postalCode = a.value("postalCode")
        if let s = state, !InboundValueRules.isUSState(s) {
            error(.inboundInvalidValue, "the state must be a two-letter code", a.path + ".state")
            state = nil
        }
        if let z = postalCode, !InboundValueRules.isZIP(z) {
            error(
                .inboundInvalidValue, "the postal code must be a ZIP code (5 digits, optionally -4)",
                a.path + ".postalCode")
            postalCode = nil
        }
        guard !lines.isEmpty || city != nil || postalCode != nil else { return nil }
        return PostalAddress(
            lines: lines, city: city, state: state, postalCode: postalCode, country: a.value("country"))
    }

    /// Phone, fax, SMS and e-mail contact points (others are not part of the records).
    mutating func readTelecom(_ node: InboundNode) -> [ContactPoint] {
        var out: [ContactPoint] = []
        for t in node.children("telecom") {
            guard let systemText = t.value("system"), let system = ContactPoint.System(rawValue: systemText),
                let value = t.value("value")
            else { continue }
            let valid = system == .email ? InboundValueRules.isEmail(value) : InboundValueRules.isPhone(value)
            guard valid else {
                let rule = system == .email ? "an address name@domain.tld" : "a phone number of 10-15 digits"
                error(.inboundInvalidValue, "must be \(rule)", t.path + ".value")
                continue
            }
            out.append(ContactPoint(system: system, value: value, use: t.value("use").flatMap(ContactPoint.Use.init)))
        }
        return out
    }
}

/// The US Core race, ethnicity and birth sex extensions and the preferred language.
struct InboundDemographics {
    var race: [PatientRecord.Race] = []
    var ethnicity: PatientRecord.Ethnicity?
    var birthSex: PatientRecord.BirthSex?
    var language: String?

    static let raceCodes: [String: PatientRecord.Race] = [
        "1002-5": .americanIndianOrAlaskaNative, "2028-9": .asian, "2054-5": .blackOrAfricanAmerican,
        "2076-8": .nativeHawaiianOrOtherPacificIslander, "2106-3": .white, "ASKU": .askedButDeclined,
        "UNK": .unknown,
    ]
    static let ethnicityCodes: [String: PatientRecord.Ethnicity] = [
        "2135-2": .hispanicOrLatino, "2186-5": .notHispanicOrLatino, "ASKU": .askedButDeclined, "UNK": .unknown,
    ]

    static func read(_ p: InboundNode, parties: inout InboundParties) -> InboundDemographics {
        var d = InboundDemographics()
        for ext in p.children("extension") {
            switch ext.value("url") {
            case InboundCodes.usCoreRace:
                for category in ext.children("extension") where category.value("url") == "ombCategory" {
                    guard let code = category.choice("value", "Coding")?.value("code") else { continue }
                    if let race = raceCodes[code] {
                        if !d.race.contains(race) { d.race.append(race) }
                    } else {
                        parties.error(.inboundInvalidValue, "not an OMB race category", category.path + ".value")
                    }
                }
            case InboundCodes.usCoreEthnicity:
                for category in ext.children("extension") where category.value("url") == "ombCategory" {
                    guard let code = category.choice("value", "Coding")?.value("code") else { continue }
                    if let ethnicity = ethnicityCodes[code] {
                        d.ethnicity = d.ethnicity ?? ethnicity
                    } else {
                        parties.error(.inboundInvalidValue, "not an OMB ethnicity category", category.path + ".value")
                    }
                }
            case InboundCodes.usCoreBirthSex:
                switch ext.choice("value", "Code")?.primitive {
                case "F": d.birthSex = .female
                case "M": d.birthSex = .male
                case "UNK": d.birthSex = .unknown
                case nil: break
                default: parties.error(.inboundInvalidValue, "birth sex must be F, M or UNK", ext.path + ".value")
                }
            default:
                break
            }
        }
        let communication = p.children("communication")
        if let preferred = communication.first(where: { $0.value("preferred") == "true" }) ?? communication.first,
            let coding = preferred.child("language")?.codings.first(where: {
                ($0.value("system") ?? InboundCodes.bcp47) == InboundCodes.bcp47
            }),
            let code = coding.value("code")
        {
            if InboundValueRules.isLanguageTag(code) {
                d.language = code
            } else {
                parties.error(.inboundInvalidValue, "not a language tag such as en or es-US", coding.path + ".code")
            }
        }
        return d
    }
}

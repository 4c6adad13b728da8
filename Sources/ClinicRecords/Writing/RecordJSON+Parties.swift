import FHIRJSON
import FHIRModel

/// The JSON form of each record kind, field by field in the documented order. Shared value
/// types (names, addresses, quantities) are here too; care and session records are in the
/// other `RecordJSON+*.swift` files.
enum RecordJSON {
    static func patient(_ r: PatientRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("name", name(r.name))
        o.add("birthDate", r.birthDate)
        o.add("gender", code: r.gender)
        o.add("address", r.address.map(address))
        o.add("telecom", objects: r.telecom.map(contactPoint))
        o.add(
            "referrerMrn",
            r.referrerMrn.map { mrn in
                RecordObject.make {
                    $0.add("value", mrn.value)
                    $0.add("organizationId", mrn.organizationId)
                }
            })
        o.add(
            "escort",
            r.escort.map { escort in
                RecordObject.make {
                    $0.add("name", name(escort.name))
                    $0.add("relationship", code: escort.relationship)
                    $0.add("phone", escort.phone)
                }
            })
        o.add("race", codes: r.race)
        o.add("ethnicity", code: r.ethnicity)
        o.add("birthSex", code: r.birthSex)
        o.add("preferredLanguage", r.preferredLanguage)
    }

    static func practitioner(_ r: PractitionerRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("npi", r.npi)
        o.add("name", name(r.name))
        o.add("specialty", r.specialty)
        o.add("phone", r.phone)
        o.add("email", r.email)
        o.add("organizationId", r.organizationId)
    }

    static func organization(_ r: OrganizationRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("npi", r.npi)
        o.add("name", r.name)
        o.add("address", r.address.map(address))
        o.add("phone", r.phone)
        o.add("fhirBaseUrl", r.fhirBaseUrl)
        o.add("directAddress", r.directAddress)
    }

    // MARK: Shared value types

    static func name(_ n: PersonName) -> JSONValue {
        RecordObject.make {
            $0.add("family", n.family)
            $0.add("given", strings: n.given)
            $0.add("prefix", n.prefix)
            $0.add("suffix", n.suffix)
        }
    }

    static func address(_ a: PostalAddress) -> JSONValue {
        RecordObject.make {
            $0.add("line", strings: a.lines)
            $0.add("city", a.city)
            $0.add("state", a.state)
            $0.add("postalCode", a.postalCode)
            $0.add("country", a.country)
        }
    }

    static func contactPoint(_ c: ContactPoint) -> JSONValue {
        RecordObject.make {
            $0.add("system", code: c.system)
            $0.add("value", c.value)
            $0.add("use", code: c.use)
        }
    }

    static func reason(_ r: ReasonCode) -> JSONValue {
        RecordObject.make {
            $0.add("icd10", r.icd10)
            $0.add("text", r.text)
        }
    }

    static func quantity(_ q: RecordQuantity) -> JSONValue {
        RecordObject.make {
            $0.add("value", q.value)
            $0.add("unit", code: q.unit)
        }
    }

    static func quantity(_ value: FHIRDecimal?, _ unit: RecordUnit) -> JSONValue? {
        value.map { quantity(RecordQuantity(value: $0, unit: unit)) }
    }

    static func period(_ p: DatePeriod) -> JSONValue {
        RecordObject.make {
            $0.add("start", p.start)
            $0.add("end", p.end)
        }
    }
}

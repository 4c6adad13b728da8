import FHIRJSON
import FHIRModel

/// The infusion session in its JSON form: product, weight, segments, boluses, nasal devices,
/// vitals and side effects.
extension RecordJSON {
    static func infusionSession(_ r: InfusionSessionRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("patientId", r.patientId)
        o.add("courseId", r.courseId)
        o.add("route", code: r.route)
        o.add("start", r.start)
        o.add("end", r.end)
        o.add("status", code: r.status)
        o.add("statusReason", r.statusReason)
        o.add(
            "performers",
            objects: r.performers.map { p in
                RecordObject.make {
                    $0.add("practitionerId", p.practitionerId)
                    $0.add("role", code: p.role)
                }
            })
        switch r.product {
        case .bag(let drugMg, let volumeMl, let diluent, let vialNdc):
            o.add(
                "bag",
                RecordObject.make {
                    $0.add("drugMg", drugMg)
                    $0.add("volumeMl", volumeMl)
                    $0.add("diluent", diluent)
                    $0.add("vialNdc", vialNdc)
                })
        case .device(let ndc, let description):
            o.add(
                "device",
                RecordObject.make {
                    $0.add("ndc", ndc)
                    $0.add("description", description)
                })
        }
        o.add(
            "bodyWeight",
            r.bodyWeight.map { w in
                RecordObject.make {
                    $0.add("quantity", quantity(w.quantity))
                    $0.add("measuredAt", w.measuredAt)
                }
            })
        o.add("administrations", objects: r.administrations.map(segment))
        o.add(
            "boluses",
            objects: r.boluses.map { b in
                RecordObject.make {
                    $0.add("time", b.time)
                    $0.add("dose", quantity(b.dose))
                }
            })
        o.add(
            "nasalDevices",
            objects: r.nasalDevices.map { d in
                RecordObject.make {
                    $0.add("time", d.time)
                    $0.add("doseMg", d.doseMg)
                }
            })
        o.add("vitals", objects: r.vitals.map(vitals))
        o.add("sideEffects", objects: r.sideEffects.map(sideEffect))
    }

    static func segment(_ s: InfusionSessionRecord.Segment) -> JSONValue {
        RecordObject.make {
            $0.add("start", s.start)
            $0.add("end", s.end)
            let rates = [
                quantity(s.rateMgPerKgPerHour, .mgPerKgPerHour), quantity(s.rateMgPerHour, .mgPerHour),
                quantity(s.pumpRateMlPerHour, .mLPerHour),
            ]
            $0.add("rates", objects: rates.compactMap { $0 })
            $0.add("dose", quantity(s.doseMg, .mg))
        }
    }

    static func vitals(_ v: InfusionSessionRecord.VitalSigns) -> JSONValue {
        RecordObject.make {
            $0.add("time", v.time)
            $0.add("phase", code: v.phase)
            $0.add("systolicMmHg", v.systolicMmHg)
            $0.add("diastolicMmHg", v.diastolicMmHg)
            $0.add("heartRatePerMin", v.heartRatePerMin)
            $0.add("spo2Percent", v.spo2Percent)
            $0.add("respiratoryRatePerMin", v.respiratoryRatePerMin)
            $0.add("temperatureCel", v.temperatureCel)
        }
    }

    static func sideEffect(_ e: InfusionSessionRecord.SideEffect) -> JSONValue {
        RecordObject.make {
            $0.add("time", e.time)
            $0.add("findingCode", code: e.finding)
            $0.add("findingText", e.findingText)
            $0.add("severity", code: e.severity)
            $0.add("action", code: e.action)
            $0.add("actionText", e.actionText)
        }
    }
}

/// Generates collection Bundles for the validation scaling benchmark: groups of a Patient, an
/// Encounter for that patient and Observations about both, every entry with a `urn:uuid:`
/// fullUrl and every reference pointing at an earlier entry of the same Bundle. The content is
/// synthetic (no real person), deterministic, and valid against the R4 core definitions.
enum ValidateBenchBundle {
    /// A Bundle of `entries` entries as compact FHIR JSON.
    static func make(entries: Int) -> [UInt8] {
        var out = #"{"resourceType":"Bundle","id":"bench-\#(entries)","type":"collection","entry":["#
        out.reserveCapacity(entries * 420)
        var patient = ""
        var encounter = ""
        for i in 0..<entries {
            if i > 0 { out += "," }
            let url = uuid(i)
            switch i % 5 {
            case 0:
                patient = url
                out += entry(url, patientJSON(i))
            case 1:
                encounter = url
                out += entry(url, encounterJSON(i, patient: patient))
            default:
                out += entry(url, observationJSON(i, patient: patient, encounter: encounter))
            }
        }
        out += "]}"
        return Array(out.utf8)
    }

    private static func entry(_ url: String, _ resource: String) -> String {
        #"{"fullUrl":"\#(url)","resource":\#(resource)}"#
    }

    /// `urn:uuid:` + a version-4-shaped UUID derived from the index.
    static func uuid(_ i: Int) -> String {
        let hex = String(UInt64(i) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        let head = padded.prefix(8)
        let tail = padded.suffix(8)
        let index = String(i, radix: 16)
        let node = String(repeating: "0", count: max(0, 12 - index.count)) + index
        return "urn:uuid:\(head)-\(tail.prefix(4))-4\(tail.suffix(3))-8000-\(node.suffix(12))"
    }

    private static func narrative(_ text: String) -> String {
        #""text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">\#(text)</div>"}"#
    }

    private static func patientJSON(_ i: Int) -> String {
        let gender = ["female", "male", "other", "unknown"][i / 5 % 4]
        let day = 1 + i % 28
        let dayText = day < 10 ? "0\(day)" : "\(day)"
        return #"{"resourceType":"Patient","id":"p\#(i)",\#(narrative("Synthetic patient \(i)")),"#
            + #""identifier":[{"system":"urn:oid:1.2.36.146.595.217.0.1","value":"MRN\#(i)"}],"active":true,"#
            + #""name":[{"use":"official","family":"Synthetic","given":["Test\#(i)"]}],"gender":"\#(gender)","#
            + #""birthDate":"19\#(50 + i % 50)-0\#(1 + i % 9)-\#(dayText)"}"#
    }

    private static func encounterJSON(_ i: Int, patient: String) -> String {
        #"{"resourceType":"Encounter","id":"e\#(i)",\#(narrative("Visit \(i)")),"status":"finished","#
            + #""class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"#
            + #""subject":{"reference":"\#(patient)"},"#
            + #""period":{"start":"2024-03-01T09:00:00Z","end":"2024-03-01T10:00:00Z"}}"#
    }

    private static func observationJSON(_ i: Int, patient: String, encounter: String) -> String {
        #"{"resourceType":"Observation","id":"o\#(i)",\#(narrative("Heart rate \(i)")),"status":"final","#
            + #""category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","#
            + #""code":"vital-signs"}]}],"#
            + #""code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"#
            + #""subject":{"reference":"\#(patient)"},"encounter":{"reference":"\#(encounter)"},"#
            + #""effectiveDateTime":"2024-03-01T09:30:00Z","#
            + #""valueQuantity":{"value":\#(60 + i % 40),"unit":"beats/minute","system":"http://unitsofmeasure.org","#
            + #""code":"/min"}}"#
    }
}

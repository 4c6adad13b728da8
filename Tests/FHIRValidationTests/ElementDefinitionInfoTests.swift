import FHIRJSON
import Testing

@testable import FHIRValidation

@Suite struct ElementDefinitionInfoTests {
    @Test func readsTypedFields() throws {
        let json = try JSONValue.parse(
            """
            {"id":"Observation.code.coding:loinc","path":"Observation.code.coding","sliceName":"loinc","min":1,"max":"1",
             "type":[{"code":"Coding","profile":["http://x/p"]}],"patternCoding":{"system":"http://loinc.org"},
             "fixedUri":"http://u","maxLength":5,"minValueInteger":3,
             "binding":{"strength":"required","valueSet":"http://vs"},
             "constraint":[{"key":"k-1","severity":"warning","human":"h","expression":"true"}],
             "slicing":{"discriminator":[{"type":"value","path":"system"}],"ordered":true,"rules":"closed"}}
            """)
        let e = ElementDefinitionInfo(json: json)
        #expect(e.sliceName == "loinc")
        #expect(e.min == 1 && e.maxCount == 1)
        #expect(e.types.first?.profiles == ["http://x/p"])
        #expect(e.pattern?.type == "Coding")
        #expect(e.fixed?.type == "uri")
        #expect(e.minValue?.type == "integer")
        #expect(e.maxLength == 5)
        #expect(e.binding?.strength == .required)
        #expect(e.constraints.first?.severity == "warning")
        #expect(e.slicing?.rules == .closed && e.slicing?.ordered == true)
        #expect(e.name == "coding" && e.baseName == "coding" && !e.isChoice)
        let choice = ElementDefinitionInfo(json: .object(JSONObject([("path", .string("Observation.value[x]"))])))
        #expect(choice.name == "value[x]" && choice.baseName == "value" && choice.isChoice)
    }

    @Test func childIndexFollowsPaths() {
        let paths: [(String, String?)] = [
            ("Patient", nil), ("Patient.identifier", nil), ("Patient.identifier.system", nil),
            ("Patient.identifier", "mrn"), ("Patient.identifier.system", nil), ("Patient.name", nil),
        ]
        let elements = paths.map { p, s in
            var pairs: [(String, JSONValue)] = [("path", .string(p))]
            if let s { pairs.append(("sliceName", .string(s))) }
            return ElementDefinitionInfo(json: .object(JSONObject(pairs)))
        }
        let profile = ResolvedProfile(
            definition: StructureDefinitionInfo(json: .object(JSONObject())), elements: elements)
        #expect(profile.children(of: 0) == [1, 3, 5])
        #expect(profile.children(of: 1) == [2])
        #expect(profile.children(of: 3) == [4])
    }
}

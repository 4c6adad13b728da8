import FHIRDefinitions
import Testing

@Suite(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage)) struct LocalTerminologyTests {
    let terminology = LocalTerminology(store: CoreFixture.store)

    @Test func listedConcepts() {
        let vs = "http://hl7.org/fhir/ValueSet/name-v3-representation"
        #expect(
            terminology.isMember(system: "http://terminology.hl7.org/CodeSystem/v3-EntityNameUse", code: "IDE", of: vs)
                == true)
        #expect(terminology.isMember(system: nil, code: "SYL", of: vs) == true)
        #expect(terminology.isMember(system: nil, code: "XYZ", of: vs) == false)
        // The right code in the wrong system is not a member.
        #expect(terminology.isMember(system: "http://example.org/cs", code: "IDE", of: vs) == false)
    }

    @Test func wholeCodeSystemsAndExtraConcepts() {
        let vs = "http://hl7.org/fhir/ValueSet/marital-status"
        #expect(
            terminology.isMember(system: "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", code: "M", of: vs)
                == true)
        #expect(
            terminology.isMember(system: "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", code: "UNK", of: vs)
                == true)
        // Only UNK is taken from NullFlavor.
        #expect(
            terminology.isMember(system: "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", code: "NI", of: vs)
                == false)
        #expect(terminology.isMember(system: nil, code: "M", of: vs + "|4.0.1") == true)
    }

    @Test func unknownWhenNotExpandableLocally() {
        // LOINC is not available locally: no guess.
        #expect(
            terminology.isMember(
                system: "http://loinc.org", code: "1234-5", of: "http://hl7.org/fhir/ValueSet/observation-codes") == nil
        )
        #expect(terminology.isMember(system: nil, code: "a", of: "http://example.org/ValueSet/missing") == nil)
    }
}

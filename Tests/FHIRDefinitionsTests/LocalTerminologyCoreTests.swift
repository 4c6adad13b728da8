import FHIRDefinitions
import Testing

/// Membership, lookups and code system status over the R4 core value sets and code systems.
@Suite(.enabled(if: CoreFixture.isInstalled, CoreFixture.skipMessage)) struct LocalTerminologyCoreTests {
    let terminology = LocalTerminology(store: CoreFixture.store)
    static let gender = "http://hl7.org/fhir/administrative-gender"
    static let roleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
    static let actMood = "http://terminology.hl7.org/CodeSystem/v3-ActMood"

    @Test func wholeCodeSystemIncludes() {
        let vs = "http://hl7.org/fhir/ValueSet/administrative-gender"
        #expect(terminology.membership(system: Self.gender, code: "male", valueSet: vs) == .member)
        #expect(terminology.membership(system: nil, code: "unknown", valueSet: vs) == .member)
        #expect(terminology.membership(system: Self.gender, code: "boy", valueSet: vs) == .notMember)
        // A version that is not held falls back to the one that is.
        #expect(terminology.membership(system: Self.gender, code: "male", valueSet: vs + "|9.9.9") == .member)
        // The code system is case-sensitive.
        #expect(terminology.membership(system: Self.gender, code: "Male", valueSet: vs) == .notMember)
        // The right code in another system is not a member.
        #expect(terminology.membership(system: "http://example.org/cs", code: "male", valueSet: vs) == .notMember)

        let status = "http://hl7.org/fhir/ValueSet/observation-status"
        #expect(terminology.membership(system: nil, code: "final", valueSet: status) == .member)
        #expect(terminology.membership(system: nil, code: "completed", valueSet: status) == .notMember)
        // `corrected` is nested under `amended`.
        #expect(terminology.membership(system: nil, code: "corrected", valueSet: status) == .member)
        #expect(terminology.expansion(of: status)?.codes["http://hl7.org/fhir/observation-status"]?.count == 8)
    }

    @Test func isAFilterOverNestedConcepts() {
        let vs = "http://terminology.hl7.org/ValueSet/v3-FamilyMember"
        #expect(terminology.membership(system: Self.roleCode, code: "FAMMEMB", valueSet: vs) == .member)
        #expect(terminology.membership(system: Self.roleCode, code: "SIB", valueSet: vs) == .member)
        // Four levels down: FAMMEMB > SIB > BRO > NBRO > TWINBRO > FTWINBRO.
        #expect(terminology.membership(system: Self.roleCode, code: "FTWINBRO", valueSet: vs) == .member)
        // A RoleCode outside the FAMMEMB tree.
        #expect(terminology.membership(system: Self.roleCode, code: "_CitizenRoleType", valueSet: vs) == .notMember)
        let expansion = terminology.expansion(of: vs)
        #expect(expansion?.codes[Self.roleCode]?.contains("HBRO") == true)
        #expect(expansion?.codes[Self.roleCode]?.contains("_AffiliationRoleType") == false)
    }

    @Test func descendentOfExcludesTheRoot() {
        // `inactive` has a stale expansion (three codes); its compose decides first.
        let vs = "http://hl7.org/fhir/ValueSet/inactive"
        #expect(terminology.membership(system: Self.actMood, code: "CRT", valueSet: vs) == .member)
        #expect(terminology.membership(system: Self.actMood, code: "PRMS.CRT", valueSet: vs) == .member)
        #expect(terminology.membership(system: Self.actMood, code: "_ActMoodPredicate", valueSet: vs) == .notMember)
        #expect(terminology.membership(system: Self.actMood, code: "EVN", valueSet: vs) == .notMember)
        // is-a keeps the root, which this value set then excludes by concept.
        let isA = "http://terminology.hl7.org/ValueSet/v3-ActMoodPredicate"
        #expect(terminology.membership(system: Self.actMood, code: "GOL", valueSet: isA) == .member)
        #expect(terminology.membership(system: Self.actMood, code: "_ActMoodPredicate", valueSet: isA) == .notMember)
    }

    @Test func isNotAFilter() {
        let vs = "http://hl7.org/fhir/ValueSet/patient-contactrelationship"
        let v2 = "http://terminology.hl7.org/CodeSystem/v2-0131"
        #expect(terminology.membership(system: v2, code: "C", valueSet: vs) == .member)
        #expect(terminology.membership(system: v2, code: "N", valueSet: vs) == .member)
        #expect(terminology.membership(system: v2, code: "O", valueSet: vs) == .notMember)
        #expect(terminology.membership(system: v2, code: "ZZZ", valueSet: vs) == .notMember)
    }

    @Test func codeSystemsNotHeldAreUnknown() {
        let routes = "http://hl7.org/fhir/ValueSet/route-codes"
        #expect(
            terminology.membership(system: "http://snomed.info/sct", code: "26643006", valueSet: routes)
                == .unknown(.codeSystemNotHeld("http://snomed.info/sct")))
        // A system the value set does not draw from is certainly not a member.
        #expect(terminology.membership(system: Self.gender, code: "male", valueSet: routes) == .notMember)
        #expect(terminology.isMember(system: "http://snomed.info/sct", code: "26643006", of: routes) == nil)
        #expect(terminology.expansion(of: routes) == nil)
        #expect(
            terminology.membership(system: nil, code: "x", valueSet: "http://example.org/ValueSet/none")
                == .unknown(.valueSetNotFound("http://example.org/ValueSet/none")))
    }

    @Test func grammarBasedSystemsRejectMalformedCodesOnly() {
        let mime = "http://hl7.org/fhir/ValueSet/mimetypes"
        #expect(terminology.membership(system: nil, code: "application/fhir+json", valueSet: mime).isMember == nil)
        #expect(terminology.membership(system: nil, code: "text/plain; charset=UTF-8", valueSet: mime).isMember == nil)
        #expect(terminology.membership(system: nil, code: "[%payloadFormat%]", valueSet: mime) == .notMember)
        #expect(terminology.membership(system: nil, code: "json", valueSet: mime) == .notMember)
        // Parameter values are read loosely.
        let dicom = "application/dicom; variant=DICOM QIDO-RS"
        #expect(terminology.membership(system: nil, code: dicom, valueSet: mime).isMember == nil)
        #expect(terminology.membership(system: nil, code: "text/plain; =x", valueSet: mime) == .notMember)

        let currencies = "http://hl7.org/fhir/ValueSet/currencies"
        #expect(terminology.membership(system: nil, code: "EUR", valueSet: currencies).isMember == nil)
        #expect(terminology.membership(system: nil, code: "euro", valueSet: currencies) == .notMember)

        let languages = "http://hl7.org/fhir/ValueSet/all-languages"
        #expect(terminology.membership(system: nil, code: "de-CH", valueSet: languages).isMember == nil)
        #expect(terminology.membership(system: nil, code: "not a tag", valueSet: languages) == .notMember)
        // The `languages` value set lists its codes: decided without the code system.
        #expect(
            terminology.membership(system: nil, code: "en-US", valueSet: "http://hl7.org/fhir/ValueSet/languages")
                == .member)

        let ucum = "http://hl7.org/fhir/ValueSet/ucum-units"
        #expect(terminology.membership(system: nil, code: "mg/dL", valueSet: ucum).isMember == nil)
        #expect(terminology.membership(system: nil, code: "mg/(dL", valueSet: ucum) == .notMember)

        // iso3166-1-3 is a regex filter on a system that is not held.
        let alpha3 = "http://hl7.org/fhir/ValueSet/iso3166-1-3"
        #expect(terminology.membership(system: nil, code: "DEU", valueSet: alpha3).isMember == nil)
        #expect(terminology.membership(system: nil, code: "DE", valueSet: alpha3) == .notMember)
        #expect(
            terminology.membership(system: nil, code: "D", valueSet: "http://hl7.org/fhir/ValueSet/iso3166-1-2")
                == .notMember)
    }

    @Test func codeSystemStatusAndLookup() throws {
        #expect(terminology.codeSystemStatus(Self.gender) == .complete)
        #expect(terminology.codeSystemStatus("http://terminology.hl7.org/CodeSystem/insurance-plan-type") == .fragment)
        #expect(terminology.codeSystemStatus("http://snomed.info/sct") == .notHeld)
        #expect(terminology.codeSystemStatus("http://example.org/nothing") == .notHeld)

        let male = try #require(terminology.lookup(system: Self.gender, code: "male"))
        #expect(male.display == "Male")
        #expect(male.hasDisplay("  male "))
        #expect(!male.hasDisplay("Female"))
        // Designations count as displays.
        let contact = try #require(
            terminology.lookup(system: "http://terminology.hl7.org/CodeSystem/v2-0131", code: "C"))
        #expect(contact.designations.contains { $0.language == "de" })
        #expect(contact.hasDisplay("Ansprechpartner in Notfällen"))
        // Not in a held complete system vs. not held.
        #expect(terminology.lookup(system: Self.gender, code: "boy") == nil)
        #expect(terminology.lookup(system: "http://snomed.info/sct", code: "26643006") == nil)
        #expect(terminology.validateCode(system: Self.gender, code: "boy") == .notMember)
        #expect(terminology.validateCode(system: Self.gender, code: "female") == .member)
        #expect(
            terminology.validateCode(system: "http://snomed.info/sct", code: "1")
                == .unknown(.codeSystemNotHeld("http://snomed.info/sct")))
    }

    @Test func fragmentsAreOnlyPositive() {
        let system = "http://terminology.hl7.org/CodeSystem/insurance-plan-type"
        #expect(terminology.validateCode(system: system, code: "dental") == .member)
        #expect(terminology.validateCode(system: system, code: "orthodontic") == .unknown(.codeSystemFragment(system)))
    }

    @Test func valueSetSystems() {
        #expect(
            terminology.codeSystems(ofValueSet: "http://hl7.org/fhir/ValueSet/marital-status")
                == [
                    "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
                    "http://terminology.hl7.org/CodeSystem/v3-NullFlavor",
                ])
    }

    @Test func concurrentUseGivesTheSameAnswers() async {
        let terminology = LocalTerminology(store: CoreFixture.store)
        let answers = await withTaskGroup(of: LocalTerminology.Membership.self) { group in
            for i in 0..<32 {
                group.addTask {
                    terminology.membership(
                        system: Self.roleCode, code: i % 2 == 0 ? "BRO" : "_CitizenRoleType",
                        valueSet: "http://terminology.hl7.org/ValueSet/v3-FamilyMember")
                }
            }
            var out: [LocalTerminology.Membership] = []
            for await answer in group { out.append(answer) }
            return out
        }
        #expect(answers.filter { $0 == .member }.count == 16)
        #expect(answers.filter { $0 == .notMember }.count == 16)
    }
}

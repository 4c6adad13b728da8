import ClinicMapping
import ClinicRecords
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRXML
import Testing

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct InboundReferralTests {
    @Test func transactionBundleGivesTwoReferrals() throws {
        let result = try InboundFixtures.map("transaction-bundle.json")
        #expect(!result.hasErrors, "\(result.summary)")
        #expect(result.referrals.count == 2)
        let first = try #require(result.referrals.first)
        #expect(first.location == "Bundle.entry[4].resource")
        #expect(first.referral.placerId == "TPA-SR-99812")
        #expect(first.referral.id.hasPrefix("ref-") && first.referral.id.count == 20)
        #expect(first.referral.date == FHIRDate("2026-02-20"))
        #expect(first.referral.intent == .order)
        #expect(first.referral.status == .received, "the Task's status wins")
        #expect(
            first.referral.reasons == [
                ReasonCode(
                    icd10: "F33.2", text: "Major depressive disorder, recurrent severe without psychotic features")
            ])
        #expect(first.referral.notes == "Three failed SSRI/SNRI trials. Please evaluate for IV ketamine.")
        #expect(first.referral.currentMedications == ["sertraline 200 mg daily"])
        #expect(!first.impliesSubstanceUseDisorder && !first.requiresPart2Handling)

        #expect(first.practitioner.id == "npi-1234567893")
        #expect(first.practitioner.npi == "1234567893")
        #expect(first.practitioner.name == PersonName(family: "Example", given: ["Jordan"], prefix: "Dr."))
        #expect(first.practitioner.specialty == "2084P0800X")
        #expect(first.practitioner.phone == "919-555-0150")
        #expect(first.practitioner.email == "j.example@triangle-psych.example.org")
        #expect(first.practitioner.organizationId == "npi-1456789019")

        #expect(first.organization.id == "npi-1456789019")
        #expect(first.organization.name == "Triangle Psychiatry Associates (synthetic)")
        #expect(first.organization.fhirBaseUrl == "https://ehr.triangle-psych.example.org/fhir/r4")
        #expect(first.organization.directAddress == "referrals@direct.triangle-psych.example.org")
        #expect(first.organization.address?.postalCode == "27601-1234")

        let patient = first.patient
        #expect(patient.id.hasPrefix("pt-"), "no clinic MRN yet: an id derived from the referrer's MRN")
        #expect(patient.referrerMrn == PatientRecord.ReferrerMRN(value: "E7654321", organizationId: "npi-1456789019"))
        #expect(patient.name == PersonName(family: "Testcase", given: ["Ana", "Maria"]))
        #expect(patient.birthDate == FHIRDate("1984-07-19") && patient.gender == .female)
        #expect(patient.preferredLanguage == "es-US")
        #expect(patient.telecom == [ContactPoint(system: .phone, value: "+1 919-555-0101", use: .mobile)])
        #expect(patient.address?.city == "Durham")

        let second = result.referrals[1]
        #expect(second.referral.id == "REF-2026-0051")
        #expect(second.patient.id == "MRN-000124")
        #expect(second.referral.intent == .proposal && second.referral.status == .requested)
        #expect(second.referral.reasons.map(\.icd10) == ["F33.2", "F10.20"], "F332 gets its dot")
        #expect(second.referral.reasons.first?.text == "Recurrent major depression")
        #expect(second.impliesSubstanceUseDisorder && second.requiresPart2Handling)
        #expect(second.securityLabels == ["42CFRPart2"])
        // The practitioner and organization are shared: the records hold them once.
        #expect(result.records.count == 6)
        #expect(result.records.filter { $0.kind == .practitioner }.count == 1)
    }

    @Test func messageBundleFollowsTheHeadersFocus() throws {
        let result = try InboundFixtures.map("message-bundle.json")
        #expect(!result.hasErrors, "\(result.summary)")
        let referral = try #require(result.referrals.first)
        #expect(result.referrals.count == 1)
        #expect(referral.location == "Bundle.entry[1].resource")
        #expect(referral.referral.reasons.map(\.icd10) == ["F43.12", "F33.1"])
        #expect(referral.referral.reasons[1].text == "Recurrent depression, moderate")
        #expect(referral.referral.notes == "PTSD with comorbid depression.\nPatient prefers morning appointments.")
        #expect(referral.referral.date == FHIRDate("2026-03-31"))
        #expect(referral.referral.status == .requested)
        #expect(referral.referral.placerId == "PMC-77-1201")
        #expect(referral.practitioner.id == "npi-1987654328" && referral.organization.id == "npi-1567890128")
        #expect(referral.practitioner.specialty == "2084P0800X")
        #expect(referral.patient.race == [.blackOrAfricanAmerican])
        #expect(referral.patient.ethnicity == .notHispanicOrLatino)
        #expect(referral.patient.birthSex == .male)
        #expect(referral.patient.referrerMrn?.value == "PMC-445566")
        #expect(referral.securityLabels == ["R"], "the Bundle's labels are kept")
        #expect(!referral.requiresPart2Handling)
    }

    @Test func collectionBundleUsesTheClinicsOwnIdentifiers() throws {
        let result = try InboundFixtures.map("collection-bundle.json")
        #expect(!result.hasErrors, "\(result.summary)")
        let referral = try #require(result.referrals.first)
        #expect(referral.referral.id == "REF-2026-0077")
        #expect(referral.referral.status == .completed)
        #expect(referral.patient.id == "MRN-000200")
        #expect(
            referral.patient.referrerMrn == PatientRecord.ReferrerMRN(value: "CB-1002", organizationId: "ORG-COAST"))
        #expect(referral.patient.gender == .other)
        #expect(referral.practitioner.id == "PR-REF-7", "the Practitioner's PractitionerRole gives the organization")
        #expect(referral.practitioner.organizationId == "ORG-COAST")
        #expect(referral.organization.id == "ORG-COAST")
        #expect(referral.referral.reasons == [ReasonCode(icd10: "F31.32", text: "Bipolar depression")])
    }

    @Test func singleServiceRequestWithContainedResources() throws {
        let result = try InboundFixtures.map("servicerequest-contained.json")
        #expect(!result.hasErrors, "\(result.summary)")
        let referral = try #require(result.referrals.first)
        #expect(referral.location == "ServiceRequest")
        #expect(referral.patient.name.family == "Notreal")
        #expect(referral.practitioner.id == "npi-1765432103")
        #expect(referral.organization.id.hasPrefix("org-"), "no identifier: derived from the container and id")
        #expect(referral.referral.date == FHIRDate("2026-05-04"))
        #expect(referral.impliesSubstanceUseDisorder, "F11.20 is a substance use disorder")
        #expect(referral.referral.id == InboundReferralMapper().map(referralTree()).referrals.first?.referral.id)
    }

    /// The contained fixture parsed again: the same input gives the same ids.
    private func referralTree() -> ElementNode {
        guard let bytes = try? InboundFixtures.bytes("servicerequest-contained.json"),
            let model = try? TestSupport.coreModel(), let parsed = try? FHIRJSONReader(model: model).read(bytes)
        else { return ElementNode(name: "none") }
        return parsed.root
    }

    @Test func xmlGivesTheSameReferralsAsJSON() throws {
        let model = try TestSupport.coreModel()
        for name in ["message-bundle.json", "transaction-bundle.json", "servicerequest-contained.json"] {
            let json = try InboundFixtures.map(name)
            let tree = try FHIRJSONReader(model: model).read(try InboundFixtures.bytes(name)).root
            let xml = try FHIRXMLWriter(model: model).write(tree)
            let fromXML = InboundReferralMapper().map(xml, model: model, fileName: "x.xml")
            #expect(!fromXML.hasErrors, "\(name): \(fromXML.summary)")
            #expect(fromXML.referrals == json.referrals, "\(name)")
            #expect(!fromXML.referrals.isEmpty)
        }
    }

    @Test func everyMappedRecordReadsCleanlyAsAClinicRecord() throws {
        var all: [ClinicRecord] = []
        for name in [
            "transaction-bundle.json", "message-bundle.json", "collection-bundle.json", "servicerequest-contained.json",
        ] {
            all += try InboundFixtures.map(name).records
        }
        #expect(all.count == 6 + 4 + 4 + 4)
        let read = ClinicRecordReader().read(ClinicRecordWriter().ndjson(all), fileName: "inbound.ndjson")
        #expect(read.issues.isEmpty, "\(read.issues.map(\.description))")
        #expect(read.records.map(\.record) == all)
        let batch = ClinicRecordBatchChecker.check(read.records)
        #expect(batch.isEmpty, "\(batch.map(\.description))")
    }

    @Test func theSampleReferralBundleImportsCleanly() throws {
        let path = TestSupport.repoRoot + "/Samples/referral-bundle.json"
        let result = InboundReferralMapper().map(
            try FileBytes.read(path), model: try TestSupport.coreModel(), fileName: "referral-bundle.json")
        // One referral (ICD-10-CM reason, a PractitionerRole with its Organization as requester):
        // its patient, practitioner, organization and referral records, and no error.
        #expect(result.errorKeys.isEmpty, "\(result.summary)")
        #expect(result.referrals.count == 1)
        #expect(result.records.count == 4)
        #expect(result.issues.allSatisfy { $0.file == "referral-bundle.json" })
    }
}

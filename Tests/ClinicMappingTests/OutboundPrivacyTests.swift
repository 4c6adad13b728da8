import ClinicMapping
import FHIRGateTesting
import FHIRModel
import Testing

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct OutboundPrivacyTests {
    static let sud = "https://fhirgate.dev/fhir/StructureDefinition/"

    static func securityCodes(_ r: TranslatedResource) -> [String] {
        OutboundFixtures.values(r.resource, "meta.security.code")
    }

    @Test func psychotherapyNotesAreNeverTranslated() throws {
        let t = try OutboundFixtures.translate(["plain-patient.json", "sud-patient.json"])
        let withheld = t.withheld.filter { $0.reason == .psychotherapyNote }
        #expect(Set(withheld.map(\.businessId)) == ["THER-2026-03-11/note-2", "THER-2026-04-03/note-2"])
        #expect(t.resource("DocumentReference", "THER-2026-04-03/note-2") == nil)
        let progress = try #require(t.resource("DocumentReference", "THER-2026-04-03/note-1"))
        #expect(Self.securityCodes(progress) == ["R", "PSY", "MH"])
        // No text of a psychotherapy note anywhere in the output.
        let writer = ClinicOutputWriter(model: try TestSupport.coreModel())
        for r in t.allResources {
            let json = String(decoding: try writer.write(r.resource, as: .json), as: UTF8.self)
            #expect(!json.contains(Base64.encode("Kept apart.")) && !json.contains("Kept apart"))
        }
    }

    @Test func sudContentGoesOutWithACoveringConsent() throws {
        let t = try OutboundFixtures.translate(["sud-patient.json"], recipient: .practitioner("PR-REF-1"))
        #expect(t.withheld.allSatisfy { $0.reason == .psychotherapyNote })
        let referral = try #require(t.resource("ServiceRequest", "REF-2026-0042"))
        #expect(Self.securityCodes(referral) == ["R", "PSY", "SUD", "42CFRPart2", "NORDSCLCD"])
        let segment = try #require(t.resource("MedicationAdministration", "SESS-2026-03-10/segment-1"))
        #expect(segment.revealsSubstanceUse)
        let patient = try #require(t.resource("Patient", "MRN-000123"))
        #expect(Self.securityCodes(patient) == ["R", "PSY"])
        let practitioner = try #require(t.resource("Practitioner", "PR-REF-1"))
        #expect(Self.securityCodes(practitioner).isEmpty)
        let provenance = try #require(t.provenance)
        #expect(Self.securityCodes(provenance).contains("42CFRPart2"))
    }

    @Test func anOrganizationConsentCoversItsPractitioners() throws {
        let t = try OutboundFixtures.translate(["sud-patient.json"], recipient: .organization("ORG-TRIANGLE"))
        #expect(t.resource("ServiceRequest", "REF-2026-0042") != nil)
    }

    @Test func sudContentIsWithheldWithoutConsentOrRecipient() throws {
        for recipient in [DisclosureRecipient.practitioner("PR-MD-1"), .organization("CLINIC")] {
            let t = try OutboundFixtures.translate(["sud-patient.json"], recipient: recipient)
            #expect(t.resource("ServiceRequest", "REF-2026-0042") == nil)
            #expect(t.resource("Encounter", "SESS-2026-03-10") == nil)
            #expect(t.resource("Patient", "MRN-000123") != nil)
            #expect(t.allResources.allSatisfy { !$0.revealsSubstanceUse })
            let reasons = Set(t.withheld.map(\.reason))
            #expect(reasons == [.noCoveringPart2Consent, .psychotherapyNote])
            #expect(
                t.withheld.contains {
                    $0.resourceType == "MedicationAdministration" && $0.businessId == "SESS-2026-03-10/segment-1"
                })
        }
        let none = try OutboundFixtures.translate(["sud-patient.json"], recipient: nil)
        #expect(none.withheld.contains { $0.reason == .noRecipient })
        #expect(none.resource("Consent", "CONS-2026-0007") == nil)
    }

    @Test func anExpiredOrNotYetValidConsentDoesNotCover() throws {
        for time in ["2027-03-02T12:00:00Z", "2026-02-27T12:00:00Z"] {
            let t = try OutboundFixtures.translate(["sud-patient.json"], at: time)
            #expect(t.resource("ServiceRequest", "REF-2026-0042") == nil, "\(time)")
            #expect(t.withheld.contains { $0.reason == .noCoveringPart2Consent })
        }
        // The last day of the period is still covered.
        let lastDay = try OutboundFixtures.translate(["sud-patient.json"], at: "2027-03-01T23:00:00-05:00")
        #expect(lastDay.resource("ServiceRequest", "REF-2026-0042") != nil)
    }

    @Test func contentWithoutSUDGoesOutWithoutAPart2Consent() throws {
        let t = try OutboundFixtures.translate(["plain-patient.json"], recipient: nil)
        #expect(t.resource("Encounter", "SESS-2026-04-02-N") != nil)
        #expect(t.withheld.map(\.reason).allSatisfy { $0 == .psychotherapyNote || $0 == .internalOnly })
        #expect(t.withheld.contains { $0.businessId == "CONS-2026-0012" && $0.reason == .internalOnly })
        let referral = try #require(t.resource("ServiceRequest", "REF-2026-0051"))
        #expect(Self.securityCodes(referral) == ["R", "PSY"])
        // Withheld items describe themselves without patient data.
        for item in t.withheld { #expect(!item.description.contains("Sample")) }
    }
}

import ClinicMapping
import ClinicRecords
import FHIRGateTesting
import FHIRModel
import Testing

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct InboundBrokenTests {
    @Test func oneBadReferralDoesNotStopTheOthers() throws {
        let result = try InboundFixtures.map("broken-transaction.json")
        #expect(result.referrals.map(\.location) == ["Bundle.entry[4].resource"], "\(result.summary)")
        #expect(
            result.errorKeys == [
                // No subject, requester or reason.
                "INB-MISSING Bundle.entry[5].resource.subject",
                "INB-MISSING Bundle.entry[5].resource.requester",
                "INB-MISSING Bundle.entry[5].resource.reasonCode",
                // A subject that is not in the Bundle, a Practitioner without an organization and
                // with a bad NPI, a SNOMED-only reason and a malformed ICD-10-CM code.
                "INB-REFERENCE Bundle.entry[7].resource.subject.reference",
                "INB-MISSING Bundle.entry[7].resource.requester",
                "INB-INVALID-VALUE Bundle.entry[6].resource.identifier[0].value",
                "INB-CODE-SYSTEM Bundle.entry[7].resource.reasonCode[0].coding",
                "INB-INVALID-VALUE Bundle.entry[7].resource.reasonCode[1].coding[0].code",
                // Born after the referral.
                "INB-IMPOSSIBLE-VALUE Bundle.entry[9].resource.birthDate",
                // A requester of the wrong type.
                "INB-REFERENCE Bundle.entry[10].resource.requester.reference",
            ], "\(result.summary)")
        #expect(result.issues.allSatisfy { $0.file == "broken-transaction.json" })
    }

    @Test func messagesNeverQuotePatientData() throws {
        var issues: [FHIRModel.Issue] = []
        for name in ["broken-transaction.json", "broken-message-event.json"] {
            issues += try InboundFixtures.map(name).issues
        }
        issues += try InboundFixtures.map(text: Self.everythingWrong).issues
        #expect(issues.count >= 12)
        let values = [
            "Dummington", "Grace", "MRN-000901", "1972-08-14", "Fictivo", "1234567890", "Madeupski", "SH-31337",
            "2030-01-01", "33.2X", "370143000", "9a000000", "Mockridge", "PMC-445566", "1979-02-03",
            "message-events", "Invalidia", "North Carolina", "2770", "not-a-phone", "3F.2",
        ]
        for issue in issues {
            let text = issue.description
            for value in values { #expect(!text.contains(value), "\(text) quotes an input value") }
        }
    }

    @Test func aMessageWithAnotherEventSystemIsRefused() throws {
        let result = try InboundFixtures.map("broken-message-event.json")
        #expect(result.referrals.isEmpty)
        #expect(result.errorKeys == ["INB-CODE-SYSTEM Bundle.entry[0].resource.event.system"], "\(result.summary)")
    }

    @Test func aMessageMustBeAReferralEventWithAHeaderFirst() throws {
        let message = try InboundFixtures.text("message-bundle.json")
        let otherEvent = try InboundFixtures.map(
            text: message.replacingFirst("\"code\": \"I12\"", with: "\"code\": \"A01\""))
        #expect(
            otherEvent.errorKeys == ["INB-UNSUPPORTED Bundle.entry[0].resource.event.code"], "\(otherEvent.summary)")
        let noFocus = try InboundFixtures.map(
            text: message.replacingFirst(
                "\"focus\": [{ \"reference\": \"ServiceRequest/sr-1\" }]",
                with: "\"focus\": [{ \"reference\": \"ServiceRequest/nope\" }]"))
        #expect(
            noFocus.errorKeys == ["INB-REFERENCE Bundle.entry[0].resource.focus[0].reference"], "\(noFocus.summary)")
        #expect(noFocus.referrals.isEmpty)
        let asCollection = try InboundFixtures.map(
            text: message.replacingFirst("\"type\": \"message\"", with: "\"type\": \"collection\""))
        #expect(!asCollection.hasErrors && asCollection.referrals.count == 1, "a collection takes every ServiceRequest")
        let searchset = try InboundFixtures.map(
            text: message.replacingFirst("\"type\": \"message\"", with: "\"type\": \"searchset\""))
        #expect(searchset.errorKeys == ["INB-UNSUPPORTED Bundle.type"])
    }

    @Test func otherResourcesAndEmptyBundlesAreReported() throws {
        let patient = try InboundFixtures.map(
            text: #"{"resourceType": "Patient", "name": [{"family": "Invalidia"}]}"#)
        #expect(patient.errorKeys == ["INB-UNSUPPORTED Patient"])
        let empty = try InboundFixtures.map(text: #"{"resourceType": "Bundle", "type": "transaction"}"#)
        #expect(empty.errorKeys == ["INB-MISSING Bundle.entry"])
        let notJSON = try InboundFixtures.map(text: "{ \"resourceType\": ")
        #expect(notJSON.referrals.isEmpty && notJSON.issues.first?.severity == .fatal)
    }

    @Test func valuesOfTheWrongFormAreErrorsAtTheirLocation() throws {
        let result = try InboundFixtures.map(text: Self.everythingWrong)
        #expect(result.referrals.isEmpty)
        #expect(
            result.errorKeys == [
                "INB-INVALID-VALUE ServiceRequest.contained[0].address[0].state",
                "INB-INVALID-VALUE ServiceRequest.contained[0].address[0].postalCode",
                "INB-INVALID-VALUE ServiceRequest.contained[0].telecom[0].value",
                "INB-INVALID-VALUE ServiceRequest.contained[0].birthDate",
                "INB-INVALID-VALUE ServiceRequest.intent",
                "INB-INVALID-VALUE ServiceRequest.reasonCode[0].coding[0].code",
                "INB-MISSING ServiceRequest.authoredOn",
                "INB-MISSING ServiceRequest.contained[1].name[0].family",
            ], "\(result.summary)")
    }

    @Test func aReferralThatIsEnteredInErrorIsNotImported() throws {
        let text = try InboundFixtures.text("servicerequest-contained.json")
        let result = try InboundFixtures.map(
            text: text.replacingFirst("\"status\": \"active\"", with: "\"status\": \"entered-in-error\""))
        #expect(result.referrals.isEmpty)
        #expect(result.errorKeys == ["INB-INVALID-VALUE ServiceRequest.status"])
    }

    @Test func theSameReferralTwiceIsADuplicate() throws {
        let text = try InboundFixtures.text("collection-bundle.json")
        let start = try #require(
            text.firstRange(of: "    {\n      \"fullUrl\": \"urn:uuid:4d1e6c3a-0003-4f2b-8c11-000000000001\""))
        let entry = text[start.lowerBound...]
        let firstEntry = String(entry[..<(try #require(entry.firstRange(of: "\n    },\n"))).upperBound])
        let copy = firstEntry.replacingFirst("000000000001\"", with: "000000000099\"")
        let doubled = text.replacingFirst("  \"entry\": [\n", with: "  \"entry\": [\n" + copy)
        let result = try InboundFixtures.map(text: doubled)
        #expect(result.referrals.count == 1)
        #expect(result.errorKeys == ["INB-DUPLICATE Bundle.entry[1].resource"], "\(result.summary)")
    }

    /// A contained referral with a value of the wrong form in most fields.
    static let everythingWrong = #"""
        {
          "resourceType": "ServiceRequest",
          "id": "sr-bad",
          "contained": [
            {
              "resourceType": "Patient", "id": "p",
              "identifier": [{ "system": "http://example.org/mrn", "value": "X-1" }],
              "name": [{ "family": "Invalidia" }], "gender": "female", "birthDate": "1980-02",
              "telecom": [{ "system": "phone", "value": "not-a-phone" }],
              "address": [{ "city": "Durham", "state": "North Carolina", "postalCode": "2770" }]
            },
            { "resourceType": "Practitioner", "id": "dr", "name": [{ "given": ["Riley"] }] },
            { "resourceType": "Organization", "id": "org", "name": "Example Referrers (synthetic)" },
            { "resourceType": "PractitionerRole", "id": "role", "practitioner": { "reference": "#dr" }, "organization": { "reference": "#org" } }
          ],
          "status": "active",
          "intent": "option",
          "subject": { "reference": "#p" },
          "requester": { "reference": "#role" },
          "reasonCode": [{ "coding": [{ "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "3F.2" }] }]
        }
        """#
}

extension String {
    /// The string with its first occurrence of `target` replaced (the string itself when absent).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}

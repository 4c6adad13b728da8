import ClinicMapping
import FHIRGateTesting
import Testing

@Suite struct OutboundIdentityTests {
    @Test func uuidV5MatchesTheRFC9562ExampleVector() {
        // RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
        #expect(
            UUIDv5.make(namespace: UUIDv5.dnsNamespace, name: "www.example.com")
                == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }

    @Test func theFHIRGateNamespaceIsDerivedFromItsDomain() {
        #expect(UUIDv5.make(namespace: UUIDv5.dnsNamespace, name: "fhirgate.dev") == UUIDv5.fhirGateNamespace)
    }

    @Test func badNamespacesGiveNoUUID() {
        #expect(UUIDv5.make(namespace: "not-a-uuid", name: "x") == nil)
        #expect(UUIDv5.make(namespace: String(UUIDv5.dnsNamespace.dropLast()), name: "x") == nil)
    }

    @Test func idsAreTypeAndBusinessIdSpecific() {
        let a = ResourceIdentity.id("Encounter", "SESS-1")
        #expect(a == ResourceIdentity.id("Encounter", "SESS-1"))
        #expect(a != ResourceIdentity.id("Procedure", "SESS-1"))
        #expect(a.count == 36 && Array(a)[14] == "5")
        #expect(ResourceIdentity.reference("Patient", "MRN-1") == "Patient/" + ResourceIdentity.id("Patient", "MRN-1"))
    }

    @Test func base64FollowsRFC4648() {
        // RFC 4648 section 10 test vectors.
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors { #expect(Base64.encode(plain) == encoded) }
    }

    @Test(.enabled(if: TestSupport.hasCorePackage)) func translatingTwiceGivesTheSameIdsAndBytes() throws {
        let files = ["sud-patient.json", "plain-patient.json"]
        let first = try OutboundFixtures.translate(files)
        let second = try OutboundFixtures.translate(files)
        #expect(first.allResources.map(\.reference) == second.allResources.map(\.reference))
        #expect(!first.resources.isEmpty)
        let writer = ClinicOutputWriter(model: try TestSupport.coreModel())
        for (a, b) in zip(first.allResources, second.allResources) {
            #expect(try writer.write(a.resource, as: .json) == writer.write(b.resource, as: .json))
        }
        let patient = try #require(first.resource("Patient", "MRN-000123"))
        #expect(patient.id == ResourceIdentity.id("Patient", "MRN-000123"))
    }
}

import ClinicMapping
import FHIRGate
import FHIRGateTesting
import FHIRModel
import Testing

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct OutboundBundleTests {
    @Test func aTransactionPutsEveryResourceUnderItsId() throws {
        let model = try TestSupport.coreModel()
        let t = try OutboundFixtures.translate(["plain-patient.json"])
        let bundle = ClinicBundleBuilder(model: model).bundle(t, kind: .transaction)
        #expect(bundle.childValue("type") == "transaction")
        let entries = bundle.children(named: "entry")
        #expect(entries.count == t.allResources.count)
        for (entry, r) in zip(entries, t.allResources) {
            #expect(entry.childValue("fullUrl") == "urn:uuid:" + r.id)
            #expect(OutboundFixtures.values(entry, "request.method") == ["PUT"])
            #expect(OutboundFixtures.values(entry, "request.url") == [r.reference])
            #expect(entry.child(named: "resource")?.isResource == true)
        }
        #expect(entries.last?.child(named: "resource")?.typeName == "Provenance")
    }

    @Test func aCollectionHasNoRequestsAndCanUseServerURLs() throws {
        let model = try TestSupport.coreModel()
        let t = try OutboundFixtures.translate(["plain-patient.json"])
        let bundle = ClinicBundleBuilder(model: model).bundle(
            t, kind: .collection, fullURLs: .base("https://ehr.example.org/fhir/"))
        #expect(bundle.childValue("type") == "collection")
        let entries = bundle.children(named: "entry")
        #expect(entries.allSatisfy { $0.child(named: "request") == nil })
        #expect(entries.first?.childValue("fullUrl") == "https://ehr.example.org/fhir/" + t.allResources[0].reference)
    }

    @Test(arguments: ClinicOutputFormat.allCases)
    func bundlesRoundTripThroughTheReaders(_ format: ClinicOutputFormat) throws {
        let model = try TestSupport.coreModel()
        let t = try OutboundFixtures.translate(["sud-patient.json", "plain-patient.json"])
        let writer = ClinicOutputWriter(model: model)
        let converter = ResourceConverter(model: model, pretty: true)
        for kind in ClinicBundleBuilder.Kind.allCases {
            let bundle = ClinicBundleBuilder(model: model).bundle(t, kind: kind)
            let bytes = try writer.write(bundle, as: format)
            let parsed = try converter.read(bytes, as: format == .json ? .json : .xml)
            #expect(parsed.issues.isEmpty, "\(parsed.issues)")
            // Reading back and writing again gives the same bytes: the tree was typed as the readers type it.
            #expect(try writer.write(parsed.root, as: format) == bytes)
            #expect(try writer.write(parsed.root, as: .json) == writer.write(bundle, as: .json))
        }
    }

    @Test func oneFilePerResource() throws {
        let model = try TestSupport.coreModel()
        let t = try OutboundFixtures.translate(["plain-patient.json"])
        for format in ClinicOutputFormat.allCases {
            let files = try ClinicOutputWriter(model: model).files(t, as: format)
            #expect(files.count == t.allResources.count)
            #expect(
                files.first?.name == "Patient-" + ResourceIdentity.id("Patient", "MRN-000124") + "." + format.rawValue)
            #expect(Set(files.map(\.name)).count == files.count)
        }
    }
}

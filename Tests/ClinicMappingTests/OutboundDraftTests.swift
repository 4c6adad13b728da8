import ClinicMapping
import ClinicRecords
import FHIRGateTesting
import FHIRModel
import Testing

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct OutboundDraftTests {
    @Test func theTyperOrdersTypesAndFlagsLikeTheReaders() throws {
        let model = try TestSupport.coreModel()
        let draft = FHIRDraft.resource(
            "Observation",
            [
                .p("status", "final"), .quantity("valueQuantity", FHIRDecimal(3), unit: "{score}", code: "{score}"),
                .p("id", "x"), .concept("category", text: "a"), .concept("category", text: "b"),
            ])
        let (node, unknown) = FHIRDraftTyper(model: model).resource(draft)
        #expect(unknown.isEmpty)
        #expect(node.children.map(\.name) == ["id", "status", "category", "category", "value"])
        let value = try #require(node.child(named: "value"))
        #expect(value.isChoice && value.typeName == "Quantity" && value.wireName == "valueQuantity")
        #expect(node.children(named: "category").allSatisfy { $0.isListItem })
        #expect(node.child(named: "status")?.isPrimitive == true)
    }

    @Test func unknownNamesAreReportedNotGuessed() throws {
        let (node, unknown) = FHIRDraftTyper(model: try TestSupport.coreModel()).resource(
            .resource("Patient", [.p("gender", "other"), .p("favouriteColour", "blue")]))
        #expect(unknown == ["Patient.favouriteColour"])
        #expect(node.children.map(\.name) == ["gender"])
    }

    @Test func emptyElementsAreNeverBuilt() {
        #expect(FHIRDraft.p("text", nil) == nil && FHIRDraft.p("text", "") == nil)
        #expect(FHIRDraft.e("code", [nil, nil]) == nil)
        #expect(FHIRDraft.reference("subject", nil) == nil)
    }

    /// The example records of the record format translate (each file on its own and all together)
    /// without translator errors.
    @Test func theFormatsExampleRecordsTranslate() throws {
        let folder = TestSupport.repoRoot + "/Tests/ClinicRecordsTests/Fixtures/examples"
        var records: [LocatedRecord] = []
        for file in TestSupport.files(in: folder, suffix: ".json") {
            let result = ClinicRecordReader().read(fileAtPath: folder + "/" + file)
            #expect(!result.hasErrors, "\(file)")
            records += result.records
        }
        #expect(records.count >= 12)
        let t = ClinicTranslator(model: try TestSupport.coreModel(), options: try OutboundFixtures.options())
            .translate(records)
        #expect(!t.issues.contains { $0.severity <= .error })
        #expect(t.resources.count >= 30)
        if OutboundFixtures.context != nil {
            for r in t.allResources {
                let errors = try OutboundFixtures.errors(r.resource)
                #expect(errors.isEmpty, "\(r.resourceType) \(r.businessId):\n\(OutboundFixtures.describe(errors))")
            }
        }
    }
}

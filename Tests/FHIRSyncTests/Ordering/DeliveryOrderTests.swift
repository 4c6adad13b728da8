import FHIRGate
import FHIRGateTesting
import Testing

/// Delivery order: shared group first, one group per patient, references point earlier, cycles
/// broken and reported, and the sample translation plans without cycles.
@Suite struct DeliveryOrderTests {
    /// A resource with references (`element`, `Type/id`).
    static func resource(_ type: String, _ id: String, _ references: [(String, String)] = []) -> TranslatedResource {
        var children: [ElementNode] = [.primitive("id", type: "id", value: id)]
        for (name, target) in references {
            children.append(
                ElementNode(
                    name: name, typeName: "Reference",
                    children: [.primitive("reference", type: "string", value: target)]))
        }
        return TranslatedResource(
            resourceType: type, id: id, businessId: id, revealsSubstanceUse: false,
            resource: .resource(type, children: children))
    }

    /// Checks every in-group reference points to an earlier member, and every reference to another
    /// group of the plan points to an earlier group.
    static func checkOrder(_ plan: DeliveryPlan) {
        var deliveredBefore: Set<String> = []
        let everything = Set(plan.groups.flatMap { $0.resources.map(\.reference) })
        for group in plan.groups {
            for r in group.resources {
                for ref in FallbackFixtures.references(in: r.resource) where everything.contains(ref) {
                    #expect(deliveredBefore.contains(ref), "\(r.reference) -> \(ref) in group \(group.key)")
                }
                deliveredBefore.insert(r.reference)
            }
        }
    }

    @Test func sharedFirstThenOneGroupPerPatientInDependencyOrder() {
        let input = [
            Self.resource("Observation", "o1", [("subject", "Patient/p1"), ("encounter", "Encounter/e1")]),
            Self.resource("Encounter", "e1", [("subject", "Patient/p1"), ("serviceProvider", "Organization/org")]),
            Self.resource("Observation", "o2", [("subject", "Patient/p2"), ("performer", "Practitioner/dr")]),
            Self.resource("Patient", "p1", [("managingOrganization", "Organization/org")]),
            Self.resource("Practitioner", "dr"),
            Self.resource("Patient", "p2"),
            Self.resource(
                "MedicationAdministration", "ma",
                [("partOf", "Procedure/pr"), ("request", "MedicationRequest/elsewhere")]),
            Self.resource("Procedure", "pr", [("encounter", "Encounter/e1")]),
            Self.resource("Organization", "org"),
            Self.resource("Observation", "o3", [("subject", "Patient/outside")]),
        ]
        let plan = DeliveryOrder.plan(input)
        #expect(plan.cycles.isEmpty)
        #expect(plan.groups.map(\.key) == ["shared", "p1", "p2", "outside"])
        #expect(plan.groups[0].resources.map(\.id) == ["dr", "org"], "ties keep input order")
        #expect(plan.groups[1].resources.map(\.id) == ["p1", "e1", "o1", "pr", "ma"])
        #expect(plan.groups[2].resources.map(\.id) == ["p2", "o2"])
        #expect(plan.groups.flatMap(\.resources).count == input.count)
        Self.checkOrder(plan)
    }

    @Test func aResourceOfSeveralPatientsGoesLast() {
        let input = [
            Self.resource("Provenance", "prov", [("target", "Observation/a"), ("target", "Observation/b")]),
            Self.resource("Observation", "a", [("subject", "Patient/p1")]),
            Self.resource("Observation", "b", [("subject", "Patient/p2")]),
        ]
        let plan = DeliveryOrder.plan(input)
        #expect(plan.groups.map(\.key) == ["p1", "p2", DeliveryOrder.crossPatientKey])
        Self.checkOrder(plan)
    }

    @Test func aCycleIsBrokenDeterministicallyAndReported() {
        let input = [
            Self.resource("Patient", "p"),
            Self.resource("Observation", "x", [("subject", "Patient/p"), ("hasMember", "Observation/y")]),
            Self.resource("Observation", "y", [("subject", "Patient/p"), ("hasMember", "Observation/z")]),
            Self.resource("Observation", "z", [("subject", "Patient/p"), ("derivedFrom", "Observation/x")]),
            Self.resource("Observation", "after", [("subject", "Patient/p"), ("derivedFrom", "Observation/z")]),
            Self.resource("Observation", "self", [("subject", "Patient/p"), ("derivedFrom", "Observation/self")]),
        ]
        let plan = DeliveryOrder.plan(input)
        #expect(plan.cycles == [["Observation/x", "Observation/y", "Observation/z"]])
        let order = plan.groups.flatMap(\.resources).map(\.id)
        #expect(order == ["p", "self", "x", "z", "y", "after"])
        #expect(DeliveryOrder.plan(input).groups.flatMap(\.resources).map(\.id) == order, "deterministic")
    }

    @Test(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
    func theSampleTranslationPlansWithoutCycles() throws {
        let all = try #require(FallbackFixtures.translation).allResources
        let plan = DeliveryOrder.plan(all)
        #expect(plan.cycles.isEmpty, "\(plan.cycles)")
        #expect(plan.groups.first?.key == DeliveryOrder.sharedKey)
        let patients = all.filter { $0.resourceType == "Patient" }.map(\.id)
        #expect(patients.count == 3)
        #expect(Set(plan.groups.map(\.key)).isSuperset(of: patients))
        // The batch-wide Provenance is the cross-patient group, last.
        #expect(plan.groups.last?.key == DeliveryOrder.crossPatientKey)
        #expect(plan.groups.last?.resources.map(\.resourceType) == ["Provenance"])
        #expect(plan.groups.flatMap(\.resources).count == all.count)
        for group in plan.groups where patients.contains(group.key) {
            #expect(group.resources.first?.reference == "Patient/" + group.key)
            for r in group.resources {
                let patientRefs = FallbackFixtures.references(in: r.resource).filter { $0.hasPrefix("Patient/") }
                #expect(patientRefs.allSatisfy { $0 == "Patient/" + group.key }, "\(r.reference)")
            }
        }
        Self.checkOrder(plan)
    }
}

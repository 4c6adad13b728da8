import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

@Suite(.enabled(if: ResFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct ReferenceCheckerTests {
    typealias TypeRef = ElementDefinitionInfo.TypeRef
    static let core = "http://hl7.org/fhir/StructureDefinition/"

    static func ref(_ targets: [String], aggregation: [String] = []) -> [TypeRef] {
        [TypeRef(code: "Reference", targetProfiles: targets.map { core + $0 }, aggregation: aggregation)]
    }

    /// Checks the reference at `path` (child names from the resource) of a resource.
    static func check(
        _ json: String, _ names: [String], types: [TypeRef], bundle: BundleIndex? = nil, fullUrl: String? = nil
    ) throws -> [FHIRModel.Issue] {
        let context = try #require(ResFixture.context)
        let root = try ResFixture.json(json)
        var chain = [root]
        var node = root
        for name in names {
            node = try #require(node.child(named: name), "no \(name)")
            if node.isResource { chain.insert(node, at: 0) }
        }
        var issues: [FHIRModel.Issue] = []
        ReferenceChecker(context: context).check(
            node, types: types, resources: chain, bundle: bundle, fullUrl: fullUrl, path: "X", into: &issues)
        return issues
    }

    static func observation(_ reference: String, type: String? = nil) -> String {
        let typePart = type.map { ", \"type\": \"\($0)\"" } ?? ""
        return """
            {"resourceType": "Observation", "status": "final", "code": {"text": "x"},
             "contained": [{"resourceType": "Patient", "id": "p1"}, {"resourceType": "Medication", "id": "m1"}],
             "subject": {"reference": "\(reference)"\(typePart)}}
            """
    }

    @Test func containedReferencesResolveInTheContainer() throws {
        let subject = Self.ref(["Patient", "Group"])
        #expect(try Self.check(Self.observation("#p1"), ["subject"], types: subject).isEmpty)
        let missing = try Self.check(Self.observation("#nobody"), ["subject"], types: subject)
        #expect(missing.map(\.code) == [.referenceUnresolved])
        let wrongType = try Self.check(Self.observation("#m1"), ["subject"], types: subject)
        #expect(wrongType.map(\.code) == [.referenceTarget])
        #expect(wrongType.first?.message.contains("'Medication'") == true)
    }

    @Test func hashRefersToTheContainerFromAContainedResource() throws {
        let json = """
            {"resourceType": "Patient", "id": "x",
             "contained": [{"resourceType": "Provenance", "id": "pv", "target": [{"reference": "#"}],
                            "recorded": "2020-01-01T00:00:00Z", "agent": [{"who": {"display": "a"}}]}]}
            """
        #expect(try Self.check(json, ["contained", "target"], types: Self.ref(["Resource"])).isEmpty)
        // The container is a Patient; a target list without Patient rejects it.
        let issues = try Self.check(json, ["contained", "target"], types: Self.ref(["Organization"]))
        #expect(issues.map(\.code) == [.referenceTarget])
    }

    @Test func impliedTypesMustBeAllowedTargets() throws {
        let subject = Self.ref(["Patient", "Group"])
        #expect(try Self.check(Self.observation("Patient/123"), ["subject"], types: subject).isEmpty)
        #expect(
            try Self.check(Self.observation("http://x.org/fhir/Group/g/_history/2"), ["subject"], types: subject)
                .isEmpty)
        let issues = try Self.check(Self.observation("Medication/123"), ["subject"], types: subject)
        #expect(issues.map(\.code) == [.referenceTarget])
        #expect(issues.first?.message.contains("[Group, Patient]") == true)
        #expect(issues.allSatisfy { !$0.message.contains("123") })
        // Any resource: no target profiles, or the base Resource.
        #expect(try Self.check(Self.observation("Medication/1"), ["subject"], types: Self.ref([])).isEmpty)
        #expect(try Self.check(Self.observation("Medication/1"), ["subject"], types: Self.ref(["Resource"])).isEmpty)
        #expect(
            try Self.check(Self.observation("Medication/1"), ["subject"], types: Self.ref(["DomainResource"])).isEmpty)
        // An unknown target profile cannot reject an implied type.
        let unknown = [TypeRef(code: "Reference", targetProfiles: ["http://x.org/StructureDefinition/nope"])]
        #expect(try Self.check(Self.observation("Medication/1"), ["subject"], types: unknown).isEmpty)
    }

    @Test func declaredTypeMustAgree() throws {
        let subject = Self.ref(["Patient", "Group"])
        #expect(try Self.check(Self.observation("Patient/1", type: "Patient"), ["subject"], types: subject).isEmpty)
        let mismatch = try Self.check(Self.observation("Patient/1", type: "Group"), ["subject"], types: subject)
        #expect(mismatch.map(\.code) == [.referenceTarget])
        let notAllowed = try Self.check(
            Self.observation("urn:uuid:9e1c2a5e-2c2b-4f5e-9c3a-1b2c3d4e5f60", type: "Device"), ["subject"],
            types: subject)
        #expect(notAllowed.map(\.code) == [.referenceTarget])
    }

    @Test func checksTheFormOfReferences() throws {
        let any = Self.ref([])
        for good in [
            "Patient/1", "Patient/1/_history/2", "http://x.org/a/b", "urn:uuid:9e1c2a5e-2c2b-4f5e-9c3a-1b2c3d4e5f60",
            "urn:oid:1.2.3",
        ] {
            #expect(try Self.check(Self.observation(good), ["subject"], types: any).isEmpty, "\(good)")
        }
        for bad in ["XXX/_history/1", "Patient/", "Unknown/1", "Patient/a_b", "urn:uuid:123", "Patient?name=x"] {
            let issues = try Self.check(Self.observation(bad), ["subject"], types: any)
            #expect(issues.map(\.severity) == [.warning], "\(bad): \(issues)")
            #expect(issues.map(\.code) == [.referenceFormat], "\(bad): \(issues)")
        }
    }

    @Test func constraintsOnlyLeavesOutFormAndResolution() throws {
        let context = try #require(ResFixture.context)
        let root = try ResFixture.json(Self.observation("Medication/a_b"))
        let subject = try #require(root.child(named: "subject"))
        var full: [FHIRModel.Issue] = []
        var constraints: [FHIRModel.Issue] = []
        let checker = ReferenceChecker(context: context)
        checker.check(
            subject, types: Self.ref(["Patient"]), resources: [root], bundle: nil, fullUrl: nil, path: "X", into: &full)
        checker.checkConstraints(
            subject, types: Self.ref(["Patient"]), resources: [root], bundle: nil, fullUrl: nil, path: "X",
            into: &constraints)
        #expect(full.map(\.code) == [.referenceFormat, .referenceTarget])
        #expect(constraints.map(\.code) == [.referenceTarget])
    }

    @Test func warnsAboutEmptyReferences() throws {
        let json =
            #"{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "subject": {"extension": [{"url": "http://x.org/e", "valueString": "v"}]}}"#
        #expect(try Self.check(json, ["subject"], types: Self.ref([])).map(\.code) == [.referenceEmpty])
        let display =
            #"{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "subject": {"display": "someone"}}"#
        #expect(try Self.check(display, ["subject"], types: Self.ref([])).isEmpty)
    }

    // MARK: - Inside Bundles

    static func bundle(_ type: String, _ entries: [(String?, String)]) throws -> (ElementNode, BundleIndex) {
        let body = entries.map { url, resource in
            (url.map { "{\"fullUrl\": \"\($0)\", \"resource\": " } ?? "{\"resource\": ") + resource + "}"
        }
        let b = try ResFixture.json(
            "{\"resourceType\": \"Bundle\", \"type\": \"\(type)\", \"entry\": [\(body.joined(separator: ","))]}")
        return (b, BundleIndex(bundle: b, model: try TestSupport.coreModel()))
    }

    static func checkEntry(
        _ bundle: (ElementNode, BundleIndex), entry: Int, _ names: [String], types: [TypeRef]
    ) throws -> [FHIRModel.Issue] {
        let context = try #require(ResFixture.context)
        let resource = try #require(bundle.1.entries[entry].resource)
        var node = resource
        for name in names { node = try #require(node.child(named: name)) }
        var issues: [FHIRModel.Issue] = []
        ReferenceChecker(context: context).check(
            node, types: types, resources: [resource, bundle.0], bundle: bundle.1,
            fullUrl: bundle.1.entries[entry].fullUrl, path: "X", into: &issues)
        return issues
    }

    static let encounter =
        #"{"resourceType": "Encounter", "status": "planned", "class": {"code": "x"}, "subject": {"reference": "Patient/p"}}"#

    @Test func bundledTargetsAreTypeChecked() throws {
        let b = try Self.bundle(
            "collection",
            [
                ("http://x.org/fhir/Encounter/e", Self.encounter),
                ("http://x.org/fhir/Patient/p", #"{"resourceType": "Patient", "id": "p"}"#),
            ])
        #expect(try Self.checkEntry(b, entry: 0, ["subject"], types: Self.ref(["Patient"])).isEmpty)
        #expect(
            try Self.checkEntry(b, entry: 0, ["subject"], types: Self.ref(["Group"])).map(\.code) == [.referenceTarget])
        // A target profile that cannot be resolved is an error once the target is known.
        let unknown = [TypeRef(code: "Reference", targetProfiles: ["http://x.org/StructureDefinition/nope"])]
        #expect(
            try Self.checkEntry(b, entry: 0, ["subject"], types: unknown).map(\.code) == [
                .profileUnknown, .referenceTarget,
            ])
    }

    @Test func relativeReferencesFromURNEntriesMustNameTheRightType() throws {
        // The reference validator's bad-bundle-reference-type case.
        let b = try Self.bundle(
            "collection",
            [
                (
                    "urn:uuid:54fc3e09-e279-4b74-a8ff-2649ec968642",
                    #"{"resourceType": "Patient", "generalPractitioner": [{"reference": "Practitioner/5d9588d8-3cd6-4b32-8fb7-ad13694e069d"}]}"#
                ),
                ("urn:uuid:5d9588d8-3cd6-4b32-8fb7-ad13694e069d", #"{"resourceType": "Organization", "name": "n"}"#),
            ])
        let issues = try Self.checkEntry(
            b, entry: 0, ["generalPractitioner"], types: Self.ref(["Organization", "Practitioner"]))
        #expect(issues.map(\.code) == [.referenceTarget])
        #expect(issues.first?.message.contains("'Practitioner'") == true)
    }

    @Test func reportsPossibleMatchesAndUnknownURNs() throws {
        let b = try Self.bundle(
            "collection",
            [
                ("http://x.org/fhir/Encounter/e", Self.encounter),
                ("http://y.org/fhir/Patient/p", #"{"resourceType": "Patient", "id": "p"}"#),
            ])
        let issues = try Self.checkEntry(b, entry: 0, ["subject"], types: Self.ref(["Patient"]))
        #expect(issues.map(\.code) == [.referenceAmbiguous])
        #expect(issues.map(\.severity) == [.warning])
        let urn = try Self.bundle(
            "collection",
            [("http://x.org/fhir/Observation/o", Self.observation("urn:uuid:9e1c2a5e-2c2b-4f5e-9c3a-1b2c3d4e5f60"))])
        #expect(
            try Self.checkEntry(urn, entry: 0, ["subject"], types: Self.ref([])).map(\.code) == [.referenceUnresolved])
    }

    @Test func conditionalReferencesOnlyInTransactions() throws {
        let obs = Self.observation("Patient?identifier=http://x.org|1")
        let transaction = try Self.bundle("transaction", [(nil, obs)])
        #expect(try Self.checkEntry(transaction, entry: 0, ["subject"], types: Self.ref(["Patient"])).isEmpty)
        let collection = try Self.bundle("collection", [("http://x.org/fhir/Observation/o", obs)])
        let issues = try Self.checkEntry(collection, entry: 0, ["subject"], types: Self.ref(["Patient"]))
        #expect(issues.map(\.code) == [.referenceFormat])
        #expect(issues.map(\.severity) == [.error])
    }

    @Test func aggregationModes() throws {
        // contained only
        let containedOnly = Self.ref(["Patient"], aggregation: ["contained"])
        #expect(try Self.check(Self.observation("#p1"), ["subject"], types: containedOnly).isEmpty)
        #expect(
            try Self.check(Self.observation("Patient/1"), ["subject"], types: containedOnly).map(\.code) == [
                .referenceAggregation
            ])
        // bundled: outside a Bundle it cannot be decided; inside, external references break it.
        let bundled = Self.ref(["Patient"], aggregation: ["bundled"])
        #expect(try Self.check(Self.observation("Patient/1"), ["subject"], types: bundled).isEmpty)
        #expect(
            try Self.check(Self.observation("#p1"), ["subject"], types: bundled).map(\.code) == [.referenceAggregation])
        let alone = try Self.bundle("collection", [("http://x.org/fhir/Encounter/e", Self.encounter)])
        #expect(
            try Self.checkEntry(alone, entry: 0, ["subject"], types: bundled).map(\.code) == [.referenceAggregation])
        let both = try Self.bundle(
            "collection",
            [
                ("http://x.org/fhir/Encounter/e", Self.encounter),
                ("http://x.org/fhir/Patient/p", #"{"resourceType": "Patient", "id": "p"}"#),
            ])
        #expect(try Self.checkEntry(both, entry: 0, ["subject"], types: bundled).isEmpty)
        // referenced allows bundled and external ones.
        let referenced = Self.ref(["Patient"], aggregation: ["referenced"])
        #expect(try Self.checkEntry(alone, entry: 0, ["subject"], types: referenced).isEmpty)
        #expect(
            try Self.check(Self.observation("#p1"), ["subject"], types: referenced).map(\.code) == [
                .referenceAggregation
            ])
    }

    @Test(
        .enabled(
            if: TestSupport.sharedPath("corpora/validator") != nil, "../shared/corpora/validator is absent; skipped"))
    func profileTargetsOfTheCorpus() throws {
        let folder = try #require(TestSupport.sharedPath("corpora/validator"))
        let context = try #require(ResFixture.context)
        // (instance, profile, errors): target types narrowed by a profile.
        let cases = [
            ("type-ref-checked.xml", "type-ref-profile.xml", 1),
            ("mycommunication.invalid.json", "mycommunication.structureDefinition.xml", 1),
            ("mycommunication.valid.example.json", "mycommunication.structureDefinition.xml", 0),
        ]
        for (file, profileFile, errors) in cases {
            let definition = try #require(ResFixture.structureDefinition(folder + "/" + profileFile))
            context.profiles.register(definition)
            let profile = try #require(context.profiles.profile(url: definition.url), "\(profileFile)")
            let root = try #require(ResFixture.read(folder + "/" + file))
            var probe = ResProbe(context: context)
            probe.run(root, profile: profile)
            #expect(probe.issues.filter { $0.severity <= .error }.count == errors, "\(file): \(probe.issues)")
        }
        // aggregation-bundle-bad: the Encounter profile requires a bundled subject.
        let encounterProfile = try #require(ResFixture.structureDefinition(folder + "/aggregation-profile.xml"))
        context.profiles.register(encounterProfile)
        let resolved = try #require(context.profiles.profile(url: encounterProfile.url))
        let subject = try #require(resolved.element(path: "Encounter.subject"))
        for (file, errors) in [("aggregation-bundle-bad.xml", 1), ("aggregation-bundle-good.xml", 0)] {
            let root = try #require(ResFixture.read(folder + "/" + file))
            let index = BundleIndex(bundle: root, model: context.model)
            let encounter = try #require(index.entries.first?.resource)
            var issues: [FHIRModel.Issue] = []
            ReferenceChecker(context: context).check(
                try #require(encounter.child(named: "subject")), types: resolved.elements[subject].types,
                resources: [encounter, root], bundle: index, fullUrl: index.entries[0].fullUrl, path: "X", into: &issues
            )
            #expect(
                issues.filter { $0.severity <= .error }.map(\.code)
                    == Array(repeating: .referenceAggregation, count: errors), "\(file)")
        }
    }
}

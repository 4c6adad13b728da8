import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

/// References that leave the input, at the levels `syntax`, `exists` and `valid`, with local
/// reference resources.
@Suite(.enabled(if: ResFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct ReferenceCheckLevelTests {
    typealias TypeRef = ElementDefinitionInfo.TypeRef
    static let core = "http://hl7.org/fhir/StructureDefinition/"

    static func ref(_ targets: [String]) -> [TypeRef] {
        [TypeRef(code: "Reference", targetProfiles: targets.map { core + $0 }, aggregation: [])]
    }

    static func options(_ level: ReferenceCheckLevel, _ resources: [String]) throws -> ValidationOptions {
        var options = ValidationOptions()
        options.referenceCheck = level
        options.referenceResources = ReferenceResources(resources: try resources.map(ResFixture.json))
        return options
    }

    /// Checks the reference reached through `names` (child names from the root), as the walker does.
    static func check(
        _ json: String, _ names: [String], types: [TypeRef], options: ValidationOptions
    ) throws -> [FHIRModel.Issue] {
        let context = try #require(ResFixture.context)
        let root = try ResFixture.json(json)
        var chain = [root]
        var node = root
        for name in names {
            node = try #require(node.children.first { $0.name == name }, "no \(name)")
            if node.isResource { chain.insert(node, at: 0) }
        }
        var issues: [FHIRModel.Issue] = []
        let validator = Validator(context: context, options: options)
        ReferenceChecker(context: context, validator: validator).check(
            node, types: types, resources: chain, bundle: nil, fullUrl: nil, path: "X", into: &issues)
        return issues
    }

    static func observation(_ reference: String) -> String {
        #"{"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"}, "#
            + #""subject": {"reference": "\#(reference)"}}"#
    }

    static let patients = [
        #"{"resourceType": "Patient", "id": "p1"}"#,
        #"{"resourceType": "Medication", "id": "m1"}"#,
    ]

    @Test func syntaxLevelDoesNotRequireTargets() throws {
        let options = try Self.options(.syntax, Self.patients)
        #expect(
            try Self.check(Self.observation("Patient/zz"), ["subject"], types: Self.ref([]), options: options).isEmpty)
    }

    @Test func existsLevelRequiresRelativeTargets() throws {
        let options = try Self.options(.exists, Self.patients)
        let subject = Self.ref(["Patient", "Group"])
        #expect(try Self.check(Self.observation("Patient/p1"), ["subject"], types: subject, options: options).isEmpty)
        let missing = try Self.check(Self.observation("Patient/zz"), ["subject"], types: subject, options: options)
        #expect(missing.map(\.code) == [.referenceNotFound])
        #expect(missing.first?.severity == .error)
        #expect(missing.allSatisfy { !$0.message.contains("zz") })
        let urn = "urn:uuid:6a1c4a3e-58a0-4bb1-9f1a-2b8e1f0e4c11"
        #expect(
            try Self.check(Self.observation(urn), ["subject"], types: subject, options: options).map(\.code) == [
                .referenceNotFound
            ])
        // An absolute URL that nothing local answers is not checked (information).
        let absolute = try Self.check(
            Self.observation("http://other.org/fhir/Group/g1"), ["subject"], types: subject, options: options)
        #expect(absolute.map(\.code) == [.referenceNotChecked])
        #expect(absolute.first?.severity == .information)
        // Without any reference resources, every relative reference must be in the input.
        var bare = ValidationOptions()
        bare.referenceCheck = .exists
        #expect(
            try Self.check(Self.observation("Patient/p1"), ["subject"], types: subject, options: bare).map(\.code) == [
                .referenceNotFound
            ])
    }

    @Test func resolvedTargetsHaveTheirTypeChecked() throws {
        let bundle =
            #"{"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "http://a.org/fhir/Patient/x9", "#
            + #""resource": {"resourceType": "Medication", "id": "x9"}}]}"#
        let options = try Self.options(.exists, [bundle])
        let issues = try Self.check(
            Self.observation("http://a.org/fhir/Patient/x9"), ["subject"], types: Self.ref(["Patient"]),
            options: options)
        #expect(issues.map(\.code) == [.referenceTarget, .referenceTarget])
        #expect(issues.contains { $0.message.contains("resolves to a 'Medication'") })
    }

    @Test func parametersResourcesReferToEachOther() throws {
        let parameters = """
            {"resourceType": "Parameters", "parameter": [
              {"name": "MemberPatient", "resource": {"resourceType": "Patient", "id": "1"}},
              {"name": "Coverage", "resource": {"resourceType": "Coverage", "id": "c", "status": "active",
                "beneficiary": {"reference": "Patient/1"}, "payor": [{"display": "x"}]}},
              {"name": "Other", "resource": {"resourceType": "Coverage", "id": "d", "status": "active",
                "beneficiary": {"reference": "Patient/2"}, "payor": [{"display": "x"}]}}]}
            """
        let root = try ResFixture.json(parameters)
        let context = try #require(ResFixture.context)
        var options = ValidationOptions()
        options.referenceCheck = .exists
        let validator = Validator(context: context, options: options)
        let resources = root.children.filter { $0.name == "parameter" }.compactMap {
            $0.children.first { $0.name == "resource" }
        }
        #expect(resources.count == 3)
        var results: [[IssueCode]] = []
        for coverage in resources.dropFirst() {
            var issues: [FHIRModel.Issue] = []
            let beneficiary = try #require(coverage.child(named: "beneficiary"))
            ReferenceChecker(context: context, validator: validator).check(
                beneficiary, types: Self.ref(["Patient"]), resources: [coverage, root], bundle: nil, fullUrl: nil,
                path: "X", into: &issues)
            results.append(issues.map(\.code))
        }
        #expect(results == [[], [.referenceNotFound]])
    }

    // MARK: - valid

    /// A Patient whose link lacks `other` (Patient.link.other is 1..1): invalid against its base.
    static let brokenPatient = #"{"resourceType": "Patient", "id": "bad", "link": [{"type": "seealso"}]}"#

    @Test func validLevelValidatesTheTargetAgainstItsProfiles() throws {
        let options = try Self.options(.valid, [#"{"resourceType": "Patient", "id": "good"}"#, Self.brokenPatient])
        let subject = Self.ref(["Patient", "Group"])
        #expect(try Self.check(Self.observation("Patient/good"), ["subject"], types: subject, options: options).isEmpty)
        let issues = try Self.check(Self.observation("Patient/bad"), ["subject"], types: subject, options: options)
        #expect(issues.map(\.code) == [.referenceTargetProfile, .referenceTargetDetails])
        #expect(issues.first?.severity == .error)
        #expect(issues.first?.message.contains(Self.core + "Patient") == true)
        #expect(issues.last?.severity == .information)
        #expect(issues.last?.message.contains("Patient.link") == true)
        // At level exists the broken target is only found.
        let exists = try Self.options(.exists, [Self.brokenPatient])
        #expect(try Self.check(Self.observation("Patient/bad"), ["subject"], types: subject, options: exists).isEmpty)
        // No target profiles: the target is checked against its type's base definition.
        #expect(
            try Self.check(Self.observation("Patient/bad"), ["subject"], types: Self.ref([]), options: options)
                .map(\.code) == [.referenceTargetProfile, .referenceTargetDetails])
    }

    @Test func validLevelUsesTheNamedProfiles() throws {
        // vitalsigns requires a category, effective[x], subject and a LOINC code.
        let observation = #"{"resourceType": "Observation", "id": "v", "status": "final", "code": {"text": "x"}}"#
        let options = try Self.options(.valid, [observation])
        let issues = try Self.check(
            #"{"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "r"}, "#
                + #""result": [{"reference": "Observation/v"}]}"#, ["result"], types: Self.ref(["vitalsigns"]),
            options: options)
        #expect(issues.map(\.code) == [.referenceTargetProfile, .referenceTargetDetails])
        #expect(issues.first?.message.contains(Self.core + "vitalsigns") == true)
    }

    @Test func validLevelEndsReferenceCycles() throws {
        // a -> b -> a: b is checked once; its reference back to the resource under validation
        // is taken as conforming.
        let a =
            #"{"resourceType": "Patient", "id": "a", "link": [{"other": {"reference": "Patient/b"}, "type": "seealso"}]}"#
        let b =
            #"{"resourceType": "Patient", "id": "b", "link": [{"other": {"reference": "Patient/a"}, "type": "seealso"}]}"#
        let options = try Self.options(.valid, [a, b])
        #expect(try Self.check(a, ["link", "other"], types: Self.ref(["Patient"]), options: options).isEmpty)
        // The input itself need not be among the reference resources: b's reference back to a
        // names the resource under validation.
        let onlyB = try Self.options(.valid, [b])
        #expect(try Self.check(a, ["link", "other"], types: Self.ref(["Patient"]), options: onlyB).isEmpty)
        let selfLink =
            #"{"resourceType": "Patient", "id": "s", "link": [{"other": {"reference": "Patient/s"}, "type": "seealso"}]}"#
        let exists = try Self.options(.exists, [])
        #expect(try Self.check(selfLink, ["link", "other"], types: Self.ref(["Patient"]), options: exists).isEmpty)

        // A long chain stops at the depth limit with an information, never recursing further.
        var chain: [String] = []
        for i in 0..<20 {
            chain.append(
                #"{"resourceType": "Patient", "id": "n\#(i)", "link": [{"other": {"reference": "Patient/n\#(i + 1)"}, "#
                    + #""type": "seealso"}]}"#)
        }
        chain.append(#"{"resourceType": "Patient", "id": "n20"}"#)
        let long = try Self.options(.valid, chain)
        let issues = try Self.check(chain[0], ["link", "other"], types: Self.ref(["Patient"]), options: long)
        #expect(!issues.contains { $0.severity <= .error })
    }

    @Test func validatorAppliesTheLevelToEveryReference() throws {
        let context = try #require(ResFixture.context)
        let options = try Self.options(.exists, Self.patients)
        let validator = Validator(context: context, options: options)
        let ok = validator.validate(try ResFixture.json(Self.observation("Patient/p1")))
        #expect(!ok.contains { $0.code == .referenceNotFound })
        let missing = validator.validate(try ResFixture.json(Self.observation("Patient/zz")))
        #expect(missing.filter { $0.code == .referenceNotFound }.map(\.path) == ["Observation.subject"])
    }
}

import FHIRGate
import FHIRGateTesting
import Testing

/// Definitions from the R4 core package (package cache) plus the US Core 3.1.0 package folder
/// from ../shared, passed as an extra definitions path; built once per test process.
enum USCoreDefinitions {
    static let packageFolder = TestSupport.sharedPath("packages/hl7.fhir.us.core#3.1.0/package")

    static let store: DefinitionStore? = {
        guard TestSupport.hasCorePackage, let folder = packageFolder else { return nil }
        return DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: [folder]))
    }()

    static let context: ValidationContext? = {
        guard let store, let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: store)
    }()
}

/// US Core 3.1.0 (../shared/packages/hl7.fhir.us.core#3.1.0), which ships profiles, value sets and
/// code systems but no example instances: our own instances in Fixtures/us-core/ stand in for
/// them. Each `valid/` instance conforms to its profile (claimed in `meta.profile`, and named
/// explicitly with `meta` removed); each `broken/` twin breaks one rule of its profile and gives
/// exactly the errors listed here, through either route.
@Suite(
    .enabled(
        if: USCoreDefinitions.context != nil,
        "needs hl7.fhir.r4.core#4.0.1 in the package cache and ../shared/packages/hl7.fhir.us.core#3.1.0"))
struct ValidatorUSCoreTests {
    static let fixtures = TestSupport.repoRoot + "/Tests/ConformanceTests/Fixtures/us-core"
    static let usCore = "http://hl7.org/fhir/us/core/StructureDefinition/"
    static let core = "http://hl7.org/fhir/StructureDefinition/"

    // MARK: Cases

    struct ValidCase: CustomTestStringConvertible, Sendable {
        var file: String
        var profile: String
        var testDescription: String { file }
    }

    struct BrokenCase: CustomTestStringConvertible, Sendable {
        var file: String
        var profile: String
        /// Every error expected (`ISSUE-CODE path`), through `meta.profile` and the explicit profile.
        var errors: Set<String>
        /// Whether the instance is valid R4 without the profile (the profile alone makes it fail).
        var validWithoutProfile: Bool
        /// Why an error is known to be reported more than once (a validator bug to fix), or nil:
        /// each expected error is then reported exactly once.
        var knownDuplicate: String? = nil
        var testDescription: String { file }
    }

    static let validCases: [ValidCase] = [
        .init(file: "patient.json", profile: usCore + "us-core-patient"),
        .init(file: "observation-lab.json", profile: usCore + "us-core-observation-lab"),
        .init(file: "smokingstatus.json", profile: usCore + "us-core-smokingstatus"),
        .init(file: "pulse-oximetry.json", profile: usCore + "us-core-pulse-oximetry"),
        .init(file: "pediatric-bmi-for-age.json", profile: usCore + "pediatric-bmi-for-age"),
        .init(file: "bodyweight.json", profile: core + "bodyweight"),
        .init(file: "bmi.json", profile: core + "bmi"),
        .init(file: "condition.json", profile: usCore + "us-core-condition"),
        .init(file: "encounter.json", profile: usCore + "us-core-encounter"),
        .init(file: "organization.json", profile: usCore + "us-core-organization"),
        .init(file: "practitioner.json", profile: usCore + "us-core-practitioner"),
        .init(file: "allergyintolerance.json", profile: usCore + "us-core-allergyintolerance"),
        .init(file: "immunization.json", profile: usCore + "us-core-immunization"),
        .init(file: "medicationrequest.json", profile: usCore + "us-core-medicationrequest"),
    ]

    static let brokenCases: [BrokenCase] = [
        // mustSupport elements with min 1, missing.
        .init(
            file: "patient-no-name.json", profile: usCore + "us-core-patient",
            errors: ["VAL-CARDINALITY-MIN Patient.name"], validWithoutProfile: true),
        .init(
            file: "smokingstatus-no-issued.json", profile: usCore + "us-core-smokingstatus",
            errors: ["VAL-CARDINALITY-MIN Observation.issued"], validWithoutProfile: true),
        .init(
            file: "medicationrequest-no-requester.json", profile: usCore + "us-core-medicationrequest",
            errors: ["VAL-CARDINALITY-MIN MedicationRequest.requester"], validWithoutProfile: true),
        .init(
            file: "organization-no-name-no-active.json", profile: usCore + "us-core-organization",
            errors: ["VAL-CARDINALITY-MIN Organization.active", "VAL-CARDINALITY-MIN Organization.name"],
            validWithoutProfile: true),
        .init(
            file: "immunization-no-primary-source.json", profile: usCore + "us-core-immunization",
            errors: ["VAL-CARDINALITY-MIN Immunization.primarySource"], validWithoutProfile: true),
        .init(
            file: "allergyintolerance-no-code.json", profile: usCore + "us-core-allergyintolerance",
            errors: ["VAL-CARDINALITY-MIN AllergyIntolerance.code"], validWithoutProfile: true),
        // A required slice that no item fills (the category is not the laboratory pattern).
        .init(
            file: "observation-lab-wrong-category.json", profile: usCore + "us-core-observation-lab",
            errors: ["VAL-SLICE-CARDINALITY Observation.category"], validWithoutProfile: true),
        // Wrong fixed code and wrong pattern.
        .init(
            file: "pediatric-bmi-for-age-wrong-unit.json", profile: usCore + "pediatric-bmi-for-age",
            errors: ["VAL-FIXED Observation.value.code"], validWithoutProfile: true),
        .init(
            file: "pediatric-bmi-for-age-wrong-code.json", profile: usCore + "pediatric-bmi-for-age",
            errors: ["VAL-PATTERN Observation.code"], validWithoutProfile: true),
        // A closed type slicing on value[x] (CodeableConcept only) given a Quantity.
        .init(
            file: "smokingstatus-value-quantity.json", profile: usCore + "us-core-smokingstatus",
            errors: [
                "VAL-TYPE Observation.value", "VAL-SLICE-NO-MATCH Observation.value",
                "VAL-SLICE-CARDINALITY Observation.value",
            ], validWithoutProfile: true),
        // A sub-extension the complex extension us-core-race does not define (its parts are closed).
        .init(
            file: "patient-race-unknown-part.json", profile: usCore + "us-core-patient",
            errors: ["VAL-EXTENSION-URL Patient.extension[0].extension[0]"], validWithoutProfile: false),
        // Required bindings broken with codes of locally held code systems: a race code of the
        // CDC code system (US Core) as the OMB ethnicity; a verification status code (R4 core)
        // as the clinical status; a UCUM unit outside ucum-bodyweight.
        .init(
            file: "patient-ethnicity-race-code.json", profile: usCore + "us-core-patient",
            errors: ["VAL-BINDING-REQUIRED Patient.extension[1].extension[0].value"], validWithoutProfile: false),
        .init(
            file: "condition-clinical-status-wrong-system.json", profile: usCore + "us-core-condition",
            errors: ["VAL-BINDING-REQUIRED Condition.clinicalStatus"], validWithoutProfile: false),
        .init(
            file: "bodyweight-unit-not-allowed.json", profile: core + "bodyweight",
            errors: ["VAL-BINDING-REQUIRED Observation.value.code"], validWithoutProfile: true),
        // A reference target the base allows (PractitionerRole) but US Core does not.
        .init(
            file: "encounter-participant-role.json", profile: usCore + "us-core-encounter",
            errors: ["VAL-REFERENCE-TARGET Encounter.participant[0].individual"], validWithoutProfile: true),
        // Not the instance's fault: US Core 3.1.0 fixes the FlowRate component's unit to l/min,
        // and the vital signs profile it derives from binds component values (required) to
        // ucum-vitals-common, which has no l/min. Any FlowRate with a value fails.
        .init(
            file: "pulse-oximetry-flow-rate.json", profile: usCore + "us-core-pulse-oximetry",
            errors: ["VAL-BINDING-REQUIRED Observation.component[0].value"], validWithoutProfile: true),
    ]

    /// The profiles the instances must cover.
    static let requiredProfiles: Set<String> = [
        usCore + "us-core-patient", usCore + "us-core-observation-lab", usCore + "us-core-smokingstatus",
        usCore + "us-core-pulse-oximetry", usCore + "us-core-condition", usCore + "us-core-encounter",
        usCore + "us-core-organization", usCore + "us-core-practitioner", usCore + "us-core-allergyintolerance",
        usCore + "us-core-immunization", usCore + "pediatric-bmi-for-age", usCore + "us-core-medicationrequest",
        core + "bodyweight", core + "bmi",
    ]

    // MARK: Tests

    @Test func definitionsLoadAndProfilesResolve() throws {
        let context = try #require(USCoreDefinitions.context)
        let storeErrors = context.store.issues.filter { $0.severity <= .error }
        #expect(storeErrors.isEmpty, "definition store errors: \(storeErrors.map(\.description))")
        let used = Set(Self.validCases.map(\.profile) + Self.brokenCases.map(\.profile))
            .union([Self.usCore + "us-core-race", Self.usCore + "us-core-ethnicity", Self.usCore + "us-core-birthsex"])
        for url in used.sorted() {
            let profile = try #require(context.profiles.profile(url: url), "\(url) does not resolve")
            #expect(profile.issues.isEmpty, "\(url): \(profile.issues.map(\.description))")
            #expect(profile.elements.count >= 4, "\(url): snapshot has \(profile.elements.count) elements")
        }
        #expect(Self.requiredProfiles.isSubset(of: Set(Self.validCases.map(\.profile))))
    }

    @Test func everyFixtureHasACase() throws {
        let valid = TestSupport.files(in: Self.fixtures + "/valid", suffix: ".json")
        let broken = TestSupport.files(in: Self.fixtures + "/broken", suffix: ".json")
        #expect(Set(valid) == Set(Self.validCases.map(\.file)), "valid/ files and validCases differ")
        #expect(Set(broken) == Set(Self.brokenCases.map(\.file)), "broken/ files and brokenCases differ")
        #expect(broken.count >= 10)
    }

    @Test(arguments: validCases)
    func validInstanceConforms(_ testCase: ValidCase) throws {
        let context = try #require(USCoreDefinitions.context)
        let root = try Self.read("valid/" + testCase.file, claims: testCase.profile)
        let validator = Validator(context: context)

        let viaMeta = validator.validate(root)
        #expect(Self.errors(viaMeta).isEmpty, "\(testCase.file) via meta.profile: \(Self.describe(viaMeta))")
        #expect(!viaMeta.contains { $0.code == .profileUnknown || $0.code == .profileType })

        let viaOption = Validator(context: context, options: .init(profiles: [testCase.profile]))
            .validate(Self.withoutMeta(root))
        #expect(
            Self.errors(viaOption).isEmpty, "\(testCase.file) via the explicit profile: \(Self.describe(viaOption))")
        #expect(!viaOption.contains { $0.code == .profileUnknown || $0.code == .profileType })
    }

    @Test(arguments: brokenCases)
    func brokenTwinReportsItsDefect(_ testCase: BrokenCase) throws {
        let context = try #require(USCoreDefinitions.context)
        let root = try Self.read("broken/" + testCase.file, claims: testCase.profile)
        let validator = Validator(context: context)

        let viaMeta = validator.validate(root)
        #expect(
            Self.errors(viaMeta) == testCase.errors,
            "\(testCase.file) via meta.profile: \(Self.describe(viaMeta))")
        let count = viaMeta.count { $0.severity <= .error }
        if let reason = testCase.knownDuplicate {
            withKnownIssue(Comment(rawValue: reason)) {
                #expect(count == testCase.errors.count, "\(testCase.file): each error once")
            }
        } else {
            #expect(count == testCase.errors.count, "\(testCase.file): each error once: \(Self.describe(viaMeta))")
        }

        let bare = Self.withoutMeta(root)
        let viaParameter = validator.validate(bare, profiles: [testCase.profile])
        #expect(
            Self.errors(viaParameter) == testCase.errors,
            "\(testCase.file) via the explicit profile: \(Self.describe(viaParameter))")

        if testCase.validWithoutProfile {
            let baseOnly = validator.validate(bare)
            #expect(Self.errors(baseOnly).isEmpty, "\(testCase.file) without its profile: \(Self.describe(baseOnly))")
        }
    }

    // MARK: Helpers

    struct FixtureProblem: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads a fixture (no reader errors) and checks that it claims `profile` in `meta.profile`.
    static func read(_ relative: String, claims profile: String) throws -> ElementNode {
        let model = try TestSupport.coreModel()
        let parsed = try FHIRJSONReader(model: model).read(try FileBytes.read(fixtures + "/" + relative))
        guard !parsed.hasErrors else {
            throw FixtureProblem(description: "\(relative) does not read cleanly: \(parsed.issues.map(\.description))")
        }
        let claimed = parsed.root.child(named: "meta")?.children(named: "profile").compactMap(\.value) ?? []
        guard claimed == [profile] else {
            throw FixtureProblem(description: "\(relative) claims \(claimed), expected [\(profile)]")
        }
        return parsed.root
    }

    static func withoutMeta(_ root: ElementNode) -> ElementNode {
        var copy = root
        copy.children.removeAll { $0.name == "meta" }
        return copy
    }

    /// `ISSUE-CODE path` of each error-level issue.
    static func errors(_ issues: [FHIRModel.Issue]) -> Set<String> {
        Set(issues.filter { $0.severity <= .error }.map { $0.code.rawValue + " " + ($0.path ?? "-") })
    }

    static func describe(_ issues: [FHIRModel.Issue]) -> String {
        let errors = issues.filter { $0.severity <= .error }
        return errors.isEmpty ? "no errors" : errors.map(\.description).joined(separator: "; ")
    }
}

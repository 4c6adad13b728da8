import FHIRGate
import FHIRGateTesting

/// What our validator said on one case, against the Java validator's counts.
struct ValidatorSuiteResult: Sendable {
    struct Run: Sendable {
        var expected: Int
        /// Reader and validator issues (every severity).
        var issues: [Issue]
        /// Why the run could not be done as asked (profile URL not found), if so.
        var note: String?

        var errors: [Issue] { issues.filter { $0.severity <= .error } }
        var count: Int { errors.count + (note == nil ? 0 : 1) }
        var exact: Bool { count == expected }
        var validity: Bool { (count == 0) == (expected == 0) }
    }

    var testCase: ValidatorSuiteCase
    var base: Run
    /// The validation against the case's profile, when it names one.
    var profile: Run?
    var profileURL: String?

    var exact: Bool { base.exact && (profile?.exact ?? true) }
    var validity: Bool { base.validity && (profile?.validity ?? true) }
}

/// Runs manifest cases: one definition store (and validation context) per distinct set of
/// supporting files, so that the many cases without any share the core one.
final class ValidatorSuiteRunner {
    let folder: String
    let model: ModelInfo
    private var contexts: [[String]: ValidationContext] = [:]

    init(folder: String, model: ModelInfo) {
        self.folder = folder
        self.model = model
    }

    /// The context over the R4 core package plus `supporting` (XML through the core model).
    func context(supporting: [String]) -> ValidationContext {
        let key = supporting.sorted()
        if let cached = contexts[key] { return cached }
        let store: DefinitionStore
        if key.isEmpty {
            store = TestSupport.coreStore
        } else {
            store = DefinitionStore.load(
                .init(
                    packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                    extraPaths: key.map { folder + "/" + $0 }, xml: .converter(DefinitionXML.converter(model: model))))
        }
        let context = ValidationContext(model: model, store: store)
        contexts[key] = context
        return context
    }

    /// The validator options a case's manifest `options` ask for.
    static func options(_ testCase: ValidatorSuiteCase, profiles: [String] = []) -> ValidationOptions {
        var options = ValidationOptions(checkContained: !testCase.ignoresContained, profiles: profiles)
        if testCase.noHTMLInMarkdown { options.htmlInMarkdown = .error }
        if testCase.referenceCheck != .syntax {
            options.referenceCheck = testCase.referenceCheck
            options.referenceResources = referenceResources
        }
        return options
    }

    /// What the Java harness's fetcher reads: the other files of the validator folder (not its
    /// subfolders), and the targets that folder lacks (Fixtures/validator-reference-targets).
    static let referenceResources: ReferenceResources? = {
        guard let folder = TestSupport.sharedPath("corpora/validator"), let model = try? TestSupport.coreModel() else {
            return nil
        }
        let files = (TestSupport.files(in: folder, suffix: ".json") + TestSupport.files(in: folder, suffix: ".xml"))
            .sorted().map { folder + "/" + $0 }
        let targets = TestSupport.repoRoot + "/Tests/ConformanceTests/Fixtures/validator-reference-targets"
        return ReferenceResources(paths: files + [targets], model: model)
    }()

    /// The canonical URL of the StructureDefinition in a supporting file.
    func profileURL(_ file: String, in store: DefinitionStore) -> String? {
        let suffix = "/" + file
        return store.entries.first { $0.resourceType == "StructureDefinition" && $0.file.hasSuffix(suffix) }?.url
    }

    func run(_ testCase: ValidatorSuiteCase) -> ValidatorSuiteResult {
        let context = context(supporting: testCase.supporting)
        let path = folder + "/" + testCase.file
        let base = InputValidator(
            validator: Validator(
                context: context, options: Self.options(testCase))
        ).validateFile(path)
        var result = ValidatorSuiteResult(
            testCase: testCase, base: .init(expected: testCase.errors, issues: base.flatMap(\.issues)))
        guard let profile = testCase.profile else { return result }
        let expected = testCase.profileErrors ?? 0
        guard let url = profileURL(profile, in: context.store) else {
            result.profile = .init(
                expected: expected, issues: [], note: "no StructureDefinition with a url found in \(profile)")
            return result
        }
        result.profileURL = url
        let validator = Validator(
            context: context, options: Self.options(testCase, profiles: [url]))
        let reports = InputValidator(validator: validator).validateFile(path)
        result.profile = .init(expected: expected, issues: reports.flatMap(\.issues))
        return result
    }
}

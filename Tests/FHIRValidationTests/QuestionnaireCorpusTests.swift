import FHIRGate
import FHIRGateTesting
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

/// The validator corpus's questionnaire cases and the official R4 examples, against the checks
/// of this folder alone.
@Suite(.enabled(if: TestSupport.hasCorePackage)) struct QuestionnaireCorpusTests {
    /// Errors the reference validator reports for Questionnaire resources that come from other
    /// checks (invariants, unknown extensions): this folder's checks must add none there.
    static let otherChecksOnly: Set<String> = ["q-bp", "questionnaire-enableWhen-dw", "q-enablewhen-me-wrong"]

    static func read(_ path: String, model: ModelInfo) throws -> ElementNode {
        if path.hasSuffix(".xml") {
            return try FHIRXMLReader(model: model).read(try FileBytes.read(path)).root
        }
        return try FHIRJSONReader(model: model).read(try FileBytes.read(path)).root
    }

    static func store(extraPaths: [String]) -> DefinitionStore {
        DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: extraPaths))
    }

    @Test(
        .enabled(
            if: TestSupport.sharedPath("corpora/validator") != nil, "../shared/corpora/validator is absent; skipped"))
    func agreesWithTheReferenceValidator() throws {
        let folder = try #require(TestSupport.sharedPath("corpora/validator"))
        let model = try TestSupport.coreModel()
        let manifest = try JSONValue.parse(try FileBytes.read(folder + "/manifest.json"))
        var agreed: [String] = []
        var total = 0
        for item in manifest["cases"]?.arrayValue ?? [] where item["module"]?.stringValue == "questionnaire" {
            guard let name = item["name"]?.stringValue, let file = item["file"]?.stringValue,
                case .number(let n)? = item["errors"], let expectedErrors = Int(n)
            else { continue }
            total += 1
            let root = try Self.read(folder + "/" + file, model: model)
            var issues: [Issue] = []
            switch root.typeName {
            case "QuestionnaireResponse":
                let supporting = (item["supporting"]?.arrayValue ?? []).compactMap(\.stringValue).map {
                    folder + "/" + $0
                }
                let context = ValidationContext(model: model, store: Self.store(extraPaths: supporting))
                QuestionnaireResponseChecker(context: context).check(root, path: "QuestionnaireResponse", into: &issues)
                #expect(issues.qrIssues(.questionnaireNotFound).isEmpty, "\(name): Questionnaire not resolved")
            case "Questionnaire":
                QuestionnaireDefinitionChecker().check(root, path: "Questionnaire", into: &issues)
            default:
                Testing.Issue.record("\(name): unexpected resource type")
            }
            let expected = Self.otherChecksOnly.contains(name) ? 0 : expectedErrors
            let ours = issues.qrErrors.count
            #expect(ours == expected, "\(name): \(ours) errors, expected \(expected): \(issues)")
            if ours == expected { agreed.append(name) }
        }
        print("questionnaire corpus: \(agreed.count)/\(total) agree")
        #expect(total == 9)
    }

    @Test(
        .enabled(
            if: TestSupport.sharedPath("corpora/examples-r4-json") != nil,
            "../shared/corpora/examples-r4-json is absent; skipped"))
    func officialExamplesHaveNoErrors() throws {
        let folder = try #require(TestSupport.sharedPath("corpora/examples-r4-json"))
        let model = try TestSupport.coreModel()
        let questionnaires = TestSupport.files(in: folder, suffix: ".json").filter { $0.hasPrefix("Questionnaire-") }
        let context = ValidationContext(
            model: model, store: Self.store(extraPaths: questionnaires.map { folder + "/" + $0 }))
        let cache = QuestionnaireCache()
        var resolved = 0
        var responses = 0
        for name in TestSupport.files(in: folder, suffix: ".json") where name.hasPrefix("QuestionnaireResponse-") {
            responses += 1
            let root = try Self.read(folder + "/" + name, model: model)
            var issues: [Issue] = []
            QuestionnaireResponseChecker(context: context, cache: cache).check(
                root, path: "QuestionnaireResponse", into: &issues)
            #expect(issues.qrErrors.isEmpty, "\(name): \(issues)")
            if issues.qrIssues(.questionnaireNotFound).isEmpty { resolved += 1 }
        }
        for name in questionnaires {
            var issues: [Issue] = []
            QuestionnaireDefinitionChecker().check(
                try Self.read(folder + "/" + name, model: model), path: "Questionnaire", into: &issues)
            #expect(issues.isEmpty, "\(name): \(issues)")
        }
        #expect(responses >= 5)
        // QuestionnaireResponse-gcs names `Questionnaire/gcs`, found by id among the definitions.
        #expect(resolved >= 1)
    }
}

import FHIRGate
import FHIRGateTesting
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

@Suite(.enabled(if: TestSupport.hasCorePackage)) struct QuestionnaireResolutionTests {
    typealias Kit = QuestionnaireTestKit

    static let questionnaire = """
        {"resourceType":"Questionnaire","id":"weight","url":"http://example.org/Questionnaire/weight","version":"2.0",
         "status":"active","item":[{"linkId":"w","type":"decimal","required":true}]}
        """

    static func response(_ reference: String, answer: String = #"{"valueDecimal":70.5}"#) -> String {
        """
        {"resourceType":"QuestionnaireResponse","questionnaire":"\(reference)","status":"completed",
         "item":[{"linkId":"w","answer":[\(answer)]}]}
        """
    }

    /// A context whose store also holds the Questionnaire above, written to a temporary file.
    static func contextWithQuestionnaire() throws -> (ValidationContext, String) {
        let folder = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-qr")
        try FileBytes.writeAtomically(Array(questionnaire.utf8), to: folder + "/Questionnaire-weight.json")
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: [folder]))
        return (ValidationContext(model: try TestSupport.coreModel(), store: store), folder)
    }

    @Test func resolvesFromTheStoreByURLVersionAndRelativeID() throws {
        let (context, folder) = try Self.contextWithQuestionnaire()
        defer { TestSupport.removeTree(folder) }
        for reference in [
            "http://example.org/Questionnaire/weight", "http://example.org/Questionnaire/weight|2.0",
            "Questionnaire/weight",
        ] {
            let good = try Kit.check(Self.response(reference), context: context)
            #expect(good.isEmpty, "\(reference): \(good)")
            // The Questionnaire really is used: a wrong answer type is found.
            let bad = try Kit.check(Self.response(reference, answer: #"{"valueString":"x"}"#), context: context)
            #expect(bad.qrIssues(.questionnaireAnswerType).count == 1, "\(reference): \(bad)")
        }
        let otherVersion = try Kit.check(Self.response("http://example.org/Questionnaire/weight|3.0"), context: context)
        #expect(otherVersion.map(\.code) == [.questionnaireNotFound])
        #expect(otherVersion.map(\.severity) == [.information])
        #expect(otherVersion.first?.path == "QuestionnaireResponse.questionnaire")
    }

    @Test func cachedDefinitionsAreReused() throws {
        let (context, folder) = try Self.contextWithQuestionnaire()
        defer { TestSupport.removeTree(folder) }
        let cache = QuestionnaireCache()
        let response = try Kit.read(
            Self.response("http://example.org/Questionnaire/weight", answer: #"{"valueBoolean":true}"#))
        for _ in 0..<3 {
            var issues: [Issue] = []
            QuestionnaireResponseChecker(context: context, cache: cache).check(
                response, path: "QuestionnaireResponse", into: &issues)
            #expect(issues.qrIssues(.questionnaireAnswerType).count == 1)
        }
        // Unknown references are remembered too, and still reported.
        let missing = try Kit.read(Self.response("http://example.org/Questionnaire/none"))
        for _ in 0..<2 {
            var issues: [Issue] = []
            QuestionnaireResponseChecker(context: context, cache: cache).check(missing, path: "X", into: &issues)
            #expect(issues.map(\.code) == [.questionnaireNotFound])
        }
    }

    @Test func resolvesAmongSiblingResources() throws {
        let context = try #require(Kit.context)
        let sibling = try Kit.read(Self.questionnaire)
        let response = try Kit.read(
            Self.response("http://example.org/Questionnaire/weight|2.0", answer: #"{"valueInteger":3}"#))
        var issues: [Issue] = []
        QuestionnaireResponseChecker(context: context).check(
            response, path: "Bundle.entry[1].resource", siblings: [sibling], into: &issues)
        #expect(
            issues.qrIssues(.questionnaireAnswerType).map(\.path) == [
                "Bundle.entry[1].resource.item[0].answer[0].value"
            ])
        var alone: [Issue] = []
        QuestionnaireResponseChecker(context: context).check(response, path: "QuestionnaireResponse", into: &alone)
        #expect(alone.map(\.code) == [.questionnaireNotFound])
    }

    @Test func responsesWithoutAQuestionnaireAreNotChecked() throws {
        let issues = try Kit.check(
            #"{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":"a","answer":[{"valueBoolean":true}]}]}"#
        )
        #expect(issues.map(\.code) == [.questionnaireNotFound])
        #expect(issues.map(\.severity) == [.information])
        let missingContained = try Kit.check(Self.response("#nothere"))
        #expect(missingContained.map(\.code) == [.questionnaireNotFound])
    }

    @Test func disabledItemsAreReportedOnceAtTheTop() throws {
        let q = """
            [{"linkId":"t","type":"boolean"},
             {"linkId":"g","type":"group","enableWhen":[{"question":"t","operator":"=","answerBoolean":true}],
              "item":[{"linkId":"g.a","type":"string"},{"linkId":"g.b","type":"string"}]}]
            """
        let issues = try Kit.check(
            questionItems: q,
            answerItems: """
                [{"linkId":"t","answer":[{"valueBoolean":false}]},{"linkId":"g","item":[
                  {"linkId":"g.a","answer":[{"valueString":"x"}]},{"linkId":"g.b","answer":[{"valueString":"y"}]}]}]
                """)
        #expect(issues.qrIssues(.questionnaireDisabled).map(\.path) == ["QuestionnaireResponse.item[1]"])
        #expect(issues.qrErrors.count == 1)
    }
}

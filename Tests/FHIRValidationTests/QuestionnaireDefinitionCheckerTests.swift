import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

@Suite(.enabled(if: TestSupport.hasCorePackage)) struct QuestionnaireDefinitionCheckerTests {
    private func check(_ items: String) throws -> [Issue] {
        let root = try QuestionnaireTestKit.read(
            #"{"resourceType":"Questionnaire","status":"active","item":\#(items)}"#)
        var issues: [Issue] = []
        QuestionnaireDefinitionChecker().check(root, path: "Questionnaire", into: &issues)
        return issues
    }

    private static func condition(_ question: String) -> String {
        #""enableWhen":[{"question":"\#(question)","operator":"exists","answerBoolean":true}]"#
    }

    @Test func conditionsOnOtherItemsAreFine() throws {
        let issues = try check(
            """
            [{"linkId":"a","type":"boolean"},{"linkId":"b","type":"string",\(Self.condition("a"))},
             {"linkId":"p","type":"boolean","item":[{"linkId":"p.c","type":"string",\(Self.condition("p"))}]},
             {"linkId":"g","type":"group","item":[{"linkId":"g.x","type":"string",\(Self.condition("b"))}]}]
            """)
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func unknownTargets() throws {
        let issues = try check(
            #"[{"linkId":"a","type":"boolean"},{"linkId":"b","type":"string",\#(Self.condition("zz"))}]"#)
        #expect(issues.map(\.path) == ["Questionnaire.item[1].enableWhen[0]"])
        #expect(issues.map(\.severity) == [.error])
        #expect(issues.first?.message.contains("'zz'") == true)
    }

    @Test func selfAndInnerTargets() throws {
        let own = try check(#"[{"linkId":"a","type":"boolean",\#(Self.condition("a"))}]"#)
        #expect(own.map(\.code) == [.questionnaireEnableWhen])
        let inner = try check(
            #"[{"linkId":"g","type":"group",\#(Self.condition("g.c")),"item":[{"linkId":"g.c","type":"boolean"}]}]"#)
        #expect(inner.map(\.path) == ["Questionnaire.item[0].enableWhen[0]"])
        #expect(inner.first?.message.contains("nested") == true)
    }
}

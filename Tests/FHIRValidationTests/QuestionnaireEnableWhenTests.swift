import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

@Suite(.enabled(if: TestSupport.hasCorePackage)) struct QuestionnaireEnableWhenTests {
    typealias Kit = QuestionnaireTestKit

    /// A trigger question of `type` and a required dependent item enabled by `condition`.
    private func check(type: String, condition: String, answer: String?, dependentAnswered: Bool = false) throws
        -> [Issue]
    {
        let q = """
            [{"linkId":"t","type":"\(type)"},
             {"linkId":"d","type":"string","required":true,"enableWhen":[{"question":"t",\(condition)}]}]
            """
        var items: [String] = []
        if let answer { items.append(#"{"linkId":"t","answer":[{\#(answer)}]}"#) }
        if dependentAnswered { items.append(#"{"linkId":"d","answer":[{"valueString":"x"}]}"#) }
        return try Kit.check(questionItems: q, answerItems: "[" + items.joined(separator: ",") + "]")
    }

    /// Whether the dependent item came out enabled: required error when unanswered, never a
    /// "disabled" error; and disabled: the reverse.
    private func enabled(type: String, condition: String, answer: String?) throws -> Bool {
        let unanswered = try check(type: type, condition: condition, answer: answer)
        let answered = try check(type: type, condition: condition, answer: answer, dependentAnswered: true)
        let isEnabled = !unanswered.qrIssues(.questionnaireRequired).isEmpty
        #expect(answered.qrIssues(.questionnaireDisabled).isEmpty == isEnabled, "\(condition) \(answer ?? "-")")
        #expect(unanswered.qrErrors.count + answered.qrErrors.count == 1, "\(unanswered) \(answered)")
        return isEnabled
    }

    @Test func equalityOperators() throws {
        #expect(
            try enabled(
                type: "boolean", condition: #""operator":"=","answerBoolean":true"#, answer: #""valueBoolean":true"#))
        #expect(
            !(try enabled(
                type: "boolean", condition: #""operator":"=","answerBoolean":true"#, answer: #""valueBoolean":false"#)))
        #expect(!(try enabled(type: "boolean", condition: #""operator":"=","answerBoolean":true"#, answer: nil)))
        #expect(
            try enabled(
                type: "boolean", condition: #""operator":"!=","answerBoolean":true"#, answer: #""valueBoolean":false"#))
        #expect(
            !(try enabled(
                type: "boolean", condition: #""operator":"!=","answerBoolean":true"#, answer: #""valueBoolean":true"#)))
        // No answer at all: no answer equals the value.
        #expect(try enabled(type: "boolean", condition: #""operator":"!=","answerBoolean":true"#, answer: nil))
        let coding = #""operator":"=","answerCoding":{"system":"http://x.org","code":"y"}"#
        #expect(
            try enabled(
                type: "choice", condition: coding, answer: #""valueCoding":{"system":"http://x.org","code":"y"}"#))
        #expect(
            !(try enabled(
                type: "choice", condition: coding, answer: #""valueCoding":{"system":"http://z.org","code":"y"}"#)))
        #expect(
            try enabled(type: "string", condition: #""operator":"=","answerString":"s""#, answer: #""valueString":"s""#)
        )
    }

    @Test func existsOperator() throws {
        #expect(
            try enabled(
                type: "integer", condition: #""operator":"exists","answerBoolean":true"#, answer: #""valueInteger":0"#))
        #expect(!(try enabled(type: "integer", condition: #""operator":"exists","answerBoolean":true"#, answer: nil)))
        #expect(try enabled(type: "integer", condition: #""operator":"exists","answerBoolean":false"#, answer: nil))
        #expect(
            !(try enabled(
                type: "integer", condition: #""operator":"exists","answerBoolean":false"#, answer: #""valueInteger":0"#))
        )
    }

    @Test func orderingOperators() throws {
        #expect(
            try enabled(type: "integer", condition: #""operator":">","answerInteger":5"#, answer: #""valueInteger":6"#))
        #expect(
            !(try enabled(
                type: "integer", condition: #""operator":">","answerInteger":5"#, answer: #""valueInteger":5"#)))
        #expect(
            try enabled(type: "integer", condition: #""operator":">=","answerInteger":5"#, answer: #""valueInteger":5"#)
        )
        #expect(
            try enabled(
                type: "decimal", condition: #""operator":"<","answerDecimal":1.5"#, answer: #""valueDecimal":1.25"#))
        #expect(
            !(try enabled(
                type: "decimal", condition: #""operator":"<=","answerDecimal":1.5"#, answer: #""valueDecimal":1.51"#)))
        #expect(
            try enabled(
                type: "date", condition: #""operator":"<","answerDate":"2020-01-01""#,
                answer: #""valueDate":"2019-12-31""#))
        #expect(
            !(try enabled(
                type: "date", condition: #""operator":">","answerDate":"2020-01-01""#,
                answer: #""valueDate":"2019-12-31""#)))
        #expect(
            try enabled(
                type: "time", condition: #""operator":">","answerTime":"10:00:00""#, answer: #""valueTime":"11:30:00""#)
        )
        let qty = #""operator":">","answerQuantity":{"value":70,"system":"http://unitsofmeasure.org","code":"kg"}"#
        #expect(
            try enabled(
                type: "quantity", condition: qty,
                answer: #""valueQuantity":{"value":80,"system":"http://unitsofmeasure.org","code":"kg"}"#))
        // Different units do not compare.
        #expect(
            !(try enabled(
                type: "quantity", condition: qty,
                answer: #""valueQuantity":{"value":80,"system":"http://unitsofmeasure.org","code":"g"}"#)))
    }

    @Test func enableBehaviorAllAndAny() throws {
        func run(_ behavior: String, _ a: Int, _ b: Int) throws -> [Issue] {
            try Kit.check(
                questionItems: """
                    [{"linkId":"a","type":"integer"},{"linkId":"b","type":"integer"},
                     {"linkId":"d","type":"string","required":true,"enableBehavior":"\(behavior)","enableWhen":[
                       {"question":"a","operator":"=","answerInteger":1},{"question":"b","operator":"=","answerInteger":1}]}]
                    """,
                answerItems: """
                    [{"linkId":"a","answer":[{"valueInteger":\(a)}]},{"linkId":"b","answer":[{"valueInteger":\(b)}]}]
                    """)
        }
        #expect(try run("all", 1, 0).isEmpty)
        #expect(try run("all", 1, 1).qrIssues(.questionnaireRequired).count == 1)
        #expect(try run("any", 1, 0).qrIssues(.questionnaireRequired).count == 1)
        #expect(try run("any", 0, 0).isEmpty)
    }

    @Test func nearestOccurrenceInRepeatingGroups() throws {
        let q = """
            [{"linkId":"g","type":"group","repeats":true,"item":[{"linkId":"c","type":"boolean"},
              {"linkId":"e","type":"boolean","required":true,"enableWhen":[{"question":"c","operator":"=","answerBoolean":true}]}]}]
            """
        let issues = try Kit.check(
            questionItems: q,
            answerItems: """
                [{"linkId":"g","item":[{"linkId":"c","answer":[{"valueBoolean":true}]},{"linkId":"e","answer":[{"valueBoolean":true}]}]},
                 {"linkId":"g","item":[{"linkId":"c","answer":[{"valueBoolean":false}]},{"linkId":"e","answer":[{"valueBoolean":true}]}]},
                 {"linkId":"g","item":[{"linkId":"c","answer":[{"valueBoolean":true}]}]},
                 {"linkId":"g","item":[{"linkId":"c","answer":[{"valueBoolean":false}]}]}]
                """)
        #expect(issues.qrIssues(.questionnaireDisabled).map(\.path) == ["QuestionnaireResponse.item[1].item[1]"])
        #expect(issues.qrIssues(.questionnaireRequired).map(\.path) == ["QuestionnaireResponse.item[2]"])
        #expect(issues.qrErrors.count == 2)
    }

    @Test func manyRepeatingGroupsEachUseTheirOwnAnswers() throws {
        let q = """
            [{"linkId":"g","type":"group","repeats":true,"item":[{"linkId":"c","type":"boolean"},
              {"linkId":"e","type":"boolean","enableWhen":[{"question":"c","operator":"=","answerBoolean":true}]}]}]
            """
        let count = 4000
        let groups = (0..<count).map { i in
            #"{"linkId":"g","item":[{"linkId":"c","answer":[{"valueBoolean":\#(i % 2 == 0)}]},"#
                + #"{"linkId":"e","answer":[{"valueBoolean":true}]}]}"#
        }
        let issues = try Kit.check(questionItems: q, answerItems: "[" + groups.joined(separator: ",") + "]")
        #expect(issues.qrIssues(.questionnaireDisabled).count == count / 2)
        #expect(issues.qrIssues(.questionnaireDisabled).first?.path == "QuestionnaireResponse.item[1].item[1]")
    }

    @Test func ancestorQuestionsEnableNestedItems() throws {
        let q = """
            [{"linkId":"p","type":"boolean","item":[
              {"linkId":"p.more","type":"string","required":true,"enableWhen":[{"question":"p","operator":"=","answerBoolean":true}]}]}]
            """
        let yes = try Kit.check(
            questionItems: q,
            answerItems: #"[{"linkId":"p","answer":[{"valueBoolean":true,"item":[{"linkId":"p.more"}]}]}]"#)
        #expect(yes.qrIssues(.questionnaireRequired).map(\.path) == ["QuestionnaireResponse.item[0].answer[0]"])
        let no = try Kit.check(
            questionItems: q,
            answerItems:
                #"[{"linkId":"p","answer":[{"valueBoolean":false,"item":[{"linkId":"p.more","answer":[{"valueString":"x"}]}]}]}]"#
        )
        #expect(no.qrIssues(.questionnaireDisabled).map(\.path) == ["QuestionnaireResponse.item[0].answer[0].item[0]"])
    }

    @Test func disabledGroupsDisableTheirItems() throws {
        let q = """
            [{"linkId":"t","type":"boolean"},
             {"linkId":"g","type":"group","enableWhen":[{"question":"t","operator":"=","answerBoolean":true}],
              "item":[{"linkId":"g.a","type":"string","required":true}]}]
            """
        let issues = try Kit.check(
            questionItems: q,
            answerItems: #"[{"linkId":"t","answer":[{"valueBoolean":false}]},{"linkId":"g","item":[{"linkId":"g.b"}]}]"#
        )
        // The group is reported; its missing required item is not (it is disabled too).
        #expect(issues.qrIssues(.questionnaireDisabled).map(\.path) == ["QuestionnaireResponse.item[1]"])
        #expect(issues.qrIssues(.questionnaireRequired).isEmpty)
    }

    @Test func unevaluableConditionsAreReportedOnceAndNotGuessed() throws {
        let q = """
            [{"linkId":"t","type":"boolean"},
             {"linkId":"d","type":"string","required":true,"enableWhen":[{"question":"t","operator":"exists","answerString":"x"}]}]
            """
        let issues = try Kit.check(questionItems: q, answerItems: #"[{"linkId":"t","answer":[{"valueBoolean":true}]}]"#)
        #expect(issues.map(\.code) == [.questionnaireEnableWhen])
        #expect(issues.map(\.severity) == [.information])
    }

    @Test func enableWhenExpression() throws {
        func run(_ expression: String) throws -> [Issue] {
            try Kit.check(
                questionItems: """
                    [{"linkId":"t","type":"boolean"},
                     {"linkId":"d","type":"string","required":true,"extension":[{
                       "url":"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression",
                       "valueExpression":{"language":"text/fhirpath","expression":"\(expression)"}}]}]
                    """,
                answerItems: #"[{"linkId":"t","answer":[{"valueBoolean":true}]}]"#)
        }
        #expect(
            try run("%resource.item.where(linkId='t').answer.value = true").qrIssues(.questionnaireRequired).count == 1)
        #expect(try run("%resource.item.where(linkId='t').answer.value = false").isEmpty)
        #expect(try run("%resource.item.(").map(\.code) == [.questionnaireEnableWhen])
    }
}

import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

/// Builds responses with a contained Questionnaire and runs the checker on them.
enum QuestionnaireTestKit {
    static let context: ValidationContext? = {
        guard let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: TestSupport.coreStore)
    }()

    /// A QuestionnaireResponse (JSON) whose Questionnaire, with `questionItems`, is contained.
    static func response(questionItems: String, answerItems: String, status: String = "completed", extra: String = "")
        -> String
    {
        // JSON arrays are never empty in FHIR: no answered items means no `item`.
        let items = answerItems == "[]" ? "" : #","item":"# + answerItems
        return """
            {"resourceType":"QuestionnaireResponse","contained":[{"resourceType":"Questionnaire","id":"q",
              "status":"active","item":\(questionItems)}\(extra)],
             "questionnaire":"#q","status":"\(status)"\(items)}
            """
    }

    static func read(_ json: String) throws -> ElementNode {
        let parsed = try FHIRJSONReader(model: try TestSupport.coreModel()).read(json)
        #expect(parsed.issues.isEmpty, "reader issues: \(parsed.issues)")
        return parsed.root
    }

    static func check(_ json: String, context: ValidationContext? = context) throws -> [FHIRModel.Issue] {
        let context = try #require(context)
        var issues: [FHIRModel.Issue] = []
        QuestionnaireResponseChecker(context: context).check(
            try read(json), path: "QuestionnaireResponse", into: &issues)
        return issues
    }

    static func check(questionItems: String, answerItems: String, status: String = "completed") throws -> [FHIRModel
        .Issue]
    {
        try check(response(questionItems: questionItems, answerItems: answerItems, status: status))
    }
}

extension [FHIRModel.Issue] {
    var qrErrors: [FHIRModel.Issue] { filter { $0.severity <= .error } }
    func qrIssues(_ code: IssueCode) -> [FHIRModel.Issue] { filter { $0.code == code } }
}

@Suite(.enabled(if: TestSupport.hasCorePackage)) struct QuestionnaireResponseCheckerTests {
    typealias Kit = QuestionnaireTestKit

    static let basicItems = """
        [{"linkId":"name","type":"string","required":true,"maxLength":5},
         {"linkId":"age","type":"integer"},
         {"linkId":"smoker","type":"boolean"},
         {"linkId":"info","type":"display"},
         {"linkId":"grp","type":"group","item":[{"linkId":"grp.a","type":"date"}]}]
        """

    @Test func validResponseHasNoIssues() throws {
        let issues = try Kit.check(
            questionItems: Self.basicItems,
            answerItems: """
                [{"linkId":"name","answer":[{"valueString":"Ann"}]},{"linkId":"age","answer":[{"valueInteger":4}]},
                 {"linkId":"grp","item":[{"linkId":"grp.a","answer":[{"valueDate":"2020-01-02"}]}]}]
                """)
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func unknownAndMisplacedLinkIds() throws {
        let issues = try Kit.check(
            questionItems: Self.basicItems,
            answerItems: """
                [{"linkId":"name","answer":[{"valueString":"Ann"}]},{"linkId":"nope","answer":[{"valueString":"x"}]},
                 {"linkId":"grp.a","answer":[{"valueString":"2020"}]}]
                """)
        let linkIssues = issues.qrIssues(.questionnaireLinkId)
        #expect(linkIssues.count == 2)
        #expect(linkIssues.map(\.path) == ["QuestionnaireResponse.item[1]", "QuestionnaireResponse.item[2]"])
        #expect(linkIssues[0].message.contains("'nope'"))
        #expect(linkIssues[1].message.contains("not at this place"))
        // The misplaced item is still checked against its definition (a date item).
        #expect(
            issues.qrIssues(.questionnaireAnswerType).map(\.path) == ["QuestionnaireResponse.item[2].answer[0].value"])
        #expect(issues.qrErrors.count == 3)
    }

    @Test func answerTypesMustFitItemTypes() throws {
        let issues = try Kit.check(
            questionItems: Self.basicItems,
            answerItems: """
                [{"linkId":"name","answer":[{"valueInteger":1}]},{"linkId":"age","answer":[{"valueDecimal":4.5}]},
                 {"linkId":"smoker","answer":[{"valueBoolean":false}]}]
                """)
        let typeIssues = issues.qrIssues(.questionnaireAnswerType)
        #expect(
            typeIssues.map(\.path) == [
                "QuestionnaireResponse.item[0].answer[0].value", "QuestionnaireResponse.item[1].answer[0].value",
            ])
        #expect(typeIssues.allSatisfy { $0.severity == .error })
        #expect(typeIssues[1].message.contains("decimal") && typeIssues[1].message.contains("integer"))
        #expect(issues.qrErrors.count == 2)
    }

    @Test func everyItemTypeAcceptsItsValueType() throws {
        let cases: [(String, String)] = [
            ("boolean", #""valueBoolean":true"#), ("decimal", #""valueDecimal":1.5"#),
            ("integer", #""valueInteger":2"#),
            ("date", #""valueDate":"2020-02-02""#), ("dateTime", #""valueDateTime":"2020-02-02T10:00:00Z""#),
            ("time", #""valueTime":"10:00:00""#), ("string", #""valueString":"s""#), ("text", #""valueString":"t""#),
            ("url", #""valueUri":"http://x.org""#), ("attachment", #""valueAttachment":{"url":"http://x.org/a"}"#),
            ("reference", #""valueReference":{"reference":"Patient/1"}"#),
            ("quantity", #""valueQuantity":{"value":3,"unit":"kg"}"#), ("choice", #""valueCoding":{"code":"a"}"#),
            ("open-choice", #""valueString":"free""#),
        ]
        for (type, value) in cases {
            let issues = try Kit.check(
                questionItems: #"[{"linkId":"x","type":"\#(type)"}]"#,
                answerItems: #"[{"linkId":"x","answer":[{\#(value)}]}]"#)
            #expect(issues.qrErrors.isEmpty, "\(type): \(issues)")
            // And a boolean answer fits none of them except boolean.
            if type != "boolean" {
                let wrong = try Kit.check(
                    questionItems: #"[{"linkId":"x","type":"\#(type)"}]"#,
                    answerItems: #"[{"linkId":"x","answer":[{"valueBoolean":true}]}]"#)
                #expect(wrong.qrIssues(.questionnaireAnswerType).count == 1, "\(type): \(wrong)")
            }
        }
    }

    @Test func groupsAndDisplaysTakeNoAnswers() throws {
        let issues = try Kit.check(
            questionItems: Self.basicItems,
            answerItems: """
                [{"linkId":"name","answer":[{"valueString":"Ann"}]},{"linkId":"info","answer":[{"valueString":"x"}]},
                 {"linkId":"grp","answer":[{"valueString":"x"}]}]
                """)
        let structure = issues.qrIssues(.questionnaireStructure)
        #expect(
            structure.map(\.path) == [
                "QuestionnaireResponse.item[1].answer[0]", "QuestionnaireResponse.item[2].answer[0]",
            ])
        #expect(issues.qrErrors.count == 2)
    }

    @Test func questionsNestItemsUnderAnswers() throws {
        let q = """
            [{"linkId":"q","type":"boolean","item":[{"linkId":"q.sub","type":"string"}]}]
            """
        let good = try Kit.check(
            questionItems: q,
            answerItems:
                #"[{"linkId":"q","answer":[{"valueBoolean":true,"item":[{"linkId":"q.sub","answer":[{"valueString":"s"}]}]}]}]"#
        )
        #expect(good.isEmpty, "\(good)")
        let bad = try Kit.check(
            questionItems: q,
            answerItems:
                #"[{"linkId":"q","answer":[{"valueBoolean":true}],"item":[{"linkId":"q.sub","answer":[{"valueString":"s"}]}]}]"#
        )
        #expect(bad.qrIssues(.questionnaireStructure).map(\.path) == ["QuestionnaireResponse.item[0].item[0]"])
    }

    @Test func nonRepeatingItemsHaveOneAnswer() throws {
        let q = #"[{"linkId":"one","type":"integer"},{"linkId":"many","type":"integer","repeats":true}]"#
        let issues = try Kit.check(
            questionItems: q,
            answerItems: """
                [{"linkId":"one","answer":[{"valueInteger":1},{"valueInteger":2}]},
                 {"linkId":"many","answer":[{"valueInteger":1},{"valueInteger":2}]}]
                """)
        #expect(issues.qrIssues(.questionnaireRepeats).map(\.path) == ["QuestionnaireResponse.item[0].answer[1]"])
        #expect(issues.qrErrors.count == 1)
        let twice = try Kit.check(
            questionItems: q,
            answerItems:
                #"[{"linkId":"one","answer":[{"valueInteger":1}]},{"linkId":"one","answer":[{"valueInteger":2}]}]"#)
        #expect(twice.qrIssues(.questionnaireRepeats).map(\.path) == ["QuestionnaireResponse.item[1]"])
    }

    @Test func requiredItemsDependOnStatus() throws {
        let missing = #"[{"linkId":"age","answer":[{"valueInteger":4}]}]"#
        let completed = try Kit.check(questionItems: Self.basicItems, answerItems: missing)
        #expect(completed.qrIssues(.questionnaireRequired).map(\.severity) == [.error])
        #expect(completed.qrIssues(.questionnaireRequired).first?.path == "QuestionnaireResponse")
        #expect(completed.qrIssues(.questionnaireRequired).first?.message.contains("'name'") == true)
        let inProgress = try Kit.check(questionItems: Self.basicItems, answerItems: missing, status: "in-progress")
        #expect(inProgress.qrIssues(.questionnaireRequired).map(\.severity) == [.warning])
        #expect(inProgress.qrErrors.isEmpty)
        // Present without an answer is still missing.
        let empty = try Kit.check(questionItems: Self.basicItems, answerItems: #"[{"linkId":"name","text":"Name"}]"#)
        #expect(empty.qrIssues(.questionnaireRequired).count == 1)
    }

    @Test func requiredItemsInsideAbsentGroupsAreNotRequired() throws {
        let q = """
            [{"linkId":"g","type":"group","item":[{"linkId":"g.a","type":"string","required":true}]},
             {"linkId":"h","type":"group","required":true,"item":[{"linkId":"h.a","type":"string"}]}]
            """
        let issues = try Kit.check(
            questionItems: q, answerItems: #"[{"linkId":"h","item":[{"linkId":"h.a","answer":[{"valueString":"x"}]}]}]"#
        )
        #expect(issues.isEmpty, "\(issues)")
        let inGroup = try Kit.check(
            questionItems: q,
            answerItems:
                #"[{"linkId":"g","item":[{"linkId":"g.zzz"}]},{"linkId":"h","item":[{"linkId":"h.a","answer":[{"valueString":"x"}]}]}]"#
        )
        #expect(inGroup.qrIssues(.questionnaireRequired).map(\.path) == ["QuestionnaireResponse.item[0]"])
        let noGroup = try Kit.check(questionItems: q, answerItems: "[]")
        #expect(noGroup.qrIssues(.questionnaireRequired).count == 1)
    }

    @Test func itemsFollowTheQuestionnaireOrder() throws {
        let issues = try Kit.check(
            questionItems: Self.basicItems,
            answerItems: """
                [{"linkId":"age","answer":[{"valueInteger":4}]},{"linkId":"name","answer":[{"valueString":"Ann"}]}]
                """)
        #expect(issues.qrIssues(.questionnaireOrder).map(\.path) == ["QuestionnaireResponse.item[1]"])
        #expect(issues.qrErrors.count == 1)
    }

    @Test func maxLengthCountsCharacters() throws {
        let ok = try Kit.check(
            questionItems: Self.basicItems, answerItems: #"[{"linkId":"name","answer":[{"valueString":"Zoë A"}]}]"#)
        #expect(ok.isEmpty, "\(ok)")
        let long = try Kit.check(
            questionItems: Self.basicItems, answerItems: #"[{"linkId":"name","answer":[{"valueString":"Annabel"}]}]"#)
        #expect(long.qrIssues(.questionnaireMaxLength).map(\.path) == ["QuestionnaireResponse.item[0].answer[0].value"])
        #expect(long.qrIssues(.questionnaireMaxLength).first?.message.contains("5") == true)
    }

    @Test func textDifferingFromTheQuestionnaireIsAWarning() throws {
        let q = #"[{"linkId":"a","type":"string","text":"What is it?"}]"#
        let same = try Kit.check(
            questionItems: q, answerItems: #"[{"linkId":"a","text":"What is it?","answer":[{"valueString":"x"}]}]"#)
        #expect(same.isEmpty)
        let other = try Kit.check(
            questionItems: q, answerItems: #"[{"linkId":"a","text":"Other","answer":[{"valueString":"x"}]}]"#)
        #expect(other.qrIssues(.questionnaireText).map(\.severity) == [.warning])
    }

    @Test func messagesNeverCarryAnswerValues() throws {
        let secret = "Zq9SecretValue"
        let q =
            #"[{"linkId":"c","type":"choice","answerOption":[{"valueString":"yes"}]},{"linkId":"n","type":"string","maxLength":2},{"linkId":"b","type":"boolean"}]"#
        let issues = try Kit.check(
            questionItems: q,
            answerItems: """
                [{"linkId":"c","answer":[{"valueString":"\(secret)"}]},{"linkId":"n","answer":[{"valueString":"\(secret)"}]},
                 {"linkId":"b","answer":[{"valueString":"\(secret)"}]},{"linkId":"zz","text":"\(secret)","answer":[{"valueString":"\(secret)"}]}]
                """)
        #expect(issues.qrErrors.count == 4, "\(issues)")
        #expect(issues.allSatisfy { !$0.message.contains(secret) })
    }
}

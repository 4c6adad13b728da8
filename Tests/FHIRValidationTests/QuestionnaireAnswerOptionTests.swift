import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

@Suite(.enabled(if: TestSupport.hasCorePackage)) struct QuestionnaireAnswerOptionTests {
    typealias Kit = QuestionnaireTestKit

    static let options = """
        [{"linkId":"c","type":"choice","answerOption":[
            {"valueCoding":{"system":"http://x.org/cs","code":"a"}},{"valueCoding":{"system":"http://x.org/cs","code":"b"}}]},
         {"linkId":"o","type":"open-choice","answerOption":[{"valueCoding":{"system":"http://x.org/cs","code":"a"}}]},
         {"linkId":"s","type":"choice","answerOption":[{"valueString":"red"},{"valueString":"blue"}]},
         {"linkId":"i","type":"choice","answerOption":[{"valueInteger":1},{"valueInteger":2}]},
         {"linkId":"d","type":"choice","answerOption":[{"valueDate":"2020-01-01"}]}]
        """

    private func check(_ answers: String) throws -> [Issue] {
        try Kit.check(questionItems: Self.options, answerItems: answers)
    }

    @Test func matchingOptionsPass() throws {
        let issues = try check(
            """
            [{"linkId":"c","answer":[{"valueCoding":{"system":"http://x.org/cs","code":"b","display":"Bee"}}]},
             {"linkId":"o","answer":[{"valueString":"anything"}]},{"linkId":"s","answer":[{"valueString":"blue"}]},
             {"linkId":"i","answer":[{"valueInteger":2}]},{"linkId":"d","answer":[{"valueDate":"2020-01-01"}]}]
            """)
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func codingsMatchOnSystemAndCode() throws {
        let wrongCode = try check(
            #"[{"linkId":"c","answer":[{"valueCoding":{"system":"http://x.org/cs","code":"z"}}]}]"#)
        #expect(wrongCode.qrIssues(.questionnaireAnswerOption).map(\.severity) == [.error])
        let wrongSystem = try check(
            #"[{"linkId":"c","answer":[{"valueCoding":{"system":"http://y.org","code":"a"}}]}]"#)
        #expect(wrongSystem.qrIssues(.questionnaireAnswerOption).count == 1)
        let noSystem = try check(#"[{"linkId":"c","answer":[{"valueCoding":{"code":"a"}}]}]"#)
        #expect(noSystem.qrIssues(.questionnaireAnswerOption).count == 1)
    }

    @Test func primitiveOptionsMatchByValue() throws {
        let issues = try check(
            """
            [{"linkId":"s","answer":[{"valueString":"green"}]},{"linkId":"i","answer":[{"valueInteger":3}]},
             {"linkId":"d","answer":[{"valueDate":"2020-01-02"}]}]
            """)
        #expect(issues.qrIssues(.questionnaireAnswerOption).count == 3)
        #expect(issues.qrErrors.count == 3)
        // A type no option has is a type error.
        let coded = try check(#"[{"linkId":"s","answer":[{"valueCoding":{"code":"red"}}]}]"#)
        #expect(coded.qrErrors.count == 1)
        let timed = try check(#"[{"linkId":"i","answer":[{"valueTime":"10:00:00"}]}]"#)
        #expect(timed.qrIssues(.questionnaireAnswerType).count == 1)
    }

    @Test func openChoiceWarnsForUnlistedCodings() throws {
        let issues = try check(#"[{"linkId":"o","answer":[{"valueCoding":{"system":"http://x.org/cs","code":"q"}}]}]"#)
        #expect(issues.qrIssues(.questionnaireAnswerOption).map(\.severity) == [.warning])
        #expect(issues.qrErrors.isEmpty)
    }

    @Test func containedAnswerValueSets() throws {
        let valueSet = """
            ,{"resourceType":"ValueSet","id":"vs","status":"active","compose":{"include":[
              {"system":"http://x.org/cs","concept":[{"code":"a"},{"code":"b"}]}]}}
            """
        let q = ##"[{"linkId":"v","type":"choice","answerValueSet":"#vs"}]"##
        func run(_ code: String) throws -> [Issue] {
            try Kit.check(
                Kit.response(
                    questionItems: q,
                    answerItems:
                        #"[{"linkId":"v","answer":[{"valueCoding":{"system":"http://x.org/cs","code":"\#(code)"}}]}]"#,
                    extra: valueSet))
        }
        #expect(try run("a").isEmpty)
        #expect(try run("c").qrIssues(.questionnaireAnswerOption).map(\.severity) == [.error])
    }

    @Test func storeValueSetsAndOfflineUnknowns() throws {
        // A core value set expanded locally.
        let q =
            #"[{"linkId":"g","type":"choice","answerValueSet":"http://hl7.org/fhir/ValueSet/administrative-gender"}]"#
        func run(_ code: String, system: String = "http://hl7.org/fhir/administrative-gender") throws -> [Issue] {
            try Kit.check(
                questionItems: q,
                answerItems: #"[{"linkId":"g","answer":[{"valueCoding":{"system":"\#(system)","code":"\#(code)"}}]}]"#)
        }
        #expect(try run("female").isEmpty)
        #expect(try run("feminine").qrIssues(.questionnaireAnswerOption).count == 1)
        // A value set over LOINC cannot be expanded offline: information, not an error.
        let loinc =
            #"[{"linkId":"g","type":"choice","answerValueSet":"http://hl7.org/fhir/ValueSet/observation-codes"}]"#
        let unknown = try Kit.check(
            questionItems: loinc,
            answerItems: #"[{"linkId":"g","answer":[{"valueCoding":{"system":"http://loinc.org","code":"1-8"}}]}]"#)
        #expect(unknown.map(\.code) == [.questionnaireAnswerNotChecked])
        #expect(unknown.map(\.severity) == [.information])
    }
}

import ClinicMapping
import ClinicRecords
import FHIRGateTesting
import FHIRModel
import Testing

@Suite struct OutboundScoringTests {
    static func response(
        _ instrument: QuestionnaireResponseRecord.Instrument, _ answers: [(String, QuestionnaireResponseRecord.Answer)],
        supplied: Int? = nil
    ) throws -> QuestionnaireResponseRecord {
        QuestionnaireResponseRecord(
            id: "QR-1", instrument: instrument, patientId: "MRN-1",
            authored: try #require(FHIRDateTime("2026-03-10T09:30:00-04:00")),
            answers: answers.map { .init(itemCode: $0.0, answer: $0.1) }, suppliedTotal: supplied)
    }

    static let phq9Items = [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8",
    ]

    @Test func phq9TotalComesFromTheAnswersMatchedByLOINCCode() throws {
        let answers: [(String, QuestionnaireResponseRecord.Answer)] =
            zip(
                Self.phq9Items,
                [
                    "LA6570-1", "LA6571-9", "LA6570-1", "LA6570-1", "LA6569-3", "LA6570-1", "LA6569-3", "LA6568-5",
                    "LA6568-5",
                ]
            ).map {
                ($0.0, .loinc($0.1))
            } + [("69722-7", .loinc("LA6575-0"))]
        let score = QuestionnaireScoring.score(try Self.response(.phq9, answers, supplied: 13))
        #expect(score.total == 13)
        #expect(!score.suppliedTotalDisagrees && !score.item9Positive && score.missingItems.isEmpty)
    }

    @Test func numericScoresAndLA18938CountAsTheirScore() throws {
        let gad7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
        var answers: [(String, QuestionnaireResponseRecord.Answer)] = gad7.map { ($0, .score(1)) }
        answers[1] = ("68509-9", .loinc("LA18938-3"))
        let score = QuestionnaireScoring.score(try Self.response(.gad7, answers, supplied: 9))
        #expect(score.total == 8)
        #expect(score.suppliedTotalDisagrees)
    }

    @Test func missingItemsGiveNoTotalAndItem9RaisesTheFlag() throws {
        let answers: [(String, QuestionnaireResponseRecord.Answer)] = [
            ("44250-9", .score(2)), ("44260-8", .loinc("LA6569-3")),
        ]
        let score = QuestionnaireScoring.score(try Self.response(.phq9, answers))
        #expect(score.total == nil)
        #expect(score.missingItems.count == 7)
        #expect(score.item9Positive)
    }

    @Test(.enabled(if: TestSupport.hasCorePackage)) func theTranslationReportsMismatchAndFlagAndUsesOurTotal() throws {
        let t = try OutboundFixtures.translate(["plain-patient.json"])
        let codes = t.issues.map(\.code.rawValue)
        #expect(codes.filter { $0 == "MAP-SCORE-MISMATCH" }.count == 2)
        let flag = try #require(t.issues.first { $0.code == MappingIssueCode.phq9Item9 })
        #expect(flag.severity == .warning)
        #expect(flag.path == "questionnaireResponse[QR-PHQ9-2026-04-02].answers.44260-8")
        #expect(flag.file?.hasSuffix("plain-patient.json") == true && flag.position?.isKnown == true)
        #expect(codes.contains("MAP-ANSWER-NORMALISED"))

        let phq9 = try #require(t.resource("Observation", "QR-PHQ9-2026-04-02/total")).resource
        #expect(OutboundFixtures.values(phq9, "value.value") == ["8"])
        #expect(OutboundFixtures.values(phq9, "interpretation.coding.code") == ["A"])
        #expect(!OutboundFixtures.values(phq9, "note.text").isEmpty)
        let gad7 = try #require(t.resource("Observation", "QR-GAD7-2026-04-02/total")).resource
        #expect(OutboundFixtures.values(gad7, "value.value") == ["6"])
        #expect(OutboundFixtures.values(gad7, "interpretation.coding.code").isEmpty)
        // Messages never carry values.
        for issue in t.issues { #expect(!issue.message.contains("Blake") && !issue.message.contains("12")) }
    }
}

import FHIRModel

/// PHQ-9, GAD-7 and dissociation answers with realistic patterns: a total is spread over the
/// items (no item above 3), the PHQ-9 suicidality item is usually 0, and the "how difficult"
/// item follows the severity.
enum SyntheticQuestionnaires {
    static let answerCodes = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]

    /// A PHQ-9 response with the given total (clamped to what the items allow).
    static func phq9(
        id: String, patientId: String, sessionId: String?, authored: SyntheticTime, total: Int,
        rng: inout SplitMix64
    ) -> QuestionnaireResponseRecord {
        let instrument = QuestionnaireResponseRecord.Instrument.phq9
        // Item 9 (thoughts of self-harm) stays 0 for most, at most 1 unless the total is high.
        let itemNineCap = rng.chance(25) ? (total >= 20 ? 2 : (total >= 10 ? 1 : 0)) : 0
        var caps = Array(repeating: 3, count: 9)
        caps[8] = itemNineCap
        let scores = spread(total, caps: caps, rng: &rng)
        var answers = zip(instrument.scoredItemCodes, scores).map { item, score in
            QuestionnaireResponseRecord.ItemAnswer(itemCode: item, answer: .loinc(answerCodes[score]))
        }
        let sum = scores.reduce(0, +)
        let difficulty =
            sum >= 20 ? "LA6574-3" : sum >= 15 ? "LA6575-0" : sum >= 5 ? "LA6573-5" : "LA6572-7"
        answers.append(.init(itemCode: "69722-7", answer: .loinc(difficulty)))
        return QuestionnaireResponseRecord(
            id: id, instrument: instrument, patientId: patientId, sessionId: sessionId, authored: authored.dateTime,
            answers: answers, suppliedTotal: rng.chance(50) ? sum : nil)
    }

    /// A GAD-7 response with the given total; item 68509-9 sometimes uses the LA18938-3 answer.
    static func gad7(
        id: String, patientId: String, sessionId: String?, authored: SyntheticTime, total: Int,
        rng: inout SplitMix64
    ) -> QuestionnaireResponseRecord {
        let instrument = QuestionnaireResponseRecord.Instrument.gad7
        let scores = spread(total, caps: Array(repeating: 3, count: 7), rng: &rng)
        let useAlternative = rng.chance(30)
        let answers = zip(instrument.itemCodes, scores).map { item, score in
            let code = item == "68509-9" && score == 2 && useAlternative ? "LA18938-3" : answerCodes[score]
            return QuestionnaireResponseRecord.ItemAnswer(itemCode: item, answer: .loinc(code))
        }
        return QuestionnaireResponseRecord(
            id: id, instrument: instrument, patientId: patientId, sessionId: sessionId, authored: authored.dateTime,
            answers: answers, suppliedTotal: rng.chance(50) ? scores.reduce(0, +) : nil)
    }

    /// The 0-10 dissociation self-rating after a dose.
    static func dissociation(
        id: String, patientId: String, sessionId: String, authored: SyntheticTime, score: Int
    ) -> QuestionnaireResponseRecord {
        QuestionnaireResponseRecord(
            id: id, instrument: .dissociationNRS, patientId: patientId, sessionId: sessionId,
            authored: authored.dateTime,
            answers: [.init(itemCode: "dissociation-nrs", answer: .score(min(max(score, 0), 10)))])
    }

    /// Spreads `total` over items one point at a time, each item at most its cap; items that
    /// already score are a little more likely to get the next point (symptoms cluster).
    static func spread(_ total: Int, caps: [Int], rng: inout SplitMix64) -> [Int] {
        var scores = Array(repeating: 0, count: caps.count)
        var remaining = min(total, caps.reduce(0, +))
        while remaining > 0 {
            let open = scores.indices.filter { scores[$0] < caps[$0] }
            let weighted = open.flatMap { i in Array(repeating: i, count: scores[i] > 0 ? 2 : 1) }
            scores[rng.pick(weighted)] += 1
            remaining -= 1
        }
        return scores
    }
}

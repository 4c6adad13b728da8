import ClinicRecords

/// The score of one instrument's answers, computed by the gateway (section 3): items are
/// matched by their code (LOINC for PHQ-9 and GAD-7), LOINC answers scored with the table of
/// section 3 (`LA6568-5` 0, `LA6569-3` 1, `LA6570-1` 2, `LA6571-9` 3, `LA18938-3` 2), numeric
/// answers taken as their score. Missing items are not prorated: the total is then nil.
public struct QuestionnaireScore: Sendable, Hashable {
    /// The sum of the scored items, or nil when any scored item is unanswered.
    public var total: Int?
    /// Scored items with no answer, in instrument order.
    public var missingItems: [String]
    /// PHQ-9 item 9 (44260-8) answered above 0: a safety flag.
    public var item9Positive: Bool
    /// A supplied total that differs from ``total`` (or a supplied total when no total can be computed).
    public var suppliedTotalDisagrees: Bool
}

public enum QuestionnaireScoring {
    /// The PHQ-9 item on thoughts of self-harm.
    public static let phq9Item9 = "44260-8"

    /// The score of one answer, or nil for an answer that carries none (e.g. PHQ-9 difficulty).
    public static func score(_ answer: QuestionnaireResponseRecord.Answer) -> Int? {
        switch answer {
        case .score(let n): n
        case .loinc(let code): QuestionnaireResponseRecord.answerScores[code]
        }
    }

    public static func score(_ r: QuestionnaireResponseRecord) -> QuestionnaireScore {
        var byItem: [String: Int] = [:]
        for a in r.answers {
            if let s = score(a.answer) { byItem[a.itemCode] = s }
        }
        let scored = r.instrument.scoredItemCodes
        let missing = scored.filter { byItem[$0] == nil }
        let total: Int? = missing.isEmpty ? scored.reduce(0) { $0 + (byItem[$1] ?? 0) } : nil
        let item9 = r.instrument == .phq9 && (byItem[phq9Item9] ?? 0) > 0
        let disagrees = r.suppliedTotal.map { $0 != total } ?? false
        return QuestionnaireScore(
            total: total, missingItems: missing, item9Positive: item9, suppliedTotalDisagrees: disagrees)
    }
}

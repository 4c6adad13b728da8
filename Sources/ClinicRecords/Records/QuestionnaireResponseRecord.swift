import FHIRModel

/// `"kind": "questionnaireResponse"`: the answers to one outcome instrument. Answers are keyed by
/// the item code (LOINC for PHQ-9 and GAD-7, the clinic's `kap-instruments` codes otherwise).
/// Totals are computed by the translator from the answers; a supplied total is only cross-checked.
public struct QuestionnaireResponseRecord: Sendable, Hashable {
    public enum Instrument: String, Sendable, CaseIterable {
        case phq9
        case gad7
        case dissociationNRS = "dissociation-nrs"
        case cadss

        /// The item codes in questionnaire order.
        public var itemCodes: [String] {
            switch self {
            case .phq9:
                [
                    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8",
                    "69722-7",
                ]
            case .gad7: ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
            case .dissociationNRS: ["dissociation-nrs"]
            case .cadss: (1...23).map { "cadss-item-\($0)" }
            }
        }

        /// The highest score of one scored item (PHQ-9/GAD-7 0-3, NRS 0-10, CADSS 0-4).
        public var maximumItemScore: Int {
            switch self {
            case .phq9, .gad7: 3
            case .dissociationNRS: 10
            case .cadss: 4
            }
        }

        /// The highest possible total.
        public var maximumTotal: Int { scoredItemCodes.count * maximumItemScore }

        /// The items that count towards the total (PHQ-9 69722-7, the difficulty item, does not).
        public var scoredItemCodes: [String] { itemCodes.filter { $0 != "69722-7" } }

        /// Whether the instrument's items are LOINC coded (answers may then be LOINC LA codes).
        public var isLOINC: Bool { self == .phq9 || self == .gad7 }
    }

    /// An answer: a LOINC answer code, or the item score.
    public enum Answer: Sendable, Hashable {
        case loinc(String)
        case score(Int)
    }

    public struct ItemAnswer: Sendable, Hashable {
        public var itemCode: String
        public var answer: Answer

        public init(itemCode: String, answer: Answer) {
            self.itemCode = itemCode
            self.answer = answer
        }
    }

    public var id: String
    public var instrument: Instrument
    public var patientId: String
    /// The `infusionSession` or `therapySession` the answers belong to, when given.
    public var sessionId: String?
    public var authored: FHIRDateTime
    /// Answers in the order they were written.
    public var answers: [ItemAnswer]
    /// A total written by the clinic's system; the translator recomputes and compares.
    public var suppliedTotal: Int?

    public init(
        id: String, instrument: Instrument, patientId: String, sessionId: String? = nil, authored: FHIRDateTime,
        answers: [ItemAnswer], suppliedTotal: Int? = nil
    ) {
        self.id = id
        self.instrument = instrument
        self.patientId = patientId
        self.sessionId = sessionId
        self.authored = authored
        self.answers = answers
        self.suppliedTotal = suppliedTotal
    }

    /// LOINC answer codes and their scores (LL358-3; LA18938-3 scores 2 for GAD-7 item 68509-9).
    public static let answerScores: [String: Int] = [
        "LA6568-5": 0, "LA6569-3": 1, "LA6570-1": 2, "LA6571-9": 3, "LA18938-3": 2,
    ]

    /// The answers of PHQ-9 item 69722-7 ("how difficult"), which is not scored.
    public static let difficultyAnswers: Set<String> = ["LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3"]

    static func read(_ f: Fields) -> QuestionnaireResponseRecord? {
        let id = f.identifier("id", required: true)
        let instrument = f.code("instrument", Instrument.self, required: true)
        let patientId = f.identifier("patientId", required: true)
        let sessionId = f.identifier("sessionId")
        let authored = f.dateTime("authored", required: true)
        let answers = f.node("answers", required: true).flatMap { node -> [ItemAnswer]? in
            guard let instrument else { return nil }
            return readAnswers(node, instrument: instrument, path: f.childPath("answers"), diagnostics: f.diagnostics)
        }
        let total = f.integer("suppliedTotal", in: 0...(instrument?.maximumTotal ?? 92))
        guard let id, let instrument, let patientId, let authored, let answers else { return nil }
        return QuestionnaireResponseRecord(
            id: id, instrument: instrument, patientId: patientId, sessionId: sessionId, authored: authored,
            answers: answers, suppliedTotal: total)
    }

    private static func readAnswers(
        _ node: JSONNode, instrument: Instrument, path: String, diagnostics: RecordDiagnostics
    ) -> [ItemAnswer]? {
        guard let members = node.members else {
            diagnostics.wrongType(node, expected: "an object of item code -> answer", path: path)
            return nil
        }
        if members.isEmpty {
            diagnostics.error(.recordMissingField, "no answers", path: path, at: node.position)
        }
        let items = Set(instrument.itemCodes)
        var seen: Set<String> = []
        var out: [ItemAnswer] = []
        for member in members {
            let itemPath = path + "." + member.key
            guard items.contains(member.key) else {
                diagnostics.error(
                    .recordUnknownField, "not an item of \(instrument.rawValue)", path: itemPath,
                    at: member.keyPosition)
                continue
            }
            guard seen.insert(member.key).inserted else {
                diagnostics.error(
                    .recordDuplicateField, "the item is answered twice", path: itemPath, at: member.keyPosition)
                continue
            }
            if let answer = readAnswer(
                member.value, item: member.key, instrument: instrument, path: itemPath, diagnostics)
            {
                out.append(ItemAnswer(itemCode: member.key, answer: answer))
            }
        }
        return out
    }

    private static func readAnswer(
        _ node: JSONNode, item: String, instrument: Instrument, path: String, _ diagnostics: RecordDiagnostics
    ) -> Answer? {
        switch node.value {
        case .number:
            guard item != "69722-7" else {
                diagnostics.error(
                    .recordInvalidValue, "this item is not scored: answer with its LOINC answer code", path: path,
                    at: node.position)
                return nil
            }
            let score = ValueReader.integer(
                node, in: 0...instrument.maximumItemScore, path: path, diagnostics: diagnostics)
            return score.map(Answer.score)
        case .string(let code) where instrument.isLOINC:
            guard FormatRule.loincAnswer.matches(code) else {
                diagnostics.error(
                    .recordInvalidValue, "must be \(FormatRule.loincAnswer.description) or a score", path: path,
                    at: node.position)
                return nil
            }
            let allowed: Bool
            if item == "69722-7" {
                allowed = difficultyAnswers.contains(code)
            } else {
                allowed = answerScores[code] != nil && (code != "LA18938-3" || item == "68509-9")
            }
            guard allowed else {
                diagnostics.error(
                    .recordInvalidCode, "not an answer of this item's answer list", path: path, at: node.position)
                return nil
            }
            return .loinc(code)
        default:
            let expected = instrument.isLOINC ? "a LOINC answer code or a score" : "a score (whole number)"
            diagnostics.wrongType(node, expected: expected, path: path)
            return nil
        }
    }
}

import FHIRModel

/// What the response checks need from a Questionnaire, read once from its element tree.
///
/// Answer options and enableWhen answers stay `ElementNode`s, so they compare with the
/// response's answer values through the same code (``AnswerValueComparison``).
struct QuestionnaireDefinition: Sendable {
    /// The canonical URL, when the Questionnaire has one.
    var url: String?
    var items: [QuestionnaireItemDefinition]
    /// ValueSets an `answerValueSet` of `#id` can point at: the Questionnaire's contained ones
    /// (and the response's, for a Questionnaire contained in the response).
    var containedValueSets: [String: ElementNode]
    /// linkId -> the index path of its (first) item, for items answered at the wrong place.
    private var index: [String: [Int]]
    /// Whether items nested deeper than ``maxDepth`` were left out.
    private(set) var truncated = false

    /// Item nesting deeper than this is not read (the readers' depth limits keep real input far below).
    static let maxDepth = 64

    init(questionnaire: ElementNode) {
        url = questionnaire.childValue("url")
        var valueSets: [String: ElementNode] = [:]
        for contained in questionnaire.children(named: "contained") where contained.typeName == "ValueSet" {
            if let id = contained.childValue("id") { valueSets[id] = contained }
        }
        containedValueSets = valueSets
        var truncated = false
        items = Self.readItems(of: questionnaire, depth: 0, truncated: &truncated)
        self.truncated = truncated
        var index: [String: [Int]] = [:]
        Self.indexItems(items, prefix: [], into: &index)
        self.index = index
    }

    /// The item with this linkId anywhere in the Questionnaire.
    func item(linkId: String) -> QuestionnaireItemDefinition? {
        guard let path = index[linkId] else { return nil }
        var list = items
        var found: QuestionnaireItemDefinition?
        for i in path {
            guard list.indices.contains(i) else { return nil }
            found = list[i]
            list = list[i].items
        }
        return found
    }

    /// Whether `linkId` is an item of the Questionnaire.
    func contains(linkId: String) -> Bool { index[linkId] != nil }

    private static func readItems(of node: ElementNode, depth: Int, truncated: inout Bool)
        -> [QuestionnaireItemDefinition]
    {
        let children = node.children(named: "item")
        guard !children.isEmpty else { return [] }
        guard depth < maxDepth else {
            truncated = true
            return []
        }
        return children.map { child in
            var item = QuestionnaireItemDefinition(node: child)
            item.items = readItems(of: child, depth: depth + 1, truncated: &truncated)
            return item
        }
    }

    private static func indexItems(
        _ items: [QuestionnaireItemDefinition], prefix: [Int], into index: inout [String: [Int]]
    ) {
        for (i, item) in items.enumerated() {
            let path = prefix + [i]
            if index[item.linkId] == nil { index[item.linkId] = path }
            indexItems(item.items, prefix: path, into: &index)
        }
    }
}

/// `Questionnaire.item.type` (R4).
enum QuestionnaireItemType: String, Sendable {
    case group, display, question, boolean, decimal, integer, date, dateTime, time, string, text, url, choice
    case openChoice = "open-choice"
    case attachment, reference, quantity

    /// Whether answers are allowed at all.
    var takesAnswers: Bool { self != .group && self != .display }
}

/// `Questionnaire.item.enableWhen.operator`.
enum EnableWhenOperator: String, Sendable {
    case exists
    case equal = "="
    case notEqual = "!="
    case greater = ">"
    case less = "<"
    case greaterOrEqual = ">="
    case lessOrEqual = "<="
}

/// One `enableWhen` condition.
struct EnableWhenCondition: Sendable {
    /// The linkId of the question it depends on.
    var question: String
    /// `nil` when the operator is missing or not one of R4's.
    var op: EnableWhenOperator?
    /// The `answer[x]` node (its `typeName` is the chosen type).
    var answer: ElementNode?
}

/// One Questionnaire item, as the response checks see it.
struct QuestionnaireItemDefinition: Sendable {
    var linkId: String
    /// The type code as written (`open-choice`); see ``type``.
    var typeCode: String?
    var text: String?
    var required: Bool
    var repeats: Bool
    var maxLength: Int?
    var enableWhen: [EnableWhenCondition]
    /// `enableBehavior` is `all` (else any condition enables the item).
    var enableWhenAll: Bool
    /// The SDC `enableWhenExpression` (FHIRPath), when the item has one.
    var enableWhenExpression: String?
    /// The `answerOption.value[x]` nodes.
    var answerOptions: [ElementNode]
    var answerValueSet: String?
    var items: [QuestionnaireItemDefinition] = []

    static let enableWhenExpressionURL =
        "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"

    var type: QuestionnaireItemType? { typeCode.flatMap(QuestionnaireItemType.init(rawValue:)) }

    init(node: ElementNode) {
        linkId = node.childValue("linkId") ?? ""
        typeCode = node.childValue("type")
        text = node.childValue("text")
        required = node.child(named: "required")?.booleanValue ?? false
        repeats = node.child(named: "repeats")?.booleanValue ?? false
        maxLength = node.child(named: "maxLength")?.integerValue
        enableWhen = node.children(named: "enableWhen").map { condition in
            EnableWhenCondition(
                question: condition.childValue("question") ?? "",
                op: condition.childValue("operator").flatMap(EnableWhenOperator.init(rawValue:)),
                answer: condition.child(named: "answer"))
        }
        enableWhenAll = node.childValue("enableBehavior") == "all"
        enableWhenExpression =
            node.children(named: "extension").lazy
            .filter { $0.childValue("url") == Self.enableWhenExpressionURL }
            .compactMap { $0.child(named: "value")?.childValue("expression") }
            .first
        answerOptions = node.children(named: "answerOption").compactMap { $0.child(named: "value") }
        answerValueSet = node.childValue("answerValueSet")
    }

    /// The index of the direct child item with this linkId.
    func childIndex(linkId: String) -> Int? {
        items.firstIndex { $0.linkId == linkId }
    }
}

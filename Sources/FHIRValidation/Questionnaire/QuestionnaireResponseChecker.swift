import FHIRModel

/// Checks a QuestionnaireResponse against the Questionnaire it names (when that is available
/// offline): linkIds and their places and order, answer types, options and value sets,
/// repetitions, maxLength, required items and enableWhen.
///
/// Messages name linkIds, item types and canonical URLs, never answer values.
struct QuestionnaireResponseChecker: Sendable {
    let context: ValidationContext
    let cache: QuestionnaireCache?

    init(context: ValidationContext, cache: QuestionnaireCache? = nil) {
        self.context = context
        self.cache = cache
    }

    /// Checks `response` (a QuestionnaireResponse resource node at FHIRPath location `path`).
    func check(_ response: ElementNode, path: String, into issues: inout [Issue]) {
        check(response, path: path, siblings: [], into: &issues)
    }

    /// Checks `response`, looking for its Questionnaire first among `siblings`: the other
    /// resources of the same input (a Bundle's entry resources).
    func check(_ response: ElementNode, path: String, siblings: [ElementNode], into issues: inout [Issue]) {
        switch QuestionnaireResolver(context: context, cache: cache).resolve(response, siblings: siblings) {
        case .none:
            issues.append(
                Issue(
                    .information, .questionnaireNotFound,
                    "The response names no Questionnaire, so its items are not checked against one", path: path,
                    position: response.position))
        case .notFound(let reference):
            let element = response.child(named: "questionnaire")
            issues.append(
                Issue(
                    .information, .questionnaireNotFound,
                    "The Questionnaire '\(reference)' is not available offline, so the items are not checked against it",
                    path: path + ".questionnaire", position: element?.position ?? response.position))
        case .found(let definition):
            var run = QuestionnaireResponseRun(context: context, definition: definition, response: response, path: path)
            run.run()
            issues += run.issues
        }
    }
}

/// One check of one response against one Questionnaire.
struct QuestionnaireResponseRun {
    let definition: QuestionnaireDefinition
    let evaluator: EnableWhenEvaluator
    let membership: AnswerValueSetMembership
    let response: ElementNode
    let path: String
    /// Missing required answers are errors in a completed (or amended) response, else warnings.
    let requiredSeverity: Issue.Severity
    var issues: [Issue] = []
    /// linkIds whose enableWhen could not be evaluated, reported once each.
    private var reportedEnableWhen: Set<String> = []

    init(context: ValidationContext, definition: QuestionnaireDefinition, response: ElementNode, path: String) {
        self.definition = definition
        self.response = response
        self.path = path
        let index = ResponseAnswerIndex(response: response, path: path, maxDepth: QuestionnaireDefinition.maxDepth)
        evaluator = EnableWhenEvaluator(index: index, response: response, context: context)
        membership = AnswerValueSetMembership(
            terminology: context.terminology, containedValueSets: definition.containedValueSets)
        switch response.childValue("status") {
        case "in-progress", "stopped", "entered-in-error": requiredSeverity = .warning
        default: requiredSeverity = .error
        }
    }

    mutating func run() {
        if definition.truncated {
            issue(
                .information, .questionnaireStructure,
                "The Questionnaire nests items deeper than \(QuestionnaireDefinition.maxDepth) levels; deeper items are not checked",
                path: path, node: response)
        }
        checkItems(in: response, path: path, definitions: definition.items, enablement: .enabled, depth: 0)
    }

    mutating func issue(
        _ severity: Issue.Severity, _ code: IssueCode, _ message: String, path: String, node: ElementNode
    ) {
        issues.append(Issue(severity, code, message, path: path, position: node.position))
    }

    /// The `item`s of a response, an item or an answer, against the item definitions at that place.
    mutating func checkItems(
        in container: ElementNode, path: String, definitions: [QuestionnaireItemDefinition], enablement: Enablement,
        depth: Int
    ) {
        let items = container.children(named: "item")
        guard depth < QuestionnaireDefinition.maxDepth else {
            if !items.isEmpty {
                issue(
                    .error, .questionnaireStructure, "Items are nested too deeply to check", path: path, node: container
                )
            }
            return
        }
        var order: [String: Int] = [:]
        for (i, d) in definitions.enumerated() where order[d.linkId] == nil { order[d.linkId] = i }
        var present: [String: [(node: ElementNode, path: String)]] = [:]
        var lastIndex = -1
        for (i, item) in items.enumerated() {
            let itemPath = "\(path).item[\(i)]"
            // A missing linkId is a cardinality error that the structure checks report.
            guard let linkId = item.childValue("linkId"), !linkId.isEmpty else { continue }
            if let index = order[linkId] {
                if index < lastIndex {
                    issue(
                        .error, .questionnaireOrder,
                        "The item '\(linkId)' comes after an item that follows it in the Questionnaire",
                        path: itemPath, node: item)
                }
                lastIndex = index
                present[linkId, default: []].append((item, itemPath))
            } else if let elsewhere = definition.item(linkId: linkId) {
                issue(
                    .error, .questionnaireLinkId,
                    "The item '\(linkId)' is in the Questionnaire, but not at this place", path: itemPath, node: item)
                checkItem(item, path: itemPath, definition: elsewhere, enablement: .unknown, depth: depth)
            } else {
                issue(
                    .error, .questionnaireLinkId, "The linkId '\(linkId)' is not in the Questionnaire", path: itemPath,
                    node: item)
            }
        }
        var seen: Set<String> = []
        for d in definitions where seen.insert(d.linkId).inserted {
            let occurrences = present[d.linkId] ?? []
            let state = ownEnablement(of: d, at: path, node: container).within(enablement)
            switch state {
            case .disabled:
                // Inside a disabled item only that item is reported.
                guard enablement != .disabled else { break }
                for occurrence in occurrences where Self.hasContent(occurrence.node) {
                    issue(
                        .error, .questionnaireDisabled,
                        "The item '\(d.linkId)' has answers, but its enableWhen conditions disable it",
                        path: occurrence.path, node: occurrence.node)
                }
            case .enabled:
                if d.required, d.type != .display, !occurrences.contains(where: { Self.isAnswered($0.node, d) }) {
                    issue(
                        requiredSeverity, .questionnaireRequired, "The required item '\(d.linkId)' has no answer",
                        path: path, node: container)
                }
            case .unknown:
                break
            }
            if !d.repeats, occurrences.count > 1 {
                issue(
                    .error, .questionnaireRepeats,
                    "The item '\(d.linkId)' does not repeat, but appears \(occurrences.count) times here",
                    path: occurrences[1].path, node: occurrences[1].node)
            }
            for occurrence in occurrences {
                checkItem(occurrence.node, path: occurrence.path, definition: d, enablement: state, depth: depth)
            }
        }
    }

    /// One response item against its definition: text, answers, nested items.
    mutating func checkItem(
        _ item: ElementNode, path: String, definition d: QuestionnaireItemDefinition, enablement: Enablement,
        depth: Int
    ) {
        if let expected = d.text, let text = item.childValue("text"), text != expected {
            issue(
                .warning, .questionnaireText, "The text of item '\(d.linkId)' differs from the Questionnaire's",
                path: path + ".text", node: item)
        }
        let answers = item.children(named: "answer")
        if let type = d.type, !type.takesAnswers, !answers.isEmpty {
            issue(
                .error, .questionnaireStructure, "The \(type.rawValue) item '\(d.linkId)' cannot have answers",
                path: path + ".answer[0]", node: answers[0])
        } else if answers.count > 1, !d.repeats {
            issue(
                .error, .questionnaireRepeats,
                "The item '\(d.linkId)' does not repeat, but has \(answers.count) answers",
                path: path + ".answer[1]", node: answers[1])
        }
        for (j, answer) in answers.enumerated() {
            let answerPath = "\(path).answer[\(j)]"
            if let type = d.type, type.takesAnswers, let value = answer.child(named: "value") {
                checkAnswerValue(value, path: answerPath + ".value", item: d, type: type)
            }
            checkItems(in: answer, path: answerPath, definitions: d.items, enablement: enablement, depth: depth + 1)
        }
        let nested = item.children(named: "item")
        switch d.type {
        case .group?, nil:
            checkItems(in: item, path: path, definitions: d.items, enablement: enablement, depth: depth + 1)
        case .display?:
            if !nested.isEmpty {
                issue(
                    .error, .questionnaireStructure, "The display item '\(d.linkId)' cannot have nested items",
                    path: path + ".item[0]", node: nested[0])
            }
        case .some:
            if !nested.isEmpty {
                issue(
                    .error, .questionnaireStructure,
                    "Items nested in the question '\(d.linkId)' belong under its answers, not under the item",
                    path: path + ".item[0]", node: nested[0])
            }
        }
    }

    /// The item's own enablement at this place, reporting (once per linkId) conditions that
    /// cannot be evaluated.
    private mutating func ownEnablement(of d: QuestionnaireItemDefinition, at path: String, node: ElementNode)
        -> Enablement
    {
        let (state, problem) = evaluator.enablement(of: d, at: path)
        if let problem, reportedEnableWhen.insert(d.linkId).inserted {
            let what =
                problem == .expression
                ? "enableWhenExpression cannot be evaluated"
                : "enableWhen conditions cannot all be evaluated"
            issue(
                .information, .questionnaireEnableWhen,
                "The \(what) for item '\(d.linkId)'; whether it is enabled is not checked", path: path, node: node)
        }
        return state
    }

    /// Whether a present item counts as answering a required item: a question with an answer,
    /// a group with nested items.
    static func isAnswered(_ item: ElementNode, _ d: QuestionnaireItemDefinition) -> Bool {
        switch d.type {
        case .group?: item.child(named: "item") != nil
        case nil: hasContent(item)
        default: item.child(named: "answer") != nil
        }
    }

    /// Whether an item holds anything (answers or nested items) beyond its linkId and text.
    static func hasContent(_ item: ElementNode) -> Bool {
        item.child(named: "answer") != nil || item.child(named: "item") != nil
    }
}

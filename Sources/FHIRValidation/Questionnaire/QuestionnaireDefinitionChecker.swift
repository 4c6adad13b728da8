import FHIRModel

/// Checks a Questionnaire's own enableWhen links, which its invariants cannot express: each
/// `enableWhen.question` must name an item of the Questionnaire, and not the item itself or an
/// item nested in it (that item is only shown once the condition holds).
struct QuestionnaireDefinitionChecker: Sendable {
    /// Checks `questionnaire` (a Questionnaire resource node at FHIRPath location `path`).
    func check(_ questionnaire: ElementNode, path: String, into issues: inout [Issue]) {
        var places: [String: [String]] = [:]
        var withConditions: [(node: ElementNode, path: String)] = []
        collect(questionnaire, path: path, depth: 0, places: &places, withConditions: &withConditions)
        for (item, itemPath) in withConditions {
            for (j, condition) in item.children(named: "enableWhen").enumerated() {
                // A missing question is a cardinality error that the structure checks report.
                guard let question = condition.childValue("question"), !question.isEmpty else { continue }
                let conditionPath = "\(itemPath).enableWhen[\(j)]"
                guard let targets = places[question] else {
                    issues.append(
                        Issue(
                            .error, .questionnaireEnableWhen,
                            "The enableWhen question '\(question)' is not an item of this Questionnaire",
                            path: conditionPath, position: condition.position))
                    continue
                }
                if targets.contains(itemPath) {
                    issues.append(
                        Issue(
                            .error, .questionnaireEnableWhen,
                            "The enableWhen of item '\(question)' refers to the item itself", path: conditionPath,
                            position: condition.position))
                } else if targets.allSatisfy({ $0.hasPrefix(itemPath + ".") }) {
                    issues.append(
                        Issue(
                            .error, .questionnaireEnableWhen,
                            "The enableWhen question '\(question)' is nested in the item it enables; an item cannot depend on its own inner items",
                            path: conditionPath, position: condition.position))
                }
            }
        }
    }

    private func collect(
        _ node: ElementNode, path: String, depth: Int, places: inout [String: [String]],
        withConditions: inout [(node: ElementNode, path: String)]
    ) {
        guard depth < QuestionnaireDefinition.maxDepth else { return }
        for (i, item) in node.children(named: "item").enumerated() {
            let itemPath = "\(path).item[\(i)]"
            if let linkId = item.childValue("linkId") { places[linkId, default: []].append(itemPath) }
            if item.child(named: "enableWhen") != nil { withConditions.append((item, itemPath)) }
            collect(item, path: itemPath, depth: depth + 1, places: &places, withConditions: &withConditions)
        }
    }
}

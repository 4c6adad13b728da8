import FHIRModel

/// Every answered item of a QuestionnaireResponse, by linkId, with its place, so enableWhen
/// conditions find "their" question's answers: the nearest occurrence, looking first among the
/// item's ancestors, then among the items that share the deepest enclosing item or answer
/// (R4 `Questionnaire.item.enableWhen.question`).
struct ResponseAnswerIndex {
    struct Occurrence {
        /// The item's path (`QuestionnaireResponse.item[2].item[0]`).
        var path: String
        /// The path of the item or answer (or resource) holding it.
        var parentPath: String
        /// The `answer.value[x]` nodes.
        var values: [ElementNode]
    }

    private var byLinkId: [String: [Occurrence]] = [:]
    /// linkId -> holder path -> answer values: the nearest occurrences when they are siblings.
    private var siblings: [String: [String: [ElementNode]]] = [:]

    /// Indexes the items under `response` (at `path`), `maxDepth` levels of nesting at most.
    init(response: ElementNode, path: String, maxDepth: Int) {
        collect(response, path: path, depth: 0, maxDepth: maxDepth)
    }

    private mutating func collect(_ container: ElementNode, path: String, depth: Int, maxDepth: Int) {
        guard depth < maxDepth else { return }
        for (i, item) in container.children(named: "item").enumerated() {
            let itemPath = "\(path).item[\(i)]"
            let answers = item.children(named: "answer")
            if let linkId = item.childValue("linkId") {
                let values = answers.compactMap { $0.child(named: "value") }
                byLinkId[linkId, default: []].append(Occurrence(path: itemPath, parentPath: path, values: values))
                siblings[linkId, default: [:]][path, default: []].append(contentsOf: values)
            }
            for (j, answer) in answers.enumerated() {
                collect(answer, path: "\(itemPath).answer[\(j)]", depth: depth + 1, maxDepth: maxDepth)
            }
            collect(item, path: itemPath, depth: depth + 1, maxDepth: maxDepth)
        }
    }

    /// The answer values of the occurrences of `linkId` nearest to an item held by `containerPath`.
    func answers(to linkId: String, from containerPath: String) -> [ElementNode] {
        guard let occurrences = byLinkId[linkId], !occurrences.isEmpty else { return [] }
        if occurrences.count == 1 { return occurrences[0].values }
        // Siblings share every enclosing level, so nothing is nearer (repeating groups stay linear).
        if let near = siblings[linkId]?[containerPath] { return near }
        let here = Self.components(containerPath)
        var best = -1
        var values: [ElementNode] = []
        for occurrence in occurrences {
            // Shared enclosing levels count twice; being an ancestor of the asking item breaks ties.
            var score = 2 * Self.commonPrefix(Self.components(occurrence.parentPath), here)
            if containerPath == occurrence.path || containerPath.hasPrefix(occurrence.path + ".") { score += 1 }
            if score > best {
                best = score
                values = occurrence.values
            } else if score == best {
                values += occurrence.values
            }
        }
        return values
    }

    private static func components(_ path: String) -> [Substring] {
        path.split(separator: ".", omittingEmptySubsequences: false)
    }

    private static func commonPrefix(_ a: [Substring], _ b: [Substring]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
        return n
    }
}

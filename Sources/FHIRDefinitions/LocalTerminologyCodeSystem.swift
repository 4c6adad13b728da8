import FHIRJSON

/// A locally held CodeSystem (content `complete` or `fragment`), indexed for lookups, hierarchy
/// and filters. Built once per code system and shared (immutable).
final class LocalCodeSystem: Sendable {
    let url: String
    let status: LocalTerminology.CodeSystemStatus
    let caseSensitive: Bool
    /// Concepts in definition order.
    let concepts: [LocalTerminology.Concept]
    /// Lookup key (the code, lowercased when the system is case-insensitive) -> index in `concepts`.
    private let byKey: [String: Int]
    /// Concept index -> indexes of its direct parents / children.
    private let parents: [[Int]]
    private let children: [[Int]]
    /// Property codes the code system declares (`CodeSystem.property.code`).
    let declaredProperties: Set<String>

    /// Limits: deeper nesting or more concepts than this is not indexed (treated as not held).
    static let maxDepth = 64
    static let maxConcepts = 500_000

    /// Indexes a CodeSystem resource; `nil` when it is not held with content (not-present,
    /// example, supplement) or is too large.
    init?(json: JSONValue) {
        guard let url = json["url"]?.stringValue else { return nil }
        switch json["content"]?.stringValue {
        case "complete": status = .complete
        case "fragment": status = .fragment
        default: return nil
        }
        self.url = url
        // An unstated caseSensitive is treated as case-sensitive: never accept a code loosely.
        let caseSensitive = json["caseSensitive"]?.boolValue ?? true
        self.caseSensitive = caseSensitive
        declaredProperties = Set((json["property"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue })

        var concepts: [LocalTerminology.Concept] = []
        var byKey: [String: Int] = [:]
        var parentOf: [(child: Int, parent: Int)] = []
        // Property-declared links, resolved once every code is known: (concept, code, isParent).
        var links: [(Int, String, Bool)] = []
        // Depth-first over nested concepts with an explicit stack: (concept JSON, parent index, depth).
        var stack: [(JSONValue, Int?, Int)] = (json["concept"]?.arrayValue ?? []).reversed().map { ($0, nil, 0) }
        func key(_ code: String) -> String { caseSensitive ? code : code.lowercased() }
        while let (item, parent, depth) = stack.popLast() {
            guard let code = item["code"]?.stringValue else { continue }
            guard concepts.count < Self.maxConcepts, depth < Self.maxDepth else { return nil }
            // A code listed twice (under two parents) is one concept with both parents.
            let index: Int
            if let existing = byKey[key(code)] {
                index = existing
            } else {
                index = concepts.count
                byKey[key(code)] = index
                concepts.append(Self.concept(code: code, item))
                for p in concepts[index].properties {
                    switch p.code {
                    case "parent", "subsumedBy": links.append((index, p.value, true))
                    case "child": links.append((index, p.value, false))
                    default: break
                    }
                }
            }
            if let parent, parent != index { parentOf.append((index, parent)) }
            for nested in (item["concept"]?.arrayValue ?? []).reversed() { stack.append((nested, index, depth + 1)) }
        }
        for (index, code, isParent) in links {
            guard let other = byKey[key(code)], other != index else { continue }
            parentOf.append(isParent ? (index, other) : (other, index))
        }
        var parents = [[Int]](repeating: [], count: concepts.count)
        var children = [[Int]](repeating: [], count: concepts.count)
        for (child, parent) in parentOf where !parents[child].contains(parent) {
            parents[child].append(parent)
            children[parent].append(child)
        }
        self.concepts = concepts
        self.byKey = byKey
        self.parents = parents
        self.children = children
    }

    private static func concept(code: String, _ item: JSONValue) -> LocalTerminology.Concept {
        let properties: [LocalTerminology.Property] = (item["property"]?.arrayValue ?? []).compactMap { p in
            guard let pc = p["code"]?.stringValue, let value = propertyValue(p) else { return nil }
            return .init(code: pc, value: value)
        }
        let designations: [LocalTerminology.Designation] = (item["designation"]?.arrayValue ?? []).compactMap { d in
            guard let value = d["value"]?.stringValue else { return nil }
            return .init(
                language: d["language"]?.stringValue, useSystem: d["use"]?["system"]?.stringValue,
                useCode: d["use"]?["code"]?.stringValue, value: value)
        }
        return .init(
            code: code, display: item["display"]?.stringValue, definition: item["definition"]?.stringValue,
            designations: designations, properties: properties)
    }

    /// The lexeme of a `property.value[x]` (or `valueCoding.code`).
    static func propertyValue(_ p: JSONValue) -> String? {
        guard let object = p.objectValue else { return nil }
        for (key, value) in object.pairs where key.hasPrefix("value") {
            switch value {
            case .string(let s): return s
            case .bool(let b): return b ? "true" : "false"
            case .number(let n): return n
            case .object: return value["code"]?.stringValue
            default: return nil
            }
        }
        return nil
    }

    /// The concept index for a code, honouring case sensitivity.
    func index(of code: String) -> Int? {
        byKey[caseSensitive ? code : code.lowercased()]
    }

    func concept(_ code: String) -> LocalTerminology.Concept? {
        index(of: code).map { concepts[$0] }
    }

    func contains(_ code: String) -> Bool { index(of: code) != nil }

    /// Every code, in definition order.
    var allCodes: [String] { concepts.map(\.code) }

    func directChildren(of index: Int) -> [Int] { children[index] }
    func directParents(of index: Int) -> [Int] { parents[index] }

    /// All descendants of a concept (not including it), cycles ignored.
    func descendants(of index: Int) -> Set<Int> {
        closure(from: index, step: children)
    }

    /// All ancestors of a concept (not including it), cycles ignored.
    func ancestors(of index: Int) -> Set<Int> {
        closure(from: index, step: parents)
    }

    private func closure(from start: Int, step: [[Int]]) -> Set<Int> {
        var seen: Set<Int> = []
        var queue = step[start]
        while let next = queue.popLast() {
            guard next != start, seen.insert(next).inserted else { continue }
            queue += step[next]
        }
        return seen
    }

    /// The values of a property for a concept: declared properties, and the built-in ones
    /// (`code`, `concept`, `display`, `parent`, `child`).
    func values(of property: String, at index: Int) -> [String] {
        let c = concepts[index]
        switch property {
        case "code", "concept": return [c.code]
        case "display": return c.display.map { [$0] } ?? []
        case "parent": return parents[index].map { concepts[$0].code }
        case "child": return children[index].map { concepts[$0].code }
        default: return c.properties.filter { $0.code == property }.map(\.value)
        }
    }

    /// Whether a filter property can be evaluated: built-in or declared by the code system (a
    /// property used on concepts without a declaration is accepted too).
    func knows(property: String) -> Bool {
        switch property {
        case "code", "concept", "display", "parent", "child": return true
        default:
            return declaredProperties.contains(property)
                || concepts.contains { c in c.properties.contains { $0.code == property } }
        }
    }

    /// Compares two codes as this code system does.
    func sameCode(_ a: String, _ b: String) -> Bool {
        caseSensitive ? a == b : a.lowercased() == b.lowercased()
    }
}

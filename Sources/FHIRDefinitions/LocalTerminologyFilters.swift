/// `ValueSet.compose.include.filter` evaluated against a locally held code system.
struct LocalTerminologyFilter: Sendable, Hashable {
    var property: String
    var op: String
    var value: String

    /// The longest code or property value a regex filter is matched against.
    static let maxRegexInput = 256

    /// The concepts of `cs` that pass the filter, or `nil` when it cannot be evaluated locally
    /// (an unknown operator, a hierarchy operator on a property other than `concept`, a
    /// property the code system does not define, a regex that does not compile).
    func select(in cs: LocalCodeSystem) -> Set<Int>? {
        let all = 0..<cs.concepts.count
        let onCode = property == "concept" || property == "code"
        switch op {
        case "is-a", "descendent-of", "is-not-a", "generalizes", "child-of", "descendent-leaf":
            guard onCode else { return nil }
            guard let root = cs.index(of: value) else {
                // A filter on a code the system does not have selects nothing (is-not-a: everything).
                return op == "is-not-a" ? Set(all) : []
            }
            switch op {
            case "is-a": return cs.descendants(of: root).union([root])
            case "descendent-of": return cs.descendants(of: root)
            case "is-not-a": return Set(all).subtracting(cs.descendants(of: root).union([root]))
            case "generalizes": return cs.ancestors(of: root).union([root])
            case "child-of": return Set(cs.directChildren(of: root))
            default: return cs.descendants(of: root).filter { cs.directChildren(of: $0).isEmpty }
            }
        case "=":
            guard cs.knows(property: property) else { return nil }
            return Set(all.filter { i in cs.values(of: property, at: i).contains { same($0, value, onCode, cs) } })
        case "in", "not-in":
            guard cs.knows(property: property) else { return nil }
            let list = Self.list(value)
            let hits = Set(
                all.filter { i in
                    cs.values(of: property, at: i).contains { v in list.contains { same(v, $0, onCode, cs) } }
                })
            return op == "in" ? hits : Set(all).subtracting(hits)
        case "regex":
            guard cs.knows(property: property), let regex = Self.compile(value) else { return nil }
            return Set(all.filter { i in cs.values(of: property, at: i).contains { Self.matches($0, regex) == true } })
        case "exists":
            guard cs.knows(property: property), value == "true" || value == "false" else { return nil }
            let wanted = value == "true"
            return Set(all.filter { i in !cs.values(of: property, at: i).isEmpty == wanted })
        default:
            return nil
        }
    }

    private func same(_ a: String, _ b: String, _ onCode: Bool, _ cs: LocalCodeSystem) -> Bool {
        onCode ? cs.sameCode(a, b) : a == b
    }

    /// A test on the code alone that every member must pass, usable without the code system
    /// (`code = x`, `code in a,b`, `code regex r`); `nil` when the filter needs the concepts.
    var codeCheck: CodeCheck? {
        guard property == "concept" || property == "code" else { return nil }
        switch op {
        case "=": return .oneOf([value])
        case "in": return .oneOf(Set(Self.list(value)))
        case "not-in": return .noneOf(Set(Self.list(value)))
        case "regex": return .regex(value)
        default: return nil
        }
    }

    /// A necessary condition on a code, from a filter or from the syntax of a well-known system.
    enum CodeCheck: Sendable, Hashable {
        case oneOf(Set<String>)
        case noneOf(Set<String>)
        case regex(String)
        case syntax(LocalTerminologySyntax.Kind)

        /// `false` when the code certainly fails; `true` when it passes (or the check cannot run).
        func passes(_ code: String) -> Bool {
            switch self {
            case .oneOf(let set): return set.contains(code)
            case .noneOf(let set): return !set.contains(code)
            case .regex(let pattern):
                // A pattern that does not compile, or a code too long to match safely: undecided.
                guard let regex = LocalTerminologyFilter.compile(pattern) else { return true }
                return LocalTerminologyFilter.matches(code, regex) ?? true
            case .syntax(let kind): return LocalTerminologySyntax.isWellFormed(code, kind)
            }
        }
    }

    static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { part in
            String(part.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }.filter { !$0.isEmpty }
    }

    static func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        try? Regex(pattern)
    }

    /// Whether the whole text matches; `nil` for text longer than ``maxRegexInput`` (patterns come
    /// from definitions and are matched by backtracking, so long inputs are not tried).
    static func matches(_ text: String, _ regex: Regex<AnyRegexOutput>) -> Bool? {
        guard text.utf8.count <= maxRegexInput else { return nil }
        return (try? regex.wholeMatch(in: text)) != nil
    }
}

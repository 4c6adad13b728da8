import FHIRModel

/// Invariants of a simple shape, evaluated without FHIRPath: a disjunction of child-element
/// existence tests, `a.empty() or b.exists()` (cpt-2, qty-3, att-1, tim-1..8), `a.exists() or
/// b.exists() or c.exists()` (bdl-5, obs-3), `a.empty() or b.empty()` (obs-6), `a.empty()`
/// (sqty-1), and `a.contains('text').not()` (bdl-8).
///
/// Each is recognised from its expression text with a strict grammar (lower-case element names,
/// no keywords), so the answer is the one FHIRPath gives: `a` navigates to the children named
/// `a`, `empty()` and `exists()` are booleans, and `or` of booleans is plain disjunction.
/// `InvariantPatternEquivalenceTests` compares them with FHIRPath on every node of the examples.
enum InvariantPattern: Sendable, Equatable {
    /// True when any term holds; a term is a child name and whether it must exist.
    case anyOf([Term])
    /// `name.contains('needle').not()`: fails when the (single, ASCII) string value of the child
    /// contains `needle`; several children or other values are left to FHIRPath.
    case lacksText(name: String, needle: String)
    /// A rule in the boolean subset of ``InvariantLogic`` (`chain.empty() or type = 'reference'`).
    case logic(InvariantLogic)

    struct Term: Sendable, Equatable {
        var name: String
        /// `exists()` (true) or `empty()` (false).
        var exists: Bool
    }

    /// The pattern an expression has, if any.
    static func forExpression(_ expression: String) -> InvariantPattern? {
        if let lacks = lacksText(expression) { return lacks }
        if let terms = anyOf(expression) { return .anyOf(terms) }
        return InvariantLogic.parse(expression).map { .logic($0) }
    }

    private static func anyOf(_ expression: String) -> [Term]? {
        var terms: [Term] = []
        for part in expression.split(separator: " or ", omittingEmptySubsequences: false) {
            let text = String(part)
            if let name = Self.name(text, before: ".exists()") {
                terms.append(Term(name: name, exists: true))
            } else if let name = Self.name(text, before: ".empty()") {
                terms.append(Term(name: name, exists: false))
            } else {
                return nil
            }
        }
        return terms.isEmpty ? nil : terms
    }

    /// `name.contains('needle').not()` with a plain needle (no quotes or escapes).
    private static func lacksText(_ expression: String) -> InvariantPattern? {
        let open = ".contains('"
        let close = "').not()"
        guard expression.hasSuffix(close), let range = expression.range(of: open) else { return nil }
        guard let name = Self.name(String(expression[..<range.upperBound]), before: open) else { return nil }
        let needle = expression[range.upperBound..<expression.index(expression.endIndex, offsetBy: -close.count)]
        guard !needle.isEmpty, needle.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x27 && $0 != 0x5C })
        else { return nil }
        return .lacksText(name: name, needle: String(needle))
    }

    /// The element name of `text` when it is `name` + `suffix`, with `name` a plain lower-case
    /// identifier that is not a FHIRPath keyword.
    private static func name(_ text: String, before suffix: String) -> String? {
        guard text.hasSuffix(suffix) else { return nil }
        let name = String(text.dropLast(suffix.count))
        guard let first = name.utf8.first, first >= 0x61 && first <= 0x7A,
            name.utf8.allSatisfy({ b in
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            }),
            !keywords.contains(name)
        else { return nil }
        return name
    }

    private static let keywords: Set<String> = [
        "and", "as", "contains", "div", "false", "implies", "in", "is", "mod", "or", "true", "xor",
    ]

    /// Evaluates the pattern on `node` as FHIRPath would, followed by the walker's pass rule.
    func evaluate(_ node: ElementNode) -> NativeInvariant.Outcome {
        switch self {
        case .anyOf(let terms):
            for term in terms where NativeInvariant.hasChild(node, term.name) == term.exists { return .pass }
            return .fail
        case .lacksText(let name, let needle):
            let kids = node.children
            // No element: `contains` is empty, and so is `not()`.
            guard let found = NativeInvariant.firstIndex(kids, named: name) else { return .pass }
            guard NativeInvariant.firstIndex(kids, named: name, from: found + 1) == nil,
                let text = NativeInvariant.stringValue(kids[found]), let contained = Self.asciiContains(text, needle)
            else { return .undecided }
            return contained ? .fail : .pass
        case .logic(let logic):
            return logic.evaluate(node)
        }
    }

    /// Whether `text` contains `needle`, by bytes; `nil` when `text` is not ASCII.
    static func asciiContains(_ text: String, _ needle: String) -> Bool? {
        var text = text
        var needle = needle
        return text.withUTF8 { hay in
            guard !hay.contains(where: { $0 >= 0x80 }) else { return nil }
            return needle.withUTF8 { pin in
                guard let head = pin.first else { return true }
                guard hay.count >= pin.count else { return false }
                for start in 0...(hay.count - pin.count) where hay[start] == head {
                    var i = 1
                    while i < pin.count && hay[start + i] == pin[i] { i += 1 }
                    if i == pin.count { return true }
                }
                return false
            }
        }
    }
}

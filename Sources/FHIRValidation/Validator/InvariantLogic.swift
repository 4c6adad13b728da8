import FHIRModel

/// Invariants written in a small boolean subset of FHIRPath, evaluated without the engine:
/// `implies`, `or`, `xor`, `and` (with FHIRPath's precedence and three-valued logic), `=` and `!=`
/// between an element path and a string or boolean literal, `path.count()` compared with an
/// integer, `path.exists()`, `path.empty()`, `path.hasValue()`, `.not()`, and a path used as a
/// boolean. Paths are chains of lower-case element names (`chain`, `snapshot.element`).
///
/// This covers rules such as spd-2 `chain.empty() or type = 'reference'`, eld-6
/// `fixed.empty() or (type.count() <= 1)` and eld-18
/// `(isModifier.exists() and isModifier) implies isModifierReason.exists()`. The answer is the
/// engine's: each operator follows `FHIRPathLogic`, `FHIRPathEquality` and `singletonBoolean`,
/// and whatever the engine would reject or treat in a way not modelled here (a boolean from a
/// collection of several items, a literal used as a boolean) is left `undecided`, so the
/// expression is then evaluated with FHIRPath. `InvariantPatternEquivalenceTests` compares the
/// two on every node of the official examples.
indirect enum InvariantLogic: Sendable, Equatable {
    case exists([String])
    case empty([String])
    case hasValue([String])
    /// A path used as a boolean (`isModifier`).
    case path([String])
    case not(InvariantLogic)
    /// `path = literal` (or `!=` when `negated`).
    case equals([String], Literal, negated: Bool)
    /// `path.count() op n`.
    case count([String], Comparison, Int)
    /// `path.matches('pattern')` for a pattern with a native form.
    case matches([String], KnownPattern)
    /// `path.isDistinct()` (also written `a.select(b).isDistinct()`), for primitive string items.
    case isDistinct([String])
    case and(InvariantLogic, InvariantLogic)
    case or(InvariantLogic, InvariantLogic)
    case xor(InvariantLogic, InvariantLogic)
    case implies(InvariantLogic, InvariantLogic)

    enum Literal: Sendable, Equatable {
        case string(String)
        case boolean(Bool)
    }

    /// Regular expressions of core invariants answered without a regex engine.
    enum KnownPattern: String, Sendable, Equatable {
        /// The name rule of conformance resources (spd-0, nsd-0, sdf-0...). `matches` finds the
        /// pattern anywhere, and everything after `[A-Z]` may be empty: it holds exactly when
        /// the text has an ASCII capital letter.
        case capitalLetter = "[A-Z]([A-Za-z0-9_]){0,254}"

        func matches(_ text: String) -> Bool {
            switch self {
            case .capitalLetter: text.utf8.contains { $0 >= 0x41 && $0 <= 0x5A }
            }
        }
    }

    /// Inputs longer than this are left to the regex engine (which bounds its own work).
    static let maxNativeMatchLength = 100_000

    enum Comparison: String, Sendable, Equatable {
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case equal = "="
        case notEqual = "!="
    }

    /// Thrown when the answer is left to FHIRPath.
    struct Undecided: Error {}

    /// The expression as a rule of this subset, or `nil` when it is anything else. A bare path
    /// is not accepted as the whole expression (its result is a collection, not a boolean).
    static func parse(_ expression: String) -> InvariantLogic? {
        guard let tokens = InvariantLogicTokens.tokenize(expression) else { return nil }
        var parser = InvariantLogicParser(tokens: tokens)
        guard let result = parser.parseExpression(), parser.atEnd else { return nil }
        if case .path = result { return nil }
        return result
    }

    /// The walker's outcome for `node`: pass (true or empty), fail (false), or undecided.
    func evaluate(_ node: ElementNode) -> NativeInvariant.Outcome {
        do {
            switch try truth(node) {
            case .some(false): return .fail
            case .some(true), .none: return .pass
            }
        } catch {
            return .undecided
        }
    }

    /// The value as FHIRPath's logical operators read it: `nil` for empty.
    func truth(_ node: ElementNode) throws(Undecided) -> Bool? {
        switch self {
        case .exists(let path):
            return Self.reaches(node, path[...])
        case .empty(let path):
            return !Self.reaches(node, path[...])
        case .hasValue(let path):
            let found = Self.probe(node, path[...])
            guard found.count == 1, let item = found.first else { return false }
            return item.isPrimitive && item.value != nil
        case .path(let path):
            // `singletonBoolean`: empty is empty, several items are an error (left to FHIRPath),
            // a boolean is itself, a primitive without a value is empty, anything else is true.
            let found = Self.probe(node, path[...])
            guard let item = found.first else { return nil }
            guard found.count == 1 else { throw Undecided() }
            if case .boolean(let b)? = NativeInvariant.systemValue(item) { return b }
            if item.isPrimitive && item.value == nil { return nil }
            return true
        case .not(let inner):
            return try inner.truth(node).map { !$0 }
        case .equals(let path, let literal, let negated):
            // `FHIRPathEquality.equals` with a one-item literal collection.
            let found = Self.probe(node, path[...])
            guard let item = found.first else { return nil }
            let equal: Bool?
            if found.count != 1 {
                equal = false
            } else {
                switch (NativeInvariant.systemValue(item), literal) {
                case (nil, _): equal = nil
                case (.string(let s)?, .string(let l)): equal = s == l
                case (.boolean(let b)?, .boolean(let l)): equal = b == l
                default: equal = false
                }
            }
            return negated ? equal.map { !$0 } : equal
        case .matches(let path, let pattern):
            // `stringInput()`: empty is empty; several items, or a value that is not a string,
            // are errors (left to FHIRPath).
            let found = Self.probe(node, path[...])
            guard let item = found.first else { return nil }
            guard found.count == 1 else { throw Undecided() }
            switch NativeInvariant.systemValue(item) {
            case nil: return nil
            case .string(let text)?:
                guard text.utf8.count <= Self.maxNativeMatchLength else { throw Undecided() }
                return pattern.matches(text)
            default: throw Undecided()
            }
        case .isDistinct(let path):
            // `FHIRPathItemSet`: an item without a value equals nothing; strings compare as
            // strings. Complex items and other types are left to FHIRPath.
            var items: [ElementNode] = []
            Self.forEach(node, path[...]) { items.append($0) }
            guard let distinct = Self.distinctStrings(items) else { throw Undecided() }
            return distinct
        case .count(let path, let comparison, let limit):
            let n = Self.count(node, path[...])
            switch comparison {
            case .less: return n < limit
            case .lessOrEqual: return n <= limit
            case .greater: return n > limit
            case .greaterOrEqual: return n >= limit
            case .equal: return n == limit
            case .notEqual: return n != limit
            }
        case .and(let l, let r):
            let a = try l.truth(node)
            if a == false { return false }
            let b = try r.truth(node)
            if a == false || b == false { return false }
            return a == true && b == true ? true : nil
        case .or(let l, let r):
            let a = try l.truth(node)
            if a == true { return true }
            let b = try r.truth(node)
            if a == true || b == true { return true }
            return a == false && b == false ? false : nil
        case .xor(let l, let r):
            let a = try l.truth(node)
            let b = try r.truth(node)
            guard let a, let b else { return nil }
            return a != b
        case .implies(let l, let r):
            let a = try l.truth(node)
            if a == false { return true }
            let b = try r.truth(node)
            if a == true { return b }
            return b == true ? true : nil
        }
    }

    /// FHIRPath `isDistinct()` of primitive string items (`FHIRPathItemSet`: an item without a
    /// value equals nothing; strings compare as strings); `nil` for complex items or other types.
    static func distinctStrings(_ items: [ElementNode]) -> Bool? {
        var distinct = true
        if items.count <= 8 {
            // A few items (the common case) compared pairwise, with String equality as a set
            // compares: no set to build.
            for i in items.indices {
                guard let item = distinctItem(items[i]) else { return nil }
                guard distinct, case .text(let s) = item else { continue }
                for j in 0..<i {
                    if case .text(let t)? = distinctItem(items[j]), t == s {
                        distinct = false
                        break
                    }
                }
            }
            return distinct
        }
        var seen: Set<String> = []
        for item in items {
            switch distinctItem(item) {
            case nil: return nil
            case .noValue?: break
            case .text(let s)?: if !seen.insert(s).inserted { distinct = false }
            }
        }
        return distinct
    }

    private enum DistinctItem {
        case noValue
        case text(String)
    }

    /// An item of `isDistinct()` over strings: `nil` when it is not a primitive or its value is
    /// not a string (left to FHIRPath).
    @inline(__always)
    private static func distinctItem(_ item: ElementNode) -> DistinctItem? {
        guard item.isPrimitive else { return nil }
        if NativeInvariant.isPlainString(item) { return item.value.map { .text($0) } ?? .noValue }
        switch NativeInvariant.systemValue(item) {
        case nil: return .noValue
        case .string(let s)?: return .text(s)
        default: return nil
        }
    }

    /// The first element `path` reaches from `node` and how many it reaches (counting stops at 2).
    static func probe(_ node: ElementNode, _ path: ArraySlice<String>) -> (count: Int, first: ElementNode?) {
        var count = 0
        var first: ElementNode?
        probe(node, path, &count, &first)
        return (count, first)
    }

    private static func probe(
        _ node: ElementNode, _ path: ArraySlice<String>, _ count: inout Int, _ first: inout ElementNode?
    ) {
        guard let name = path.first else {
            if count == 0 { first = node }
            count += 1
            return
        }
        let rest = path.dropFirst()
        let kids = node.children
        var i = NativeInvariant.firstIndex(kids, named: name)
        while let found = i, count < 2 {
            probe(kids[found], rest, &count, &first)
            i = NativeInvariant.firstIndex(kids, named: name, from: found + 1)
        }
    }

    /// Whether `path` reaches any element from `node`.
    static func reaches(_ node: ElementNode, _ path: ArraySlice<String>) -> Bool {
        guard let name = path.first else { return true }
        let rest = path.dropFirst()
        let kids = node.children
        var i = NativeInvariant.firstIndex(kids, named: name)
        while let found = i {
            if rest.isEmpty || reaches(kids[found], rest) { return true }
            i = NativeInvariant.firstIndex(kids, named: name, from: found + 1)
        }
        return false
    }

    /// Calls `body` for every element `path` reaches from `node`, in order.
    static func forEach(_ node: ElementNode, _ path: ArraySlice<String>, _ body: (ElementNode) -> Void) {
        guard let name = path.first else {
            body(node)
            return
        }
        let rest = path.dropFirst()
        let kids = node.children
        var i = NativeInvariant.firstIndex(kids, named: name)
        while let found = i {
            forEach(kids[found], rest, body)
            i = NativeInvariant.firstIndex(kids, named: name, from: found + 1)
        }
    }

    /// How many elements `path` reaches from `node`.
    static func count(_ node: ElementNode, _ path: ArraySlice<String>) -> Int {
        guard let name = path.first else { return 1 }
        let rest = path.dropFirst()
        let kids = node.children
        var n = 0
        var i = NativeInvariant.firstIndex(kids, named: name)
        while let found = i {
            n += rest.isEmpty ? 1 : count(kids[found], rest)
            i = NativeInvariant.firstIndex(kids, named: name, from: found + 1)
        }
        return n
    }

    @inline(__always)
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }
}

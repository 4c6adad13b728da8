/// The tokens of an ``InvariantLogic`` expression: names, string and integer literals, `.`,
/// parentheses and operators. Anything outside the subset (backquoted names, `$this`, `%vars`,
/// escapes in strings, other symbols) makes the expression unrecognised.
enum InvariantLogicTokens {
    enum Token: Equatable {
        case name(String)
        case string(String)
        case integer(Int)
        case dot
        case open
        case close
        case symbol(String)
    }

    static func tokenize(_ text: String) -> [Token]? {
        let b = Array(text.utf8)
        var tokens: [Token] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D:
                i += 1
            case UInt8(ascii: "."):
                tokens.append(.dot)
                i += 1
            case UInt8(ascii: "("):
                tokens.append(.open)
                i += 1
            case UInt8(ascii: ")"):
                tokens.append(.close)
                i += 1
            case UInt8(ascii: "="):
                tokens.append(.symbol("="))
                i += 1
            case UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                if i + 1 < b.count && b[i + 1] == UInt8(ascii: "=") {
                    tokens.append(.symbol(String(decoding: b[i...(i + 1)], as: UTF8.self)))
                    i += 2
                } else if c == UInt8(ascii: "!") {
                    return nil
                } else {
                    tokens.append(.symbol(String(decoding: [c], as: UTF8.self)))
                    i += 1
                }
            case UInt8(ascii: "'"):
                var k = i + 1
                while k < b.count && b[k] != UInt8(ascii: "'") {
                    if b[k] == UInt8(ascii: "\\") { return nil }
                    k += 1
                }
                guard k < b.count else { return nil }
                tokens.append(.string(String(decoding: b[(i + 1)..<k], as: UTF8.self)))
                i = k + 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                var k = i
                while k < b.count && b[k] >= UInt8(ascii: "0") && b[k] <= UInt8(ascii: "9") { k += 1 }
                // A decimal (`1.5`) or a quantity is not in the subset.
                if k < b.count && (b[k] == UInt8(ascii: ".") || isNameByte(b[k]) || b[k] == UInt8(ascii: "'")) {
                    return nil
                }
                guard k - i <= 9, let n = Int(String(decoding: b[i..<k], as: UTF8.self)) else { return nil }
                tokens.append(.integer(n))
                i = k
            default:
                guard isNameStart(c) else { return nil }
                var k = i
                while k < b.count && isNameByte(b[k]) { k += 1 }
                tokens.append(.name(String(decoding: b[i..<k], as: UTF8.self)))
                i = k
            }
        }
        return tokens
    }

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    static func isNameByte(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39)
    }
}

/// Precedence climbing over the tokens, lowest first: `implies`; `or`, `xor`; `and`; `=`, `!=`;
/// `<`, `<=`, `>`, `>=` (FHIRPath's order for these operators, all left-associative).
struct InvariantLogicParser {
    typealias Token = InvariantLogicTokens.Token
    let tokens: [Token]
    var position = 0

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    var atEnd: Bool { position == tokens.count }

    /// FHIRPath keywords and operator words: never element names here.
    static let keywords: Set<String> = [
        "and", "as", "contains", "div", "false", "implies", "in", "is", "mod", "or", "true", "xor",
    ]

    private var next: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func take(_ token: Token) -> Bool {
        guard next == token else { return false }
        position += 1
        return true
    }

    mutating func parseExpression() -> InvariantLogic? {
        guard var left = parseOr() else { return nil }
        while take(.name("implies")) {
            guard let right = parseOr() else { return nil }
            left = .implies(left, right)
        }
        return left
    }

    private mutating func parseOr() -> InvariantLogic? {
        guard var left = parseAnd() else { return nil }
        while true {
            if take(.name("or")) {
                guard let right = parseAnd() else { return nil }
                left = .or(left, right)
            } else if take(.name("xor")) {
                guard let right = parseAnd() else { return nil }
                left = .xor(left, right)
            } else {
                return left
            }
        }
    }

    private mutating func parseAnd() -> InvariantLogic? {
        guard var left = parseEquality() else { return nil }
        while take(.name("and")) {
            guard let right = parseEquality() else { return nil }
            left = .and(left, right)
        }
        return left
    }

    /// A comparison: `path = literal`, `path != literal`, `path.count() op n`; or a boolean term.
    private mutating func parseEquality() -> InvariantLogic? {
        guard let left = parseTerm() else { return nil }
        guard case .symbol(let op)? = next else { return left.logic }
        position += 1
        guard let comparison = InvariantLogic.Comparison(rawValue: op) else { return nil }
        switch (left, next) {
        case (.path(let path), .string(let s)?):
            guard comparison == .equal || comparison == .notEqual else { return nil }
            position += 1
            return .equals(path, .string(s), negated: comparison == .notEqual)
        case (.path(let path), .name(let word)?) where word == "true" || word == "false":
            guard comparison == .equal || comparison == .notEqual else { return nil }
            position += 1
            return .equals(path, .boolean(word == "true"), negated: comparison == .notEqual)
        case (.count(let path), .integer(let n)?):
            position += 1
            // A further comparison (`a.count() = 1 = true`) is not in the subset.
            if case .symbol? = next { return nil }
            return .count(path, comparison, n)
        default:
            return nil
        }
    }

    /// What a term can be before an operator applies to it.
    private enum Term {
        case path([String])
        case count([String])
        case logic(InvariantLogic)

        var logic: InvariantLogic? {
            switch self {
            case .path(let path): .path(path)
            case .count: nil
            case .logic(let l): l
            }
        }
    }

    /// `( expression )` or a path, each followed by functions: `exists()`, `empty()`,
    /// `hasValue()`, `count()`, `isDistinct()`, `select(name)` and `matches('known pattern')` on a
    /// path, `not()` on any boolean.
    private mutating func parseTerm() -> Term? {
        var term: Term
        if take(.open) {
            guard let inner = parseExpression(), take(.close) else { return nil }
            term = .logic(inner)
        } else {
            guard case .name(let first)? = next, Self.isElementName(first) else { return nil }
            position += 1
            var path = [first]
            while next == .dot, position + 1 < tokens.count, case .name(let name) = tokens[position + 1],
                position + 2 >= tokens.count || tokens[position + 2] != .open
            {
                guard Self.isElementName(name) else { return nil }
                path.append(name)
                position += 2
            }
            term = .path(path)
        }
        while take(.dot) {
            guard case .name(let function)? = next else { return nil }
            position += 1
            if function == "matches", case .path(let path) = term {
                // Only a pattern with a native form.
                guard take(.open), case .string(let text)? = next,
                    let pattern = InvariantLogic.KnownPattern(rawValue: text)
                else { return nil }
                position += 1
                guard take(.close) else { return nil }
                term = .logic(.matches(path, pattern))
                continue
            }
            if function == "select", case .path(let path) = term {
                // `select(name)` navigates like `.name`.
                guard take(.open), case .name(let name)? = next, Self.isElementName(name) else { return nil }
                position += 1
                guard take(.close) else { return nil }
                term = .path(path + [name])
                continue
            }
            guard take(.open), take(.close) else { return nil }
            switch (term, function) {
            case (.path(let path), "exists"): term = .logic(.exists(path))
            case (.path(let path), "empty"): term = .logic(.empty(path))
            case (.path(let path), "hasValue"): term = .logic(.hasValue(path))
            case (.path(let path), "count"): term = .count(path)
            case (.path(let path), "isDistinct"): term = .logic(.isDistinct(path))
            case (.path(let path), "not"): term = .logic(.not(.path(path)))
            case (.logic(let inner), "not"): term = .logic(.not(inner))
            default: return nil
            }
        }
        return term
    }

    /// A plain element name: starts lower-case (an upper-case first step would be a type name),
    /// not a keyword.
    static func isElementName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= 0x61 && first <= 0x7A else { return false }
        return !keywords.contains(name)
    }
}

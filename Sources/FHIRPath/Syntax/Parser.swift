/// Reads FHIRPath N1 text into an ``FHIRPathExpression`` tree.
///
/// Precedence-climbing over the N1 operator table. All binary operators are left-associative
/// (the N1 grammar gives none of them, `implies` included, a right-associative annotation).
/// Nesting and tree height are bounded so hostile input gives an error rather than a stack overflow.
///
/// One leniency beyond the grammar: after `.`, any reserved operator word is accepted as a member
/// or function name (`text.div`), since FHIR content commonly writes it that way.
public struct FHIRPathParser: Sendable {
    /// The deepest recursion allowed (parentheses, unary operators, function arguments, operands).
    public var maximumDepth: Int
    /// The tallest tree allowed (long left-associative chains such as `a | b | c | ...`).
    public var maximumHeight: Int
    /// The longest text allowed, in UTF-8 bytes.
    public var maximumLength: Int

    public init(maximumDepth: Int = 200, maximumHeight: Int = 1000, maximumLength: Int = 100_000) {
        self.maximumDepth = maximumDepth
        self.maximumHeight = maximumHeight
        self.maximumLength = maximumLength
    }

    /// Parses `text` with the default limits.
    public static func parse(_ text: String) throws(FHIRPathError) -> FHIRPathExpression {
        try FHIRPathParser().parse(text)
    }

    /// Parses `text`; throws a `.syntax` error with the position of the first problem.
    public func parse(_ text: String) throws(FHIRPathError) -> FHIRPathExpression {
        guard text.utf8.count <= maximumLength else {
            throw FHIRPathError(.syntax, "expression is longer than \(maximumLength) bytes", at: .start)
        }
        var state = State(tokens: try FHIRPathLexer.tokenize(text), limits: self)
        let result = try state.expression(0)
        guard state.current.kind == .endOfInput else {
            throw state.error("unexpected \(state.current.kind.kindName) after the end of the expression")
        }
        return result
    }
}

private struct State {
    let tokens: [FHIRPathToken]
    let limits: FHIRPathParser
    var position = 0
    var depth = 0

    init(tokens: [FHIRPathToken], limits: FHIRPathParser) {
        self.tokens = tokens
        self.limits = limits
    }

    var current: FHIRPathToken { tokens[min(position, tokens.count - 1)] }

    func peekKind(_ ahead: Int) -> FHIRPathTokenKind { tokens[min(position + ahead, tokens.count - 1)].kind }

    mutating func advance() -> FHIRPathToken {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func error(_ message: String, at location: FHIRPathLocation? = nil) -> FHIRPathError {
        FHIRPathError(.syntax, message, at: location ?? current.range.start)
    }

    mutating func enter() throws(FHIRPathError) {
        depth += 1
        guard depth <= limits.maximumDepth else {
            throw error("expression nests deeper than \(limits.maximumDepth) levels")
        }
    }

    func node(_ kind: FHIRPathExpression.Kind, _ range: FHIRPathRange, at location: FHIRPathLocation? = nil)
        throws(FHIRPathError) -> FHIRPathExpression
    {
        let result = FHIRPathExpression(kind, range: range, location: location)
        guard result.height <= limits.maximumHeight else {
            throw error("expression tree is taller than \(limits.maximumHeight) levels", at: range.start)
        }
        return result
    }

    // MARK: - Operators

    /// An expression whose binary operators all have precedence >= `minimum`.
    mutating func expression(_ minimum: Int) throws(FHIRPathError) -> FHIRPathExpression {
        try enter()
        defer { depth -= 1 }
        var left = try unary()
        while true {
            if case .keyword(let word) = current.kind, word == .is || word == .as,
                BinaryOperator.typeOperatorPrecedence >= minimum
            {
                let operatorStart = advance().range.start
                let type = try typeSpecifier()
                left = try node(
                    .type(word == .is ? .is : .as, left, type), left.range.union(type.range), at: operatorStart)
                continue
            }
            guard let op = Self.binaryOperator(current.kind), op.precedence >= minimum else { return left }
            let operatorStart = advance().range.start
            let right = try expression(op.precedence + 1)
            left = try node(.binary(op, left, right), left.range.union(right.range), at: operatorStart)
        }
    }

    static func binaryOperator(_ kind: FHIRPathTokenKind) -> BinaryOperator? {
        switch kind {
        case .symbol(let s):
            switch s {
            case .star: return .multiply
            case .slash: return .divide
            case .plus: return .add
            case .minus: return .subtract
            case .ampersand: return .concatenate
            case .pipe: return .union
            case .less: return .lessThan
            case .greater: return .greaterThan
            case .lessOrEqual: return .lessOrEqual
            case .greaterOrEqual: return .greaterOrEqual
            case .equal: return .equal
            case .tilde: return .equivalent
            case .notEqual: return .notEqual
            case .notEquivalent: return .notEquivalent
            default: return nil
            }
        case .keyword(let k):
            switch k {
            case .div: return .div
            case .mod: return .mod
            case .in: return .in
            case .contains: return .contains
            case .and: return .and
            case .or: return .or
            case .xor: return .xor
            case .implies: return .implies
            case .is, .as: return nil
            }
        default:
            return nil
        }
    }

    mutating func unary() throws(FHIRPathError) -> FHIRPathExpression {
        let op: UnaryOperator
        switch current.kind {
        case .symbol(.plus): op = .plus
        case .symbol(.minus): op = .minus
        default: return try postfix()
        }
        let start = advance().range
        try enter()
        defer { depth -= 1 }
        let operand = try unary()
        return try node(.unary(op, operand), start.union(operand.range))
    }

    mutating func typeSpecifier() throws(FHIRPathError) -> TypeSpecifier {
        guard let first = identifierName(current.kind, afterDot: false) else {
            throw error("expected a type name but found \(current.kind.kindName)")
        }
        var range = advance().range
        var components = [first]
        while current.kind == .symbol(.dot), let next = identifierName(peekKind(1), afterDot: false) {
            _ = advance()
            range = range.union(advance().range)
            components.append(next)
        }
        return TypeSpecifier(components: components, range: range)
    }

    /// The name an identifier-like token stands for, or nil.
    func identifierName(_ kind: FHIRPathTokenKind, afterDot: Bool) -> String? {
        switch kind {
        case .identifier(let name), .delimitedIdentifier(let name): return name
        case .keyword(let k) where afterDot || k.isIdentifier: return k.rawValue
        default: return nil
        }
    }

    // MARK: - Terms and invocations

    mutating func postfix() throws(FHIRPathError) -> FHIRPathExpression {
        var result = try term()
        while true {
            switch current.kind {
            case .symbol(.dot):
                _ = advance()
                result = try invocation(on: result)
            case .symbol(.leftBracket):
                _ = advance()
                try enter()
                let index = try expression(0)
                depth -= 1
                let close = try expect(.rightBracket, closing: "'['")
                result = try node(.indexer(result, index), result.range.union(close))
            default:
                return result
            }
        }
    }

    mutating func invocation(on target: FHIRPathExpression) throws(FHIRPathError) -> FHIRPathExpression {
        if case .variable(let name) = current.kind, let variable = SpecialVariable(rawValue: name) {
            let range = advance().range
            return try node(.memberVariable(target, variable), target.range.union(range))
        }
        guard let name = identifierName(current.kind, afterDot: true) else {
            throw error("expected a member or function name after '.' but found \(current.kind.kindName)")
        }
        let nameRange = advance().range
        if current.kind == .symbol(.leftParen) {
            let (arguments, close) = try argumentList()
            return try node(
                .function(target: target, name: name, arguments: arguments), target.range.union(close),
                at: nameRange.start)
        }
        return try node(.member(target, name), target.range.union(nameRange), at: nameRange.start)
    }

    /// `( args )` with the cursor on `(`; returns the arguments and the range of `)`.
    mutating func argumentList() throws(FHIRPathError) -> ([FHIRPathExpression], FHIRPathRange) {
        _ = advance()
        try enter()
        defer { depth -= 1 }
        var arguments: [FHIRPathExpression] = []
        if current.kind != .symbol(.rightParen) {
            arguments.append(try expression(0))
            while current.kind == .symbol(.comma) {
                _ = advance()
                arguments.append(try expression(0))
            }
        }
        return (arguments, try expect(.rightParen, closing: "the argument list"))
    }

    mutating func expect(_ symbol: FHIRPathSymbol, closing what: String) throws(FHIRPathError) -> FHIRPathRange {
        guard current.kind == .symbol(symbol) else {
            throw error("expected '\(symbol.rawValue)' to close \(what) but found \(current.kind.kindName)")
        }
        return advance().range
    }

    mutating func term() throws(FHIRPathError) -> FHIRPathExpression {
        let token = current
        if let name = identifierName(token.kind, afterDot: false) {
            _ = advance()
            if current.kind == .symbol(.leftParen) {
                let (arguments, close) = try argumentList()
                return try node(.function(target: nil, name: name, arguments: arguments), token.range.union(close))
            }
            return try node(.identifier(name), token.range)
        }
        switch token.kind {
        case .symbol(.leftParen):
            _ = advance()
            var inner = try expression(0)
            let close = try expect(.rightParen, closing: "'('")
            inner.range = token.range.union(close)
            return inner
        case .symbol(.leftBrace):
            _ = advance()
            let close = try expect(.rightBrace, closing: "'{' (only the empty collection '{}' is allowed)")
            return try node(.empty, token.range.union(close))
        case .integer(let lexeme), .decimal(let lexeme):
            _ = advance()
            if let quantity = try quantity(lexeme, start: token.range) { return quantity }
            if case .integer = token.kind { return try node(.integer(lexeme), token.range) }
            return try node(.decimal(lexeme), token.range)
        default:
            break
        }
        let kind: FHIRPathExpression.Kind
        switch token.kind {
        case .long(let digits): kind = .long(digits)
        case .boolean(let value): kind = .boolean(value)
        case .string(let value): kind = .string(value)
        case .date(let text): kind = .date(text)
        case .dateTime(let text): kind = .dateTime(text)
        case .time(let text): kind = .time(text)
        case .externalConstant(let name): kind = .externalConstant(name)
        case .variable(let name):
            guard let variable = SpecialVariable(rawValue: name) else { throw error("unknown special variable") }
            kind = .variable(variable)
        default:
            throw error("expected an expression but found \(token.kind.kindName)")
        }
        _ = advance()
        return try node(kind, token.range)
    }

    /// A unit after a number (`'mg'` or a calendar keyword), making a quantity; nil when none follows.
    mutating func quantity(_ value: String, start: FHIRPathRange) throws(FHIRPathError) -> FHIRPathExpression? {
        let unit: QuantityUnit
        switch current.kind {
        case .string(let code): unit = .ucum(code)
        case .identifier(let word) where QuantityUnit.calendarKeywords.contains(word): unit = .calendar(word)
        default: return nil
        }
        let range = advance().range
        return try node(.quantity(value: value, unit: unit), start.union(range))
    }
}

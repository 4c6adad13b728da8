/// A parsed FHIRPath expression: one node of the syntax tree with the span of text it came from.
public struct FHIRPathExpression: Sendable, Hashable {
    public var kind: Kind
    public var range: FHIRPathRange
    /// The number of nodes on the longest path from this node down to a leaf (a leaf has height 1).
    public let height: Int
    /// Where messages about this node point: the name of a member or function (`given` in
    /// `name.given`), else the start of the node.
    public var location: FHIRPathLocation

    public init(_ kind: Kind, range: FHIRPathRange, location: FHIRPathLocation? = nil) {
        self.kind = kind
        self.range = range
        self.height = 1 + (kind.children.map(\.height).max() ?? 0)
        self.location = location ?? range.start
    }

    /// The node kinds of the FHIRPath N1 grammar.
    public indirect enum Kind: Sendable, Hashable {
        /// `{}`.
        case empty
        case boolean(Bool)
        /// A string literal, escapes decoded.
        case string(String)
        /// An integer literal lexeme exactly as written.
        case integer(String)
        /// A long literal (`10L`): the digits without the suffix.
        case long(String)
        /// A decimal literal lexeme exactly as written.
        case decimal(String)
        /// A date literal without `@` (shape only; values are checked later).
        case date(String)
        /// A date-time literal without `@`.
        case dateTime(String)
        /// A time literal without `@T`.
        case time(String)
        /// A number with a unit: `4 'mg'`, `4 days`. `value` is the number lexeme.
        case quantity(value: String, unit: QuantityUnit)
        /// `%name`.
        case externalConstant(String)
        /// `$this`, `$index`, `$total` at the start of a path.
        case variable(SpecialVariable)
        /// A name at the start of a path (`Patient`, `name`), resolved against the input.
        case identifier(String)
        /// `target.name`.
        case member(FHIRPathExpression, String)
        /// `target.$this` and friends (allowed by the grammar, rarely useful).
        case memberVariable(FHIRPathExpression, SpecialVariable)
        /// `name(args)` with no target, or `target.name(args)`.
        case function(target: FHIRPathExpression?, name: String, arguments: [FHIRPathExpression])
        /// `target[index]`.
        case indexer(FHIRPathExpression, FHIRPathExpression)
        /// `+x` or `-x`.
        case unary(UnaryOperator, FHIRPathExpression)
        /// `left op right`.
        case binary(BinaryOperator, FHIRPathExpression, FHIRPathExpression)
        /// `operand is Type` or `operand as Type`.
        case type(TypeOperator, FHIRPathExpression, TypeSpecifier)

        /// The direct sub-expressions, in source order.
        public var children: [FHIRPathExpression] {
            switch self {
            case .member(let e, _), .memberVariable(let e, _), .unary(_, let e), .type(_, let e, _):
                return [e]
            case .function(let target, _, let arguments):
                return (target.map { [$0] } ?? []) + arguments
            case .indexer(let a, let b), .binary(_, let a, let b):
                return [a, b]
            default:
                return []
            }
        }
    }
}

/// `$this`, `$index`, `$total`.
public enum SpecialVariable: String, Sendable, Hashable, CaseIterable {
    case this, index, total
}

/// The unit of a quantity literal.
public enum QuantityUnit: Sendable, Hashable {
    /// A quoted UCUM unit: `'mg'`.
    case ucum(String)
    /// A calendar duration keyword as written: `day`, `days`, `year`, ...
    case calendar(String)

    /// The calendar duration keywords, singular and plural.
    public static let calendarKeywords: Set<String> = [
        "year", "years", "month", "months", "week", "weeks", "day", "days",
        "hour", "hours", "minute", "minutes", "second", "seconds", "millisecond", "milliseconds",
    ]
}

public enum UnaryOperator: String, Sendable, Hashable, CaseIterable {
    case plus = "+"
    case minus = "-"
}

/// `is` / `as` with a type name.
public enum TypeOperator: String, Sendable, Hashable, CaseIterable {
    case `is`, `as`
}

/// A possibly qualified type name: `Patient`, `FHIR.Patient`, `System.Integer`.
public struct TypeSpecifier: Sendable, Hashable {
    /// The dotted parts as written (usually one or two).
    public var components: [String]
    public var range: FHIRPathRange

    public init(components: [String], range: FHIRPathRange) {
        self.components = components
        self.range = range
    }

    /// The qualifier (`FHIR`, `System`) when given.
    public var namespace: String? { components.count > 1 ? components.dropLast().joined(separator: ".") : nil }

    /// The unqualified type name.
    public var name: String { components.last ?? "" }
}

/// Binary operators, with their precedence (higher binds tighter).
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case multiply = "*"
    case divide = "/"
    case div, mod
    case add = "+"
    case subtract = "-"
    case concatenate = "&"
    case union = "|"
    case lessThan = "<"
    case greaterThan = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case equal = "="
    case equivalent = "~"
    case notEqual = "!="
    case notEquivalent = "!~"
    case `in`, contains, and, or, xor, implies

    /// The N1 precedence table (`is`/`as` sit at level 9, between additive and union).
    public var precedence: Int {
        switch self {
        case .multiply, .divide, .div, .mod: return 11
        case .add, .subtract, .concatenate: return 10
        case .union: return 8
        case .lessThan, .greaterThan, .lessOrEqual, .greaterOrEqual: return 7
        case .equal, .equivalent, .notEqual, .notEquivalent: return 6
        case .in, .contains: return 5
        case .and: return 4
        case .or, .xor: return 3
        case .implies: return 2
        }
    }

    /// Precedence of `is` / `as`.
    public static let typeOperatorPrecedence = 9
}

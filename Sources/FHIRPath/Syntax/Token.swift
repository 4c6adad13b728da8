/// A word that FHIRPath reserves as an operator (some of which may still name members or functions).
public enum FHIRPathKeyword: String, Sendable, Hashable, CaseIterable {
    case and, or, xor, implies, div, mod, `in`, contains, `is`, `as`

    /// `as`, `contains`, `in` and `is` are also valid identifiers (function names such as `is()`).
    public var isIdentifier: Bool {
        switch self {
        case .as, .contains, .in, .is: return true
        default: return false
        }
    }
}

/// A punctuation token.
public enum FHIRPathSymbol: String, Sendable, Hashable, CaseIterable {
    case dot = "."
    case leftBracket = "["
    case rightBracket = "]"
    case leftParen = "("
    case rightParen = ")"
    case leftBrace = "{"
    case rightBrace = "}"
    case plus = "+"
    case minus = "-"
    case star = "*"
    case slash = "/"
    case pipe = "|"
    case ampersand = "&"
    case equal = "="
    case tilde = "~"
    case notEqual = "!="
    case notEquivalent = "!~"
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case comma = ","
}

/// What a token is, with its decoded payload.
public enum FHIRPathTokenKind: Sendable, Hashable {
    /// A plain identifier (`name`, `Patient`, `_id`).
    case identifier(String)
    /// A back-quoted identifier with escapes decoded (`` `div` `` -> `div`).
    case delimitedIdentifier(String)
    /// A single-quoted string with escapes decoded.
    case string(String)
    /// An integer lexeme, exactly as written (`0042`).
    case integer(String)
    /// A decimal lexeme, exactly as written (`1.50`).
    case decimal(String)
    /// A long integer: the digits without the `L` suffix.
    case long(String)
    /// A date literal without the `@` (`2015-02`).
    case date(String)
    /// A date-time literal without the `@` (`2015-02-04T14:34:28.123+09:00`, `2015T`).
    case dateTime(String)
    /// A time literal without the `@T` (`14:34`).
    case time(String)
    /// `true` or `false`.
    case boolean(Bool)
    /// A reserved operator word.
    case keyword(FHIRPathKeyword)
    /// `$this`, `$index` or `$total`: the name without `$`.
    case variable(String)
    /// `%name`, `` %`name` `` or `%'name'`: the decoded name without `%`.
    case externalConstant(String)
    case symbol(FHIRPathSymbol)
    case endOfInput

    /// A short name for messages (never includes the token's text).
    public var kindName: String {
        switch self {
        case .identifier: return "identifier"
        case .delimitedIdentifier: return "delimited identifier"
        case .string: return "string"
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .long: return "long integer"
        case .date: return "date"
        case .dateTime: return "date-time"
        case .time: return "time"
        case .boolean: return "boolean"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .variable(let v): return "'$\(v)'"
        case .externalConstant: return "external constant"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .endOfInput: return "end of input"
        }
    }
}

/// One token with the exact span it covers.
public struct FHIRPathToken: Sendable, Hashable {
    public var kind: FHIRPathTokenKind
    public var range: FHIRPathRange

    public init(kind: FHIRPathTokenKind, range: FHIRPathRange) {
        self.kind = kind
        self.range = range
    }
}

/// A configuration problem: the file, the place (line:column and key path) and what is wrong. It
/// never holds a secret's value, nor any other value from the file.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, CaseIterable {
        /// The file cannot be read (missing, too large, not UTF-8).
        case unreadable
        /// The text is not well-formed YAML.
        case syntax
        /// A key the configuration does not know (a typo, or a key of another section).
        case unknownKey
        /// The same key twice in one mapping.
        case duplicateKey
        /// A required key is absent.
        case missingKey
        /// A value of the wrong shape (a list where a mapping belongs, text where a number belongs).
        case wrongType
        /// A value of the right shape that is not allowed (an unknown auth type, a zero limit).
        case invalidValue
        /// A secret written into the file instead of `{file: ...}` or `{env: ...}`.
        case inlineSecret
        /// Anything else (a secret that cannot be resolved).
        case other
    }

    public var kind: Kind
    /// What is wrong.
    public var message: String
    /// The configuration file (as given), when the problem is in one.
    public var file: String?
    /// 1-based line and column of the problem.
    public var line: Int?
    public var column: Int?
    /// Where in the configuration: `targets[0].auth.type`.
    public var keyPath: String?

    public init(_ message: String) {
        self.kind = .other
        self.message = message
    }

    public init(
        _ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
        keyPath: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
    }

    /// `file:line:column: key.path: message`, leaving out the parts that are unknown.
    public var description: String {
        var prefix = ""
        if let file {
            prefix = file
            if let line {
                prefix += ":\(line)"
                if let column { prefix += ":\(column)" }
            }
            prefix += ": "
        }
        if let keyPath, !keyPath.isEmpty { prefix += keyPath + ": " }
        return prefix + message
    }
}

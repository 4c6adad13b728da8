/// A configuration problem: the file, the place (line:column or key path) and what is wrong. It
/// never holds a secret's value.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

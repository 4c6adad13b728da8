import Foundation

/// Where a secret (a bearer token, a password) comes from: a file or an environment variable named
/// in the configuration, never the command line. Its value is never printed.
public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
    case file(String)
    case environment(String)

    /// Reads the secret (a file's trailing newline is dropped). The error names the source, not the value.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError)
        -> String
    {
        switch self {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw ConfigError("secret: environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError("secret: cannot read file \(path)")
            }
            var text = String(decoding: data, as: UTF8.self)
            while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
            guard !text.isEmpty else { throw ConfigError("secret: file \(path) is empty") }
            return text
        }
    }

    public var description: String {
        switch self {
        case .file(let path): "file \(path)"
        case .environment(let name): "environment variable \(name)"
        }
    }
}

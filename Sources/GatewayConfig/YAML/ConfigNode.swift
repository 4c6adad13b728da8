import Yams

/// One value of the configuration tree with where it is (line:column from Yams' marks) and its key
/// path, so every error can say both. Reading is strict: the shape must match what is asked for.
struct ConfigNode {
    let node: Node
    /// `targets[0].auth.type` (empty for the root).
    let path: String
    let context: ConfigContext

    var line: Int? { node.mark?.line }
    var column: Int? { node.mark?.column }

    func error(_ kind: ConfigError.Kind, _ message: String) -> ConfigError {
        context.error(kind, message, line: line, column: column, path: path)
    }

    /// A plain `null`, `~` or empty scalar: the same as an absent key.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What the node is, for "expected ..., found ..." messages.
    var shapeName: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: isNull ? "null" : "a scalar"
        case .alias: "an alias"
        }
    }

    /// The text of a scalar (not null, not empty).
    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error(.wrongType, "expected text, found \(shapeName)")
        }
        guard !scalar.string.isEmpty else { throw error(.invalidValue, "must not be empty") }
        return scalar.string
    }

    func integer(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let text = try scalarText("a whole number")
        guard let value = Int(text) else { throw error(.wrongType, "expected a whole number") }
        guard range.contains(value) else {
            throw error(.invalidValue, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    func number(in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        let text = try scalarText("a number")
        guard let value = Double(text), value.isFinite else { throw error(.wrongType, "expected a number") }
        guard range.contains(value) else {
            throw error(.invalidValue, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    func bool() throws(ConfigError) -> Bool {
        switch try scalarText("true or false").lowercased() {
        case "true": return true
        case "false": return false
        default: throw error(.wrongType, "expected true or false")
        }
    }

    func duration(in range: ClosedRange<Duration>) throws(ConfigError) -> Duration {
        let text = try scalarText("a duration")
        guard let value = DurationText.parse(text) else {
            throw error(.wrongType, "expected a duration such as 250ms, 1s, 5m or 1h")
        }
        guard range.contains(value) else {
            throw error(
                .invalidValue,
                "must be between \(DurationText.format(range.lowerBound)) and \(DurationText.format(range.upperBound))"
            )
        }
        return value
    }

    /// One of `choices` (the message lists them; the value itself is not repeated).
    func choice(_ choices: [String]) throws(ConfigError) -> String {
        let text = try string()
        guard choices.contains(text) else {
            throw error(.invalidValue, "expected one of \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// The scalar's text for numbers and flags: a plain (unquoted) scalar.
    private func scalarText(_ expected: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error(.wrongType, "expected \(expected), found \(shapeName)")
        }
        guard scalar.style == .plain || scalar.style == .any else {
            throw error(.wrongType, "expected \(expected) (without quotes)")
        }
        return scalar.string
    }

    /// The items of a list.
    func list() throws(ConfigError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType, "expected a list, found \(shapeName)")
        }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, path: "\(path)[\(index)]", context: context)
        }
    }

    /// A list of texts, or one text (split at spaces when `splitting`).
    func strings(splitting: Bool = false) throws(ConfigError) -> [String] {
        if case .sequence = node {
            var result: [String] = []
            for item in try list() { result.append(try item.string()) }
            return result
        }
        let text = try string()
        return splitting ? text.split(separator: " ").map(String.init) : [text]
    }

    /// A mapping whose keys must all be in `allowed` (an unknown or repeated key is an error at the key).
    func mapping(allowed: [String]) throws(ConfigError) -> ConfigMapping {
        guard case .mapping(let mapping) = node else {
            throw error(.wrongType, "expected a mapping, found \(shapeName)")
        }
        var entries: [String: (key: ConfigNode, value: ConfigNode)] = [:]
        for (keyNode, valueNode) in mapping {
            let key = ConfigNode(node: keyNode, path: path, context: context)
            guard case .scalar(let scalar) = keyNode else {
                throw key.error(.wrongType, "a key must be text, found \(key.shapeName)")
            }
            let childPath = path.isEmpty ? scalar.string : path + "." + scalar.string
            let located = ConfigNode(node: keyNode, path: childPath, context: context)
            guard allowed.contains(scalar.string) else {
                let known = allowed.joined(separator: ", ")
                throw located.error(.unknownKey, "unknown key (known keys here: \(known))")
            }
            guard entries[scalar.string] == nil else {
                throw located.error(.duplicateKey, "the key appears twice")
            }
            entries[scalar.string] = (located, ConfigNode(node: valueNode, path: childPath, context: context))
        }
        return ConfigMapping(owner: self, entries: entries)
    }
}

/// The entries of one mapping, checked against the keys it may have.
struct ConfigMapping {
    let owner: ConfigNode
    let entries: [String: (key: ConfigNode, value: ConfigNode)]

    /// The value of `key`, or nil when absent or null.
    subscript(_ key: String) -> ConfigNode? {
        guard let entry = entries[key], !entry.value.isNull else { return nil }
        return entry.value
    }

    /// Whether `key` is written at all (even as null).
    func has(_ key: String) -> Bool { entries[key] != nil }

    /// The value of a key that must be there.
    func required(_ key: String) throws(ConfigError) -> ConfigNode {
        if let value = self[key] { return value }
        let path = owner.path.isEmpty ? key : owner.path + "." + key
        if let entry = entries[key] {
            throw entry.value.error(.missingKey, "a value is required")
        }
        throw owner.context.error(
            .missingKey, "the key is required", line: owner.line, column: owner.column, path: path)
    }
}

/// What every node of one parse shares: the file name for messages and the folder relative paths
/// resolve against.
struct ConfigContext {
    let file: String
    let baseDirectory: String

    func error(_ kind: ConfigError.Kind, _ message: String, line: Int?, column: Int?, path: String) -> ConfigError {
        ConfigError(kind, message, file: file, line: line, column: column, keyPath: path.isEmpty ? nil : path)
    }
}

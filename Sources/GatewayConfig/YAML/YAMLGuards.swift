import Yams

/// Checks around Yams: a nesting limit before composing (deep flow nesting would recurse without
/// bound), and the full key path of a duplicated key (Yams reports only the key's name and place).
enum YAMLGuards {
    /// The deepest `[`/`{` nesting and the deepest indentation accepted; a configuration needs far less.
    static let maximumFlowDepth = 32
    static let maximumIndentation = 256

    /// The 1-based line of the first place that nests too deeply, or nil. Quoted text and comments
    /// are skipped; the count is on characters, so it errs on the side of refusing.
    static func tooDeep(_ yaml: String) -> (line: Int, column: Int)? {
        var depth = 0
        var line = 1
        var column = 0
        var indentation = 0
        var atLineStart = true
        var quote: Character?
        var comment = false
        var previous: Character = "\n"
        for character in yaml {
            column += 1
            if character == "\n" {
                line += 1
                column = 0
                indentation = 0
                atLineStart = true
                comment = false
                if quote == "'" || quote == "\"" { quote = nil }
                previous = character
                continue
            }
            if atLineStart {
                if character == " " {
                    indentation += 1
                    if indentation > maximumIndentation { return (line, column) }
                    previous = character
                    continue
                }
                atLineStart = false
            }
            defer { previous = character }
            if comment { continue }
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "#" where previous == " " || previous == "\t" || previous == "\n" || column == 1: comment = true
            case "'", "\"": quote = character
            case "[", "{":
                depth += 1
                if depth > maximumFlowDepth { return (line, column) }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    /// The full key path (`targets[0].auth.type`) of the key Yams found twice at `mark`: the key is
    /// renamed at that place, the text composed again, and the renamed key looked up. Nil when that
    /// does not work out (the caller then reports the bare key).
    static func duplicateKeyPath(_ yaml: String, key: String, mark: Mark) -> String? {
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard mark.line >= 1, mark.line <= lines.count, mark.column >= 1 else { return nil }
        var scalars = Array(lines[mark.line - 1].unicodeScalars)
        let keyScalars = Array(key.unicodeScalars)
        let start = mark.column - 1
        guard !keyScalars.isEmpty, start + keyScalars.count <= scalars.count,
            Array(scalars[start..<start + keyScalars.count]) == keyScalars
        else { return nil }
        scalars.replaceSubrange(start..<start + keyScalars.count, with: "fhirgate-renamed-key".unicodeScalars)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        lines[mark.line - 1] = String(view)
        guard let root = try? Yams.compose(yaml: lines.joined(separator: "\n")) else { return nil }
        var budget = 100_000
        return find(root, path: "", key: key, mark: mark, budget: &budget)
    }

    private static func find(_ node: Node, path: String, key: String, mark: Mark, budget: inout Int) -> String? {
        budget -= 1
        guard budget > 0 else { return nil }
        switch node {
        case .mapping(let mapping):
            for (keyNode, value) in mapping {
                guard case .scalar(let scalar) = keyNode else { continue }
                if let keyMark = keyNode.mark, keyMark.line == mark.line, keyMark.column == mark.column {
                    return path.isEmpty ? key : path + "." + key
                }
                let child = path.isEmpty ? scalar.string : path + "." + scalar.string
                if let found = find(value, path: child, key: key, mark: mark, budget: &budget) { return found }
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                if let found = find(item, path: "\(path)[\(index)]", key: key, mark: mark, budget: &budget) {
                    return found
                }
            }
        case .scalar, .alias:
            break
        }
        return nil
    }
}

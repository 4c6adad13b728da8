/// A discriminator path (`code.coding.system`, `$this`, `extension('url').value`,
/// `resolve()`, `value.ofType(Quantity)`) read into steps, for walking the slice's definitions.
///
/// The instance side is evaluated with the FHIRPath engine; this is only the restricted grammar
/// FHIR allows in `ElementDefinition.slicing.discriminator.path`.
enum DiscriminatorStep: Sendable, Hashable {
    /// `$this`: the item itself.
    case this
    /// A child element (`code`, `value` for `value[x]`).
    case name(String)
    /// `extension('url')`: the extension with this URL.
    case extensionURL(String)
    /// `resolve()`: the resource a Reference points to.
    case resolve
    /// `ofType(T)` / `as(T)`: restricts to one type.
    case ofType(String)

    /// The steps of a path, or `nil` when it uses something outside the discriminator grammar.
    static func parse(_ path: String) -> [DiscriminatorStep]? {
        guard path.utf8.count <= 1024 else { return nil }
        var steps: [DiscriminatorStep] = []
        for segment in split(path) {
            guard let step = step(segment) else { return nil }
            steps.append(step)
        }
        return steps.isEmpty ? nil : steps
    }

    /// Splits on `.` outside parentheses and quotes.
    private static func split(_ path: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var quote: Character?
        var start = path.startIndex
        var i = path.startIndex
        while i < path.endIndex {
            let c = path[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
            } else if c == "." && depth == 0 {
                parts.append(path[start..<i])
                start = path.index(after: i)
            }
            i = path.index(after: i)
        }
        parts.append(path[start...])
        return parts
    }

    private static func step(_ raw: Substring) -> DiscriminatorStep? {
        let segment = raw.trimmingSpaces
        if segment == "$this" { return .this }
        if segment == "resolve()" { return .resolve }
        if let argument = argument(of: segment, function: "extension"), let url = unquoted(argument) {
            return .extensionURL(url)
        }
        for function in ["ofType", "as"] {
            if let argument = argument(of: segment, function: function) {
                var type = argument.trimmingSpaces
                if type.hasPrefix("FHIR.") { type = type.dropFirst(5) }
                guard !type.isEmpty, type.allSatisfy(isNameCharacter) else { return nil }
                return .ofType(String(type))
            }
        }
        guard let first = segment.first, first.isLetter || first == "_", segment.allSatisfy(isNameCharacter) else {
            return nil
        }
        return .name(String(segment))
    }

    /// The text between `function(` and the closing `)`, when the segment is that call.
    private static func argument(of segment: Substring, function: String) -> Substring? {
        guard segment.hasPrefix(function + "("), segment.hasSuffix(")") else { return nil }
        return segment.dropFirst(function.count + 1).dropLast()
    }

    /// A string literal's content (`'x'` or `"x"`), without escapes.
    private static func unquoted(_ text: Substring) -> String? {
        let t = text.trimmingSpaces
        guard t.count >= 2, let q = t.first, q == "'" || q == "\"", t.last == q else { return nil }
        let inner = t.dropFirst().dropLast()
        guard !inner.contains(q), !inner.contains("\\") else { return nil }
        return String(inner)
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_"
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

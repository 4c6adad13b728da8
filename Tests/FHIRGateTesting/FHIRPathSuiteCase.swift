/// One `<test>` of the official FHIRPath suite (tests-fhir-r4.xml) with everything the runner needs.
public struct FHIRPathSuiteCase: Sendable {
    public struct Output: Sendable, Equatable {
        /// The `type` attribute (`boolean`, `string`, `code`, `Quantity`...), or nil when absent.
        public var type: String?
        public var text: String

        public init(type: String?, text: String) {
            self.type = type
            self.text = text
        }
    }

    public var group: String
    public var name: String
    /// The `inputfile` attribute (`patient-example.xml`), or nil for tests that need no input.
    public var inputFile: String?
    /// The `mode` attribute of `<test>` or `<expression>` (`strict`), or nil.
    public var mode: String?
    public var checkOrderedFunctions: Bool
    /// `predicate="true"`: the result is reduced to one boolean before comparison.
    public var predicate: Bool
    /// `ordered="false"`: outputs may come in any order.
    public var ordered: Bool
    public var expression: String
    /// The `invalid` attribute of `<expression>`: `syntax`, `semantic`, `execution` or `true` (any).
    public var invalid: String?
    public var outputs: [Output]

    public init(
        group: String, name: String, inputFile: String?, mode: String?, checkOrderedFunctions: Bool,
        predicate: Bool, ordered: Bool, expression: String, invalid: String?, outputs: [Output]
    ) {
        self.group = group
        self.name = name
        self.inputFile = inputFile
        self.mode = mode
        self.checkOrderedFunctions = checkOrderedFunctions
        self.predicate = predicate
        self.ordered = ordered
        self.expression = expression
        self.invalid = invalid
        self.outputs = outputs
    }
}

/// A small extractor for the suite file (its XML is regular: no nesting of same-named elements,
/// no CDATA), so the test targets need no XML parser. Used by the conformance runner and by the
/// FHIRPath syntax and checker tests.
public enum FHIRPathSuiteExtractor {
    public static func cases(in xml: String) -> [FHIRPathSuiteCase] {
        let text = removingComments(xml)[...]
        var result: [FHIRPathSuiteCase] = []
        for group in elements("group", in: text) {
            let groupName = attribute("name", in: group.tag) ?? "?"
            for test in elements("test", in: group.body) {
                guard let expression = elements("expression", in: test.body).first else { continue }
                let outputs = elements("output", in: test.body).map {
                    FHIRPathSuiteCase.Output(type: attribute("type", in: $0.tag), text: decodeEntities($0.body))
                }
                result.append(
                    FHIRPathSuiteCase(
                        group: groupName, name: attribute("name", in: test.tag) ?? "?",
                        inputFile: attribute("inputfile", in: test.tag),
                        mode: attribute("mode", in: test.tag) ?? attribute("mode", in: expression.tag),
                        checkOrderedFunctions: attribute("checkOrderedFunctions", in: test.tag) == "true",
                        predicate: attribute("predicate", in: test.tag) == "true",
                        ordered: attribute("ordered", in: test.tag) != "false",
                        expression: decodeEntities(expression.body),
                        invalid: attribute("invalid", in: expression.tag), outputs: outputs))
            }
        }
        return result
    }

    /// The elements named `name` directly in `text`, in order: their start-tag attributes and body
    /// (empty for a self-closing tag).
    public static func elements(_ name: String, in text: Substring) -> [(tag: Substring, body: Substring)] {
        var found: [(tag: Substring, body: Substring)] = []
        var rest = text
        while let open = rest.range(of: "<" + name) {
            rest = rest[open.upperBound...]
            guard let next = rest.first,
                next == " " || next == "\t" || next == "\n" || next == "\r" || next == ">"
                    || next == "/"
            else { continue }
            guard let tagEnd = rest.firstIndex(of: ">") else { break }
            let tag = rest[..<tagEnd]
            rest = rest[rest.index(after: tagEnd)...]
            if tag.hasSuffix("/") {
                found.append((tag.dropLast(), rest[rest.startIndex..<rest.startIndex]))
                continue
            }
            guard let close = rest.range(of: "</" + name + ">") else { break }
            found.append((tag, rest[..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    public static func removingComments(_ xml: String) -> String {
        var out = ""
        var rest = xml[...]
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    public static func attribute(_ name: String, in tag: Substring) -> String? {
        var rest = tag
        while let found = rest.range(of: name + "=\"") {
            let before = found.lowerBound == tag.startIndex ? " " : tag[tag.index(before: found.lowerBound)]
            rest = rest[found.upperBound...]
            guard before == " " || before == "\t" || before == "\n" || before == "\r" else { continue }
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return decodeEntities(rest[..<end])
        }
        return nil
    }

    public static func decodeEntities(_ text: Substring) -> String {
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            var scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                out.unicodeScalars.append(scalar)
            } else {
                out += rest[amp...semi]
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}

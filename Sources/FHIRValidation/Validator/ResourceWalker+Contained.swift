import FHIRModel

extension ResourceWalker {
    /// dom-3 as published does not look into the narrative, but a contained resource that the
    /// narrative points at (`<img src="#id"/>`, `<a href="#id">`) is referenced, as the reference
    /// validator accepts: true when every contained resource is referenced from the resource's
    /// data or its narrative.
    static func containedReferencedIncludingNarrative(_ resource: ElementNode) -> Bool {
        var targets: Set<String> = []
        var containsSelfReference = false
        collectLocalReferences(resource, into: &targets, selfReference: &containsSelfReference, depth: 0)
        for contained in resource.children where contained.name == "contained" && contained.isResource {
            guard let id = contained.childValue("id") else { return false }
            if targets.contains(id) { continue }
            var inner: Set<String> = []
            var pointsBack = false
            collectLocalReferences(contained, into: &inner, selfReference: &pointsBack, depth: 0)
            if !pointsBack { return false }
        }
        return true
    }

    /// Local targets (`#id`) named by `reference`, canonical/uri/url values and narrative
    /// `src`/`href` attributes anywhere under `node`; `selfReference` is set by a bare `#`.
    private static func collectLocalReferences(
        _ node: ElementNode, into targets: inout Set<String>, selfReference: inout Bool, depth: Int
    ) {
        guard depth < 200 else { return }
        if let value = node.value, value.hasPrefix("#") {
            switch node.typeName {
            case "xhtml":
                break
            case "string", "uri", "url", "canonical":
                if value == "#" { selfReference = true } else { targets.insert(String(value.dropFirst())) }
            default:
                break
            }
        }
        if node.typeName == "xhtml", let text = node.value {
            for id in narrativeLocalTargets(text) { targets.insert(id) }
        }
        for child in node.children {
            collectLocalReferences(child, into: &targets, selfReference: &selfReference, depth: depth + 1)
        }
    }

    /// The `#id` values of `src="..."` and `href="..."` attributes in XHTML text.
    static func narrativeLocalTargets(_ text: String) -> [String] {
        var out: [String] = []
        for marker in ["src=\"#", "href=\"#", "src='#", "href='#"] {
            var rest = Substring(text)
            while let r = rest.range(of: marker) {
                let after = rest[r.upperBound...]
                let quote: Character = marker.hasSuffix("\"#") ? "\"" : "'"
                guard let end = after.firstIndex(of: quote) else { break }
                out.append(String(after[..<end]))
                rest = after[end...]
            }
        }
        return out
    }
}

extension ResourceWalker {
    /// Whether an invariant is not evaluated because it judges the contained resources and the
    /// options say not to check them (`checkContained` false): an expression that starts by
    /// navigating into `contained` (dom-2 `contained.contained.empty()`, dom-3, dom-4, dom-5,
    /// or a profile's rule of the same form).
    func skipsContainedInvariant(_ expression: String) -> Bool {
        !validator.options.checkContained && Self.isAboutContained(expression)
    }

    static func isAboutContained(_ expression: String) -> Bool {
        let text = expression.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "(" }
        return text.hasPrefix("contained.")
    }
}

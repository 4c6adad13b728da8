import FHIRModel
import FHIRPath
import FHIRXML

/// The safety rules of FHIR R4 narrative (`Narrative.div`, narrative.html and txt-1/txt-2):
/// well-formed XHTML whose root is a `div` in the XHTML namespace (which JSON must declare),
/// only the basic HTML 4 formatting elements (chapters 7-11 except 9.4, and 15), links and
/// images, only their attributes, no scripts, event handlers or `javascript:` URLs, and some
/// non-whitespace content.
///
/// The text is parsed with libxml2 through `XHTMLNarrative` (no DOCTYPE, no external entities)
/// and the normalised form is read by `NarrativeScanner`; plain narratives that break no rule are
/// recognised from the markup read with the normal form (``quickContent(_:)``) without scanning
/// again. Messages name elements and attributes, never text or attribute values.
enum NarrativeRules {
    /// The elements narrative may use: HTML 4 global structure, text, lists and tables
    /// (chapters 7-11 without 9.4 `ins`/`del`), font style and rules (chapter 15 without the
    /// deprecated ones), links and images (with client-side image maps).
    static let allowedElements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "b", "bdo", "big", "blockquote", "br", "caption", "cite", "code",
        "col", "colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "kbd", "li", "map", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var",
    ]

    /// Attributes allowed on every element (core, i18n, keyboard and table cell alignment).
    static let globalAttributes: Set<String> = [
        "title", "style", "class", "id", "lang", "dir", "accesskey", "tabindex", "span", "width", "align", "valign",
        "char", "charoff", "abbr", "axis", "headers", "scope", "rowspan", "colspan",
    ]

    /// ``allowedElements`` and ``globalAttributes`` looked up without hashing.
    static let allowedNames = ASCIINameSet(Array(allowedElements))
    static let globalNames = ASCIINameSet(Array(globalAttributes))

    /// Attributes allowed on particular elements.
    static let elementAttributes: [String: Set<String>] = [
        "a": ["href", "name", "charset", "type", "hreflang", "rel", "rev", "shape", "coords"],
        "img": ["src", "alt", "longdesc", "height", "width", "usemap", "ismap", "border"],
        "map": ["name"],
        "area": ["shape", "coords", "href", "nohref", "alt"],
        "table": ["summary", "width", "border", "frame", "rules", "cellspacing", "cellpadding"],
        "blockquote": ["cite"],
        "q": ["cite"],
        "td": ["nowrap"],
        "th": ["nowrap"],
    ]

    /// Attributes that hold URLs, by element.
    static let urlAttributes: [String: Set<String>] = [
        "a": ["href"], "area": ["href"], "img": ["src", "longdesc"], "blockquote": ["cite"], "q": ["cite"],
    ]

    /// At most this many problems are listed for one narrative.
    static let maxIssues = 50

    static func check(_ div: ElementNode, path: String, into issues: inout [Issue]) {
        check(div, path: path, into: &issues, quick: true)
    }

    /// ``check(_:path:into:)``; `quick`: plain narratives may be decided from their markup
    /// (false: always scanned, the reference the tests compare with).
    static func check(_ div: ElementNode, path: String, into issues: inout [Issue], quick: Bool) {
        guard let text = div.value else { return }
        let position = div.position
        var found: [Issue] = []
        func report(_ code: IssueCode, _ message: String) {
            if found.count < maxIssues { found.append(Issue(.error, code, message, path: path, position: position)) }
        }
        let entry = NarrativeNormalization.entry(text)
        let normalized: String
        do {
            normalized = try entry.result.get()
        } catch {
            issues.append(
                Issue(
                    .error, .narrativeSyntax, "the narrative is not well-formed XHTML: \(error.issue.message)",
                    path: path, position: position))
            return
        }
        if !NarrativeScanner.rootDeclaresNamespace(text) {
            report(
                .narrativeNamespace,
                "the narrative div must declare the XHTML namespace (xmlns=\"\(NarrativeScanner.xhtmlNamespace)\")")
        }
        // A plain narrative (most) is decided from the markup read with its normal form.
        if quick, let markup = entry.markup, let hasContent = quickContent(markup) {
            if !hasContent { report(.narrativeEmpty, "the narrative has no non-whitespace content (txt-2)") }
            issues.append(contentsOf: found)
            return
        }
        var hasContent = false
        var sawRoot = false
        NarrativeScanner.scan(normalized) { event in
            switch event {
            case .start(let element):
                var name: String { displayName(element.localName) }
                let inXHTML = element.namespace == NarrativeScanner.xhtmlNamespace
                if element.depth == 0 {
                    sawRoot = true
                    if !(inXHTML && element.localName == "div") {
                        report(.narrativeNamespace, "the narrative root must be a div in the XHTML namespace")
                    }
                } else if !inXHTML {
                    report(.narrativeNamespace, "element '\(name)' is not in the XHTML namespace")
                }
                let allowed = allowedNames.contains(element.localName)
                if inXHTML && !allowed {
                    let what =
                        [
                            "script", "style", "form", "iframe", "frame", "object", "embed", "applet", "base",
                            "link", "meta", "head", "body", "html", "input", "button", "textarea", "select",
                        ]
                        .contains(element.localName)
                        ? "element '\(name)' is not allowed in narrative (no scripts, styles sheets, forms, frames, "
                            + "objects or document structure)"
                        : "element '\(name)' is not allowed in narrative (only basic HTML formatting elements)"
                    report(.narrativeElement, what)
                }
                if element.localName == "img" { hasContent = true }
                if !element.attributes.isEmpty {
                    checkAttributes(element, inXHTML: inXHTML, allowed: allowed, report: report)
                }
            case .text(let content):
                if content { hasContent = true }
            case .end, .comment:
                break
            }
            return true
        }
        if !sawRoot {
            report(.narrativeNamespace, "the narrative has no root element")
        } else if !hasContent {
            report(.narrativeEmpty, "the narrative has no non-whitespace content (txt-2)")
        }
        issues.append(contentsOf: found)
    }

    private static func checkAttributes(
        _ element: NarrativeScanner.Element, inXHTML: Bool, allowed: Bool, report: (IssueCode, String) -> Void
    ) {
        // (Names for messages are made only when a message is.)
        var elementName: String { displayName(element.localName) }
        for attribute in element.attributes {
            var attributeName: String { displayName(attribute.qualifiedName) }
            if let prefix = attribute.prefix {
                let ok = prefix == "xml" && (attribute.localName == "lang" || attribute.localName == "space")
                if !ok {
                    report(.narrativeAttribute, "attribute '\(attributeName)' is not allowed in narrative")
                }
                continue
            }
            let name = attribute.localName
            if Self.hasEventPrefix(name) {
                report(
                    .narrativeAttribute,
                    "event attribute '\(attributeName)' is not allowed in narrative (no scripts)")
                continue
            }
            // The attributes of elements that are reported already are not listed one by one.
            guard inXHTML, allowed else { continue }
            let global = globalNames.contains(name)
            if !global && !(elementAttributes[element.localName]?.contains(name) ?? false) {
                report(
                    .narrativeAttribute, "attribute '\(attributeName)' is not allowed on element '\(elementName)'")
                continue
            }
            if name == "style" && styleHasScript(attribute.value) {
                report(.narrativeAttribute, "the style attribute of '\(elementName)' contains script")
            }
            if urlAttributes[element.localName]?.contains(name) ?? false {
                if let problem = urlProblem(attribute.value, imageSource: element.localName == "img" && name == "src") {
                    report(.narrativeURL, "the \(elementName)/@\(attributeName) URL \(problem)")
                }
            }
        }
    }

    /// Why a link or image URL may not be used, or nil.
    static func urlProblem(_ value: String, imageSource: Bool) -> String? {
        // Most URLs (`#id`, `http://...`, relative ones) cannot have a problem scheme: a byte
        // look at the scheme says so without building the compact text.
        guard mayHaveScriptOrDataScheme(value) else { return nil }
        // An image's data URL (often large): its start decides, without copying all of it.
        if imageSource, startsWithDataImage(value) == true { return nil }
        // Browsers ignore whitespace and control characters inside a scheme (`java\tscript:`).
        let compact = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value > 0x20 }))
        guard let scheme = ReferenceSyntax.scheme(of: compact)?.lowercased() else { return nil }
        switch scheme {
        case "javascript", "vbscript":
            return "uses a script scheme (\(scheme):), which narrative may not use"
        case "data":
            if imageSource && compact.lowercased().hasPrefix("data:image/") { return nil }
            return imageSource
                ? "is a data: URL that is not an image (data:image/...)" : "is a data: URL, which only images may use"
        default:
            return nil
        }
    }

    /// Whether the scheme of `value` (its bytes before the first `:`, ignoring whitespace and
    /// controls, case-insensitively) may be `javascript`, `vbscript` or `data`.
    static func mayHaveScriptOrDataScheme(_ value: String) -> Bool { mayHaveScriptOrDataScheme(bytes: value.utf8) }

    /// ``mayHaveScriptOrDataScheme(_:)`` over the value's UTF-8 bytes.
    static func mayHaveScriptOrDataScheme<Bytes: Sequence<UInt8>>(bytes: Bytes) -> Bool {
        var n = 0
        var script = true
        var vbscript = true
        var data = true
        for b in bytes where b > 0x20 {
            if b == 0x3A { return (script && n == 10) || (vbscript && n == 8) || (data && n == 4) }
            let c = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            script = script && n < 10 && javascriptBytes[n] == c
            vbscript = vbscript && n < 8 && vbscriptBytes[n] == c
            data = data && n < 4 && dataBytes[n] == c
            if !(script || vbscript || data) { return false }
            n += 1
        }
        return false
    }

    /// Whether `value` without whitespace and controls starts with `data:image/`, in any case;
    /// nil when non-ASCII text comes first or right after it (Unicode case mapping and
    /// combining marks are left to the full check).
    static func startsWithDataImage(_ value: String) -> Bool? { startsWithDataImage(bytes: value.utf8) }

    /// ``startsWithDataImage(_:)`` over the value's UTF-8 bytes.
    static func startsWithDataImage<Bytes: Sequence<UInt8>>(bytes: Bytes) -> Bool? {
        var n = 0
        for b in bytes where b > 0x20 {
            guard b < 0x80 else { return nil }
            if n == dataImageBytes.count { return true }
            let c = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            guard c == dataImageBytes[n] else { return false }
            n += 1
        }
        return n == dataImageBytes.count
    }

    private static let dataImageBytes: [UInt8] = Array("data:image/".utf8)
    private static let javascriptBytes: [UInt8] = Array("javascript".utf8)
    private static let vbscriptBytes: [UInt8] = Array("vbscript".utf8)
    private static let dataBytes: [UInt8] = Array("data".utf8)

    /// Whether inline CSS carries script (`javascript:` URLs, IE `expression()`, `behavior`):
    /// whether the text without whitespace and controls, ASCII-lowercased, contains a marker.
    static func styleHasScript(_ style: String) -> Bool {
        if let answer = style.utf8.withContiguousStorageIfAvailable({ styleHasScript($0) }) { return answer }
        return Array(style.utf8).withUnsafeBufferPointer { styleHasScript($0) }
    }

    /// ``styleHasScript(_:)`` over bytes: at each byte that can start a marker, the marker is
    /// matched against the following bytes, skipping whitespace and controls (no copy is made).
    static func styleHasScript(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i] | (b[i] >= 0x41 && b[i] <= 0x5A ? 0x20 : 0)
            i += 1
            let marker: StaticString
            switch c {
            case UInt8(ascii: "j"): marker = "javascript:"
            case UInt8(ascii: "v"): marker = "vbscript:"
            case UInt8(ascii: "e"): marker = "expression("
            case UInt8(ascii: "b"): marker = "behavior:"
            case UInt8(ascii: "-"): marker = "-moz-binding"
            default: continue
            }
            if matches(marker, in: b, after: i) { return true }
        }
        return false
    }

    /// Whether the bytes from `start` (whitespace and controls skipped, ASCII-lowercased) begin
    /// with `marker` without its first byte.
    private static func matches(_ marker: StaticString, in b: UnsafeBufferPointer<UInt8>, after start: Int) -> Bool {
        let m = marker.utf8CodeUnitCount
        var j = 1
        var k = start
        while j < m {
            guard k < b.count else { return false }
            let raw = b[k]
            k += 1
            if raw <= 0x20 { continue }
            let c = raw >= 0x41 && raw <= 0x5A ? raw | 0x20 : raw
            guard c == marker.utf8Start[j] else { return false }
            j += 1
        }
        return true
    }

    /// Whether an attribute name starts with `on`, in any case (`onclick`, `ONLOAD`).
    static func hasEventPrefix(_ name: String) -> Bool {
        var bytes = name.utf8.makeIterator()
        let first = bytes.next() ?? 0
        let second = bytes.next() ?? 0
        let third = bytes.next() ?? 0
        // Non-ASCII (case mappings, combining marks) is left to the Unicode comparison.
        guard first < 0x80, second < 0x80, third < 0x80 else { return name.lowercased().hasPrefix("on") }
        return first | 0x20 == 0x6F && second | 0x20 == 0x6E
    }

    /// An element or attribute name for a message: as written when it is a plain XML name of
    /// reasonable length, else a placeholder (names are not patient data, but keep them tame).
    static func displayName(_ name: String) -> String {
        let ok =
            !name.isEmpty && name.utf8.count <= 40
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x5F || b == 0x2E || b == 0x3A
            }
        return ok ? name : "(name)"
    }
}

import FHIRModel
import FHIRXML

/// Narrative rules that depend on the resource or the profile rather than on XHTML alone:
///
/// - the resource `language` against the narrative's `lang` (a warning when they differ);
/// - `narrative-language-control` on the Narrative element of a profile: `_no` (no language
///   sections), `_yes` (language sections required), `_resource` (a section for the resource's
///   language), or language codes (a section for each);
/// - `narrative-source-control`: every top-level piece of the narrative carries a class saying
///   where it comes from (`boilerplate`, `generated`, `original`), reported at the severity the
///   extension gives (`error`, `warning`, `hint`).
///
/// A language section is a top-level `div` with `xml:lang` or `lang`. Messages never quote
/// language codes or text from the instance.
extension NarrativeRules {
    static let languageControlURL = "http://hl7.org/fhir/StructureDefinition/narrative-language-control"
    static let sourceControlURL = "http://hl7.org/fhir/StructureDefinition/narrative-source-control"
    static let sourceClasses: Set<String> = ["boilerplate", "generated", "original"]

    /// What the language and source rules need from a narrative, read in one pass.
    struct Outline {
        /// `xml:lang` (or `lang`) of the root div.
        var rootLanguage: String?
        /// The languages of the top-level language sections, in order.
        var sections: [String] = []
        /// Top-level pieces without a source class: text runs and elements.
        var unlabelledText = 0
        var unlabelledElements: [String] = []
    }

    /// The outline of a narrative, or nil when it is not well-formed.
    static func outline(_ xhtml: String) -> Outline? {
        guard let normalized = try? XHTMLNarrative.normalized(xhtml) else { return nil }
        var outline = Outline()
        var depth = 0
        NarrativeScanner.scan(normalized) { event in
            switch event {
            case .start(let element):
                let lang = language(of: element)
                if element.depth == 0 {
                    outline.rootLanguage = lang
                } else if element.depth == 1 {
                    if element.localName == "div", let lang { outline.sections.append(lang) }
                    let classes =
                        element.attributes.first { $0.prefix == nil && $0.localName == "class" }?.value
                        .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) ?? []
                    if !classes.contains(where: { sourceClasses.contains(String($0)) }) {
                        outline.unlabelledElements.append(displayName(element.localName))
                    }
                }
                depth = element.depth + 1
            case .end:
                depth -= 1
            case .text(let content):
                if content && depth == 1 { outline.unlabelledText += 1 }
            case .comment:
                break
            }
            return true
        }
        return outline
    }

    private static func language(of element: NarrativeScanner.Element) -> String? {
        element.attributes.first { $0.prefix == "xml" && $0.localName == "lang" }?.value
            ?? element.attributes.first { $0.prefix == nil && $0.localName == "lang" }?.value
    }

    /// Whether two language tags name the same language (`en` matches `en-US`).
    static func languagesMatch(_ a: String, _ b: String) -> Bool {
        let x = a.lowercased()
        let y = b.lowercased()
        return x == y || x.hasPrefix(y + "-") || y.hasPrefix(x + "-")
    }

    /// Warns when the resource has a language and the narrative states languages, none of which
    /// is the resource's.
    static func checkLanguage(
        _ div: ElementNode, resourceLanguage: String?, path: String, into issues: inout [Issue]
    ) {
        guard let resourceLanguage, !resourceLanguage.isEmpty, let text = div.value, let outline = outline(text)
        else { return }
        let stated = outline.rootLanguage.map { [$0] } ?? outline.sections
        guard !stated.isEmpty, !stated.contains(where: { languagesMatch($0, resourceLanguage) }) else { return }
        issues.append(
            Issue(
                .warning, .narrative, "the resource has a language, and the narrative states a different lang",
                path: path, position: div.position))
    }

    /// Applies the profile's narrative controls (extensions on `narrative`, the definition of
    /// the Narrative element, e.g. `Patient.text`) to the narrative `div`.
    static func checkControls(
        _ div: ElementNode, narrative: ElementDefinitionInfo, profileURL: String, resourceLanguage: String?,
        path: String, into issues: inout [Issue]
    ) {
        let extensions = narrative.raw["extension"]?.arrayValue ?? []
        let languageCodes = extensions.compactMap { e in
            e["url"]?.stringValue == languageControlURL
                ? e["valueCode"]?.stringValue ?? e["valueString"]?.stringValue : nil
        }
        let sourceLevel = extensions.first { $0["url"]?.stringValue == sourceControlURL }
            .flatMap { $0["valueCode"]?.stringValue ?? $0["valueString"]?.stringValue }
        guard !languageCodes.isEmpty || sourceLevel != nil, let text = div.value, let outline = outline(text) else {
            return
        }
        let position = div.position
        let by = " by the profile \(profileURL)"
        for code in languageCodes {
            switch code {
            case "_no":
                if !outline.sections.isEmpty {
                    issues.append(
                        Issue(
                            .error, .narrative, "the narrative has language sections, which are prohibited here\(by)",
                            path: path, position: position))
                }
            case "_yes":
                if outline.sections.isEmpty {
                    issues.append(
                        Issue(
                            .error, .narrative, "the narrative has no language sections, which are required here\(by)",
                            path: path, position: position))
                }
            case "_resource":
                guard let resourceLanguage, !resourceLanguage.isEmpty else { continue }
                if !outline.sections.contains(where: { languagesMatch($0, resourceLanguage) }) {
                    issues.append(
                        Issue(
                            .error, .narrative,
                            "the narrative has no language section for the resource's language, which is required\(by)",
                            path: path, position: position))
                }
            default:
                if !outline.sections.contains(where: { languagesMatch($0, code) }) {
                    issues.append(
                        Issue(
                            .error, .narrative,
                            "the narrative has no language section for '\(displayName(code))', which is required\(by)",
                            path: path, position: position))
                }
            }
        }
        if let sourceLevel {
            let severity: Issue.Severity =
                switch sourceLevel {
                case "error": .error
                case "hint", "information": .information
                default: .warning
                }
            let required =
                "class attribute (boilerplate, generated or original) stating its source, which is required\(by)"
            for _ in 0..<outline.unlabelledText {
                issues.append(
                    Issue(
                        severity, .narrative, "text directly inside the narrative div has no \(required)", path: path,
                        position: position))
            }
            for name in outline.unlabelledElements {
                issues.append(
                    Issue(
                        severity, .narrative, "the top-level element '\(name)' of the narrative has no \(required)",
                        path: path, position: position))
            }
        }
    }
}

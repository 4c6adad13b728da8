import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRPath
@testable import FHIRValidation

/// The byte-level helpers of the narrative rules answer as the String forms they replaced.
@Suite struct NarrativeByteChecksTests {
    /// The published rule: the compacted (no whitespace or controls), ASCII-lowercased text
    /// contains a marker.
    static func referenceStyleHasScript(_ style: String) -> Bool {
        let compact = style.utf8.filter { $0 > 0x20 }.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let markers = ["javascript:", "vbscript:", "expression(", "behavior:", "-moz-binding"].map { Array($0.utf8) }
        for start in compact.indices {
            for marker in markers where compact[start...].starts(with: marker) { return true }
        }
        return false
    }

    @Test func styleScriptMarkersMatchTheCompactedText() {
        let styles = [
            "color: red", "background: url(java\tscript:alert(1))", "width: EXPRESSION (1+1)", "behavior :url(x)",
            "-MOZ-\nBINDING: url(x)", "b", "e", "j", "-", "javascript", "vbscript:", "expressio", "be havior:",
            "font-family: \u{E9}xpression(", "x: v\u{1}b\u{0}script:", "", "beexpression(", "jjavascript:",
        ]
        for style in styles {
            #expect(NarrativeRules.styleHasScript(style) == Self.referenceStyleHasScript(style), "\(style)")
        }
        #expect(styles.filter { NarrativeRules.styleHasScript($0) }.count == 9)
    }

    @Test func nameSetsAnswerAsStringSets() {
        let names = Array(NarrativeRules.allowedElements) + ["a-very-long-element-name", "\u{E9}l\u{E9}ment"]
        let set = ASCIINameSet(names)
        let strings = Set(names)
        let probes =
            names + names.map { $0.uppercased() } + [
                "", "x", "divv", "di", "a-very-long-element-nam", "a-very-long-element-name-", "\u{E9}l\u{E9}ment",
                "e\u{301}l\u{E9}ment", "Div", "bLoCkQuOtE", "blockquote", "blockquot",
            ]
        for probe in probes {
            #expect(set.contains(probe) == strings.contains(probe), "\(probe)")
            var bytes = probe
            let lowered = bytes.withUTF8 { set.contains($0, lowercasing: true) }
            if probe.utf8.allSatisfy({ $0 < 0x80 }) {
                #expect(lowered == strings.contains(probe.lowercased()), "\(probe)")
            } else {
                #expect(lowered == nil)
            }
        }
    }

    /// Only element-specific attributes are looked up as URLs (`checkAttributes` relies on it).
    @Test func noURLAttributeIsGlobal() {
        for (_, names) in NarrativeRules.urlAttributes {
            #expect(names.isDisjoint(with: NarrativeRules.globalAttributes))
        }
    }

    @Test func rootNamespaceDeclarationIsFoundInEveryLayout() {
        let cases: [(String, Bool)] = [
            ("<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>", true),
            ("<div class='a=b' xmlns = 'u'>x</div>", true),
            ("<div\n\txmlns\n=\"u\">x</div>", true),
            ("<div class=\"xmlns\">x</div>", false),
            ("<div>x</div>", false),
            ("<h:div xmlns:h=\"u\">x</h:div>", true),
            ("<h:div xmlns=\"u\">x</h:div>", false),
            ("<div title=\"caf\u{E9}\" xmlns=\"u\">x</div>", true),
            ("<div title=\"a\" \r\n xmlns=\"u\">x</div>", true),
            ("<div a=b xmlns=\"u\">x</div>", false),
            ("<!-- c --><?pi?><div xmlns=\"u\"/>", true),
            ("<div data-xmlns=\"u\">x</div>", false),
        ]
        for (text, expected) in cases {
            #expect(NarrativeScanner.rootDeclaresNamespace(text) == expected, "\(text)")
        }
    }
}

import FHIRGateTesting
import FHIRModel
import FHIRPath
import Testing

@testable import FHIRValidation

/// `NarrativeRules.check` decides plain narratives from the markup read with their normal form
/// (`quickContent`); the full scan is the reference. Both must give the same issues, on crafted
/// narratives around every rule and on every narrative of the official examples.
@Suite struct NarrativeQuickRulesTests {
    static let ns = "http://www.w3.org/1999/xhtml"

    static func div(_ inner: String, attributes: String = "") -> String {
        "<div xmlns=\"\(ns)\"\(attributes)>\(inner)</div>"
    }

    /// The issues of `xhtml` with and without the quick path, and whether the quick path
    /// answered.
    static func compare(_ xhtml: String) -> (quick: [FHIRModel.Issue], full: [FHIRModel.Issue], decided: Bool) {
        let node = ElementNode.primitive("div", type: "xhtml", value: xhtml)
        var quick: [FHIRModel.Issue] = []
        var full: [FHIRModel.Issue] = []
        NarrativeRules.check(node, path: "Patient.text.div", into: &quick, quick: true)
        NarrativeRules.check(node, path: "Patient.text.div", into: &full, quick: false)
        let decided = NarrativeNormalization.entry(xhtml).markup.flatMap(NarrativeRules.quickContent) != nil
        return (quick, full, decided)
    }

    static let crafted: [String] = [
        div("<p>plain</p>"),
        div("<p>caf\u{E9}</p>\u{E9}<b>x</b>"),
        div("   "),
        div("&#9;&#10;&#13; "),
        div("<img src=\"a.png\" alt=\"\"/>"),
        div("<p class=\"x\" style=\"color: red\">s</p>"),
        div("<p style=\"background: url(javascript:alert(1))\">s</p>"),
        div("<p style=\"width: exp&#114;ession(1)\">s</p>"),
        div("<p style=\"font-family: &quot;Arial&quot;\">s</p>"),
        div("<a href=\"#x\">l</a><a href=\"http://e.org/?a=1&amp;b=2\">l</a>"),
        div("<a href=\"java\tscript:x()\">l</a>"),
        div("<a href=\"&#106;avascript:x()\">l</a>"),
        div("<a href=\"data:text/html,x\">l</a>"),
        div("<img src=\"data:image/png;base64,AAAA\"/><img src=\"data:text/plain,x\"/>"),
        div("<img src=\"DATA:IMAGE/png;base64,AAAA\"/><img longdesc=\"data:image/png,x\"/>"),
        div("<blockquote cite=\"vbscript:x\">q</blockquote>"),
        div("<p onclick=\"x\">e</p><p ONLOAD=\"x\">e</p><p o=\"1\" n=\"2\">e</p>"),
        div("<p href=\"x\">not here</p><td nowrap=\"nowrap\">c</td>"),
        div("<script>x</script>"),
        div("<P>upper</P>"),
        div("<p xmlns=\"\(ns)\">redeclared</p>"),
        div("<p xmlns=\"http://other\">other</p>"),
        div("<x:p xmlns:x=\"\(ns)\">prefixed</x:p>"),
        div("<p xml:lang=\"en\" lang=\"en\">l</p>"),
        div("<!-- c --><p>t</p>"),
        div("<p>a</p>", attributes: " lang=\"en\""),
        "<div>no namespace</div>",
        "<div xmlns=\"http://other\">other</div>",
        "<p xmlns=\"\(ns)\">not a div</p>",
        "<div xmlns=\"http://www.w3.org/1999/xhtm&#108;\">ref</div>",
        div("<table border=\"1\" cellpadding=\"2\"><tr><td colspan=\"2\">c</td></tr></table>"),
        div("<map name=\"m\"><area shape=\"rect\" href=\"#a\" nohref=\"nohref\"/></map>"),
        div("<p>unterminated"),
    ]

    @Test func quickPathGivesTheFullScansIssuesOnCraftedNarratives() {
        var decided = 0
        for text in Self.crafted {
            let result = Self.compare(text)
            #expect(result.quick.map(\.description) == result.full.map(\.description), "\(text)")
            if result.decided { decided += 1 }
        }
        // Not vacuous: plain ones are decided, and others fall to the full scan.
        #expect(decided >= 8)
        #expect(decided < Self.crafted.count - 10)
    }

    @Test(.enabled(if: NarrativeCorpusTests.examples != nil, "../shared/corpora/examples-r4-json is absent; skipped"))
    func quickPathGivesTheFullScansIssuesOnTheExamples() throws {
        let folder = try #require(NarrativeCorpusTests.examples)
        var narratives = 0
        var decided = 0
        for name in TestSupport.files(in: folder, suffix: ".json") {
            let root = try #require(ResFixture.read(folder + "/" + name), "\(name) is unreadable")
            root.walk { node, _ in
                guard node.typeName == "xhtml", let text = node.value else { return true }
                narratives += 1
                let result = Self.compare(text)
                #expect(result.quick.map(\.description) == result.full.map(\.description), "\(name)")
                if result.decided { decided += 1 }
                return true
            }
        }
        #expect(narratives > 1000)
        #expect(decided > narratives / 2)
    }
}

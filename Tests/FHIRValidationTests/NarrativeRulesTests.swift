import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

@Suite struct NarrativeRulesTests {
    static let ns = "http://www.w3.org/1999/xhtml"

    static func issues(_ xhtml: String) -> [FHIRModel.Issue] {
        var issues: [FHIRModel.Issue] = []
        NarrativeRules.check(
            .primitive("div", type: "xhtml", value: xhtml), path: "Patient.text.div", into: &issues)
        return issues
    }

    static func div(_ inner: String, attributes: String = "") -> String {
        "<div xmlns=\"\(ns)\"\(attributes)>\(inner)</div>"
    }

    @Test func acceptsBasicFormattingLinksImagesAndTables() {
        let xhtml = Self.div(
            """
            <h1 class="title" style="color: red">Summary</h1>
            <p>Some <b>bold</b>, <i>italic</i>, <code>code</code> and <a href="http://example.org/x" name="n">a link</a>.</p>
            <img src="#photo" alt="photo"/><img src="data:image/png;base64,AAAA"/>
            <table border="1"><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td colspan="2" nowrap="nowrap">1</td></tr></tbody></table>
            <ul><li xml:lang="en">one</li></ul><blockquote cite="http://example.org">q</blockquote><!-- a comment -->
            """, attributes: " xml:lang=\"en\" lang=\"en\"")
        #expect(Self.issues(xhtml).isEmpty)
    }

    @Test func rejectsScriptsWithoutQuotingThem() {
        let issues = Self.issues(Self.div("some text <script>stealSecretValue()</script>"))
        #expect(issues.count == 1)
        #expect(issues.first?.code == .narrativeElement)
        #expect(issues.first?.message.contains("'script'") == true)
        #expect(issues.allSatisfy { !$0.message.contains("stealSecretValue") })
    }

    @Test func rejectsElementsOutsideTheBasicSet() {
        let issues = Self.issues(
            Self.div("<p>x</p><form><input name=\"a\"/></form><iframe src=\"x\"></iframe><font>f</font>"))
        #expect(issues.filter { $0.code == .narrativeElement }.count == 4)
        #expect(issues.allSatisfy { $0.severity == .error })
    }

    @Test func rejectsEventAndUnknownAttributes() {
        let issues = Self.issues(
            Self.div("<p onclick=\"run()\">x</p><p data-secret=\"v\">y</p><span ONMOUSEOVER=\"z\">w</span>"))
        let attributes = issues.filter { $0.code == .narrativeAttribute }
        #expect(attributes.count == 3)
        #expect(attributes.contains { $0.message.contains("event attribute 'onclick'") })
        #expect(attributes.contains { $0.message.contains("'data-secret'") && $0.message.contains("'p'") })
        #expect(issues.allSatisfy { !$0.message.contains("run()") })
    }

    @Test func rejectsScriptURLsAndNonImageDataURLs() {
        let bad = [
            "<a href=\"javascript:alert(1)\">x</a>", "<a href=\" JavaScript:alert(1)\">x</a>",
            "<a href=\"java&#9;script:alert(1)\">x</a>", "<img src=\"vbscript:x\"/>",
            "<img src=\"data:text/html;base64,PHNjcmlwdD4=\"/>", "<a href=\"data:text/html,x\">x</a>",
        ]
        for inner in bad {
            let issues = Self.issues(Self.div("text " + inner))
            #expect(issues.map(\.code) == [.narrativeURL], "\(inner): \(issues)")
        }
        #expect(
            Self.issues(Self.div("<a href=\"Patient/example\">p</a><img src=\"http://example.org/i.png\"/>")).isEmpty)
    }

    @Test func rejectsScriptInStyles() {
        let issues = Self.issues(Self.div("<p style=\"background: url(javascript:alert(1))\">x</p>"))
        #expect(issues.map(\.code) == [.narrativeAttribute])
    }

    @Test func requiresAnXHTMLDivRootWithItsNamespaceDeclared() {
        #expect(Self.issues("<div>text</div>").map(\.code) == [.narrativeNamespace])
        #expect(Self.issues("<p xmlns=\"\(Self.ns)\">text</p>").map(\.code) == [.narrativeNamespace])
        #expect(Self.issues("<div xmlns=\"http://hl7.org/fhir\">text</div>").map(\.code) == [.narrativeNamespace])
        #expect(Self.issues("<x:div xmlns:x=\"\(Self.ns)\">text</x:div>").isEmpty)
        let foreign = Self.issues(Self.div("t<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>"))
        #expect(foreign.map(\.code) == [.narrativeNamespace, .narrativeNamespace])
        let xlink = Self.issues(Self.div("<a xmlns:xl=\"http://www.w3.org/1999/xlink\" xl:href=\"x\">t</a>"))
        #expect(xlink.map(\.code) == [.narrativeAttribute])
    }

    @Test func prefixesCannotHideElements() {
        // An XHTML script under another prefix, and one inside a foreign element, are both found.
        let inner = "t<h:script xmlns:h=\"\(Self.ns)\">a()</h:script><x:p xmlns:x=\"urn:x\">t<script>b()</script></x:p>"
        let issues = Self.issues(Self.div(inner))
        #expect(issues.filter { $0.code == .narrativeElement && $0.message.contains("'script'") }.count == 2)
        #expect(issues.filter { $0.code == .narrativeNamespace }.count == 1)
        // A hostile namespace URI is refused by the parser rather than read.
        #expect(Self.issues(Self.div("<x:p xmlns:x='\"&gt;&lt;b&gt;'>t</x:p>")).map(\.code) == [.narrativeSyntax])
    }

    @Test func reportsNarrativesWithoutContent() {
        #expect(Self.issues(Self.div("\n   <p></p>\n  <br/>  &#13;")).map(\.code) == [.narrativeEmpty])
        #expect(Self.issues(Self.div("<p><img src=\"#i\"/></p>")).isEmpty)
        #expect(Self.issues(Self.div("<p>&amp;</p>")).isEmpty)
    }

    @Test func reportsMalformedXHTMLOnce() {
        let issues = Self.issues(Self.div("<p>CPT&reg;</p>"))
        #expect(issues.map(\.code) == [.narrativeSyntax])
        #expect(Self.issues(Self.div("<p>unclosed")).map(\.code) == [.narrativeSyntax])
        #expect(Self.issues("<!DOCTYPE div><div xmlns=\"\(Self.ns)\">x</div>").map(\.code) == [.narrativeSyntax])
    }

    @Test func capsTheIssuesOfOneNarrative() {
        let inner = String(repeating: "<font>x</font>", count: 500)
        #expect(Self.issues(Self.div(inner)).count == NarrativeRules.maxIssues)
    }

    @Test func warnsWhenTheNarrativeLanguageDiffersFromTheResource() {
        func warnings(_ xhtml: String, _ language: String?) -> Int {
            var issues: [FHIRModel.Issue] = []
            NarrativeRules.checkLanguage(
                .primitive("div", type: "xhtml", value: xhtml), resourceLanguage: language, path: "Patient.text.div",
                into: &issues)
            return issues.count
        }
        let sections = Self.div("<div xml:lang=\"pt\">a</div><div lang=\"de\">b</div>")
        #expect(warnings(sections, "en") == 1)
        #expect(warnings(sections, "de-CH") == 0)
        #expect(warnings(sections, nil) == 0)
        #expect(warnings(Self.div("x", attributes: " xml:lang=\"en-US\""), "en") == 0)
        #expect(warnings(Self.div("no language stated"), "en") == 0)
    }
}

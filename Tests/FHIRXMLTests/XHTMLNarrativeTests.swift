import FHIRGate
import Testing

struct XHTMLNarrativeTests {
    @Test func normalizesToTheJSONForm() throws {
        #expect(
            try XHTMLNarrative.normalized("<div xmlns='http://www.w3.org/1999/xhtml'><p a='&quot;'>x &#38; y</p></div>")
                == "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p a=\"&quot;\">x &amp; y</p></div>")
        #expect(try XHTMLNarrative.normalized("<div>t</div>") == "<div xmlns=\"http://www.w3.org/1999/xhtml\">t</div>")
    }

    @Test func comparesAsXML() {
        let a = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"c\" id=\"i\">x</p><br></br></div>"
        let b = "<div xmlns='http://www.w3.org/1999/xhtml'><p id='i' class='c'>&#120;</p><br/></div>"
        let prefixed =
            "<h:div xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:p class=\"c\" id=\"i\">x</h:p><h:br/></h:div>"
        #expect(XHTMLNarrative.equivalent(a, b))
        #expect(XHTMLNarrative.equivalent(a, prefixed))
        #expect(!XHTMLNarrative.equivalent(a, a.replacingOccurrences("x</p>", "y</p>")))
        #expect(!XHTMLNarrative.equivalent(a, a.replacingOccurrences("<br></br>", " <br></br>")))
        #expect(!XHTMLNarrative.equivalent(a, "<div"))
    }

    @Test func looseKeyIgnoresLayoutOnly() throws {
        let a = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a  b</p><!-- c --></div>"
        let b = "<div xmlns=\"http://www.w3.org/1999/xhtml\">\n  <p>a\n b </p>\n  <!--  c --></div>"
        #expect(try XHTMLNarrative.looseComparisonKey(a) == (try XHTMLNarrative.looseComparisonKey(b)))
        #expect(
            try XHTMLNarrative.looseComparisonKey(a)
                != (try XHTMLNarrative.looseComparisonKey(b.replacingOccurrences("a\n", "x\n"))))
    }

    @Test func rejectsDoctypeAndEntities() {
        #expect {
            _ = try XHTMLNarrative.normalized(
                "<!DOCTYPE div [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><div>&e;</div>")
        } throws: { ($0 as? FHIRFormatError)?.issue.code == .xmlDoctype }
        #expect {
            _ = try XHTMLNarrative.normalized("<div>&nbsp;</div>")
        } throws: { ($0 as? FHIRFormatError)?.issue.code == .xmlEntity }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

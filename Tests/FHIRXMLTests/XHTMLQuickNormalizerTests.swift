import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRXML

/// The byte-level normal form of narrative must be exactly what libxml2's parse gives, whenever
/// it answers at all: on every narrative of the official examples, on crafted text, and on
/// thousands of damaged copies of the examples (where it must also never accept what libxml2
/// rejects).
struct XHTMLQuickNormalizerTests {
    /// The quick answer agrees with libxml2; returns whether the quick form answered.
    @discardableResult
    static func expectAgreement(_ text: String, limits: XMLLimits = .default, _ note: String = "") -> Bool {
        guard let quick = XHTMLQuickNormalizer.normalized(text, limits: limits) else { return false }
        let parsed = Result { () throws(FHIRFormatError) in try XHTMLNarrative.parsedNormalized(text, limits: limits) }
        switch parsed {
        case .success(let reference):
            #expect(quick == reference, "\(note) \(Array(text.utf8.prefix(300)))")
        case .failure(let error):
            Issue.record("quick form accepted what libxml2 rejects (\(error.issue.message)) \(note) \(text)")
        }
        return true
    }

    static let xhtml = "<div xmlns=\"http://www.w3.org/1999/xhtml\">"

    /// Text the quick form answers (and must match libxml2 on).
    static let answered: [String] = [
        xhtml + "plain</div>",
        xhtml + "<p>a</p><p></p><br/><br /><hr></hr></div>",
        xhtml + "<p class='c' id = \"i\"\ttitle=\"a&amp;b &lt; &gt; &quot; &apos; ' >\">x</p></div>",
        xhtml + "a &amp; b &lt; c &gt; d &quot; e &apos; f &#60; &#x3E; &#38; &#160; &#x1F600; &#13; &#9; &#10;</div>",
        xhtml + "<p title=\"&#9;&#10;&#13;&#x20;\ttab\nline\">t</p></div>",
        xhtml + "<!-- a comment --><p><!----></p><!--->x--></div>",
        xhtml + "caf\u{E9} \u{65E5}\u{672C} \u{1F600} \u{85}\u{7F}</div>",
        xhtml + "<p>a > b ]> ]]&gt; ] ]></p></div>",
        xhtml + "<table><tr><td></td><td>x</td></tr></table></div >  \n",
        xhtml + "<p\n\tclass=\"c\"\n>x</p ></div>",
        "<div xmlns='http://www.w3.org/1999/xhtml' class=\"x\" lang=\"en\"><p>x</p></div>",
        "<p xmlns=\"http://www.w3.org/1999/xhtml\">root p</p>",
        xhtml + "<script>x</script><P OnClick=\"y\">z</P><x.y-z_w>q</x.y-z_w></div>",
        xhtml + "<a href=\"javascript:alert(1)\" onclick=\"&#106;\">l</a></div>",
        // Line ends: CR LF and lone CRs, in text, attribute values, tags and comments.
        xhtml + "a\r\nb\rc\r\r\nd\n\re&#13;\r&#13;\n</div>",
        xhtml + "<p title=\"a\rb\r\nc\n\rd\" \r\n class=\"x\"\r\n>t\r</p>\r\n</div>",
        xhtml + "<!-- a\r\nb\rc --><p><!--\r--></p></div>\r\n",
    ]

    /// Text the quick form leaves to libxml2.
    static let declined: [String] = [
        "<div>no namespace</div>",
        "<div class=\"c\" xmlns=\"http://www.w3.org/1999/xhtml\">ns second</div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"/>",
        " " + xhtml + "leading space</div>",
        "<?xml version=\"1.0\"?>" + xhtml + "x</div>",
        "<!-- c -->" + xhtml + "x</div>",
        xhtml + "x</div><!-- after -->",
        xhtml + "x</div>trailing",
        xhtml + "<p xmlns=\"http://www.w3.org/1999/xhtml\">x</p></div>",
        xhtml + "<h:p xmlns:h=\"http://www.w3.org/1999/xhtml\">x</h:p></div>",
        xhtml + "<p xml:lang=\"en\">x</p></div>",
        xhtml + "&nbsp;</div>",
        xhtml + "a ]]> b</div>",
        xhtml + "<![CDATA[x]]></div>",
        xhtml + "<?pi x?></div>",
        xhtml + "<p a=\"1\" a=\"2\">dup</p></div>",
        xhtml + "<p>unclosed</div>",
        xhtml + "<p>x</q></div>",
        xhtml + "<p a=\"<\">x</p></div>",
        xhtml + "a\u{1}b</div>",
        xhtml + "a\u{FFFE}b</div>",
        xhtml + "&#0; &#xD800;</div>",
        xhtml + "<!-- a -- b --></div>",
        xhtml + "<!-- a ---></div>",
        xhtml + "<\u{E9}l\u{E9}ment>x</\u{E9}l\u{E9}ment></div>",
        xhtml + "<p>x</p>",
        xhtml + "x",
        "",
        "<",
    ]

    @Test func craftedTextAgrees() {
        for text in Self.answered {
            #expect(Self.expectAgreement(text), "not answered: \(text)")
        }
        for text in Self.declined {
            #expect(XHTMLQuickNormalizer.normalized(text, limits: .default) == nil, "answered: \(text)")
        }
    }

    @Test func unchangedTextIsReturnedAsIs() throws {
        let text = Self.xhtml + "<p class=\"a\">x &amp; y</p><br/></div>"
        #expect(XHTMLQuickNormalizer.normalized(text, limits: .default) == text)
        #expect(try XHTMLNarrative.normalized(text) == text)
        #expect(try XHTMLNarrative.normalized(Self.xhtml + "<p></p></div>") == Self.xhtml + "<p/></div>")
    }

    @Test func depthAndSizeLimitsAreLeftToLibxml2() {
        let deep =
            Self.xhtml + String(repeating: "<b>", count: 5) + "x" + String(repeating: "</b>", count: 5) + "</div>"
        #expect(Self.expectAgreement(deep))
        #expect(XHTMLQuickNormalizer.normalized(deep, limits: XMLLimits(maxDepth: 5)) == nil)
        #expect(Self.expectAgreement(deep, limits: XMLLimits(maxDepth: 6)))
        #expect(XHTMLQuickNormalizer.normalized(deep, limits: XMLLimits(maxBytes: 20)) == nil)
        let deeper =
            Self.xhtml + String(repeating: "<b>", count: 150) + "x" + String(repeating: "</b>", count: 150) + "</div>"
        #expect(XHTMLQuickNormalizer.normalized(deeper, limits: .default) == nil)
    }

    static func exampleNarratives() throws -> [String] {
        guard let folder = TestSupport.sharedPath("corpora/examples-r4-json") else { return [] }
        let reader = FHIRJSONReader(model: try TestSupport.coreModel())
        var narratives: [String] = []
        for file in TestSupport.files(in: folder, suffix: ".json") {
            let root = try reader.read(fileAtPath: folder + "/" + file).root
            root.walk { node, _ in
                if node.typeName == "xhtml", let text = node.value { narratives.append(text) }
                return true
            }
        }
        return narratives
    }

    @Test(.enabled(if: TestSupport.hasCorePackage && TestSupport.sharedPath("corpora/examples-r4-json") != nil))
    func examplesAgree() throws {
        let narratives = try Self.exampleNarratives()
        var answered = 0
        for text in narratives where Self.expectAgreement(text) { answered += 1 }
        #expect(narratives.count > 1000)
        // Nearly all official narratives are plain.
        #expect(answered * 100 >= narratives.count * 95, "\(answered) of \(narratives.count)")
    }

    /// Damaged copies: bytes inserted, removed or replaced at pseudo-random places.
    @Test(.enabled(if: TestSupport.hasCorePackage && TestSupport.sharedPath("corpora/examples-r4-json") != nil))
    func damagedExamplesAgree() throws {
        let narratives = try Self.exampleNarratives().filter { $0.utf8.count < 4000 }
        let pieces: [[UInt8]] = [
            "<", ">", "/", "&", ";", "\"", "'", "=", " ", "\n", "\r", "\t", "-", "--", "]]>", "&amp;", "&#", "&#x41;",
            "</p>", "<p>", "<br/>", "<!--", "-->", "xmlns", ":", "a", "\u{E9}", "\u{1}", "<![CDATA[", "?>",
        ].map { Array($0.utf8) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        var answered = 0
        var tried = 0
        for (index, text) in narratives.enumerated() where index % 2 == 0 {
            var bytes = Array(text.utf8)
            for _ in 0..<8 {
                for _ in 0...next(2) {
                    let at = next(bytes.count + 1)
                    switch next(3) {
                    case 0: bytes.insert(contentsOf: pieces[next(pieces.count)], at: at)
                    case 1: if at < bytes.count { bytes.remove(at: at) }
                    default:
                        if at < bytes.count { bytes[at] = pieces[next(pieces.count)][0] }
                    }
                }
                let damaged = String(decoding: bytes, as: UTF8.self)
                tried += 1
                if Self.expectAgreement(damaged, "damaged example \(index)") { answered += 1 }
            }
        }
        // Both outcomes are exercised.
        #expect(tried > 1000)
        #expect(answered > tried / 20 && answered < tried, "\(answered) of \(tried)")
    }
}

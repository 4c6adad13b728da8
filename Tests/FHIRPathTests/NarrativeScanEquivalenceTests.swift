import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRXML
import Testing

@testable import FHIRPath

/// `htmlChecks()` reads normalised narrative as UTF-8 bytes; the Character scan it replaced is
/// kept as the reference. Both must list the same problems, on every narrative of the official
/// examples and on text built to put combining and prepended marks next to the markup.
struct NarrativeScanEquivalenceTests {
    /// Markup next to non-ASCII text, Characters that merge with `<`, `>`, `/` or a space,
    /// carriage returns and event attributes.
    static let tricky: [String] = [
        "<div>plain</div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>caf\u{E9}</p>\u{E9}<b>x</b></div>",
        "<div><p>a <\u{301}script>b</p></div>",
        "<div><p>a \u{600}<script>b</p></div>",
        "<div><p\u{301} onclick=\"x\">b</p></div>",
        "<div><p onclick\u{301}=\"x\">b</p></div>",
        "<div><p title=\"a>\u{301}b\" onload='y'>b</p></div>",
        "<div><br/\u{301}><script/></div>",
        "<div><a\r\nhref=\"x\">l</a><span\ronmouseover=\"y\">s</span></div>",
        "<div>\u{1F1E6}\u{1F1E8}<i>flag</i>\u{200D}<u>x</u></div>",
        "<div><!-- <object> --><?pi x?><x:script xmlns:x=\"u\"/></div>",
        "<span>no div</span>",
        "<div><p>unterminated",
        "<div><p",
        "<",
        "no markup at all",
        "<\u{E9}l\u{E9}ment>x</\u{E9}l\u{E9}ment>",
        "<div><P OnClick=\"x\" ONLOAD=\"y\">t</P><TABLE><tr><td>c</td></tr></TABLE></div>",
        "<div><a href = 'x\" onclick=\"y' \t onmouseover\u{0B} = \"z\" data\u{0C}on=\"w\" =\"v\">l</a></div>",
        "<div><img src=\"a\" title=\"caf\u{E9} onload=x\" onerror=\"y\"/><b a=\"1\" onx=></b></div>",
        "<div><i one = \"1\"\r\n onblur=\"2\" >x</i><u =\"\" = on=\"3\"></u></div>",
        // Long runs of non-ASCII text around markup (the byte scan hands over to Characters).
        "<div>" + String(repeating: "\u{65E5}", count: 300) + "<\u{301}b>x</b><script>y</script></div>",
        // Prefixed names, with marks around the colon.
        "<x:div xmlns:x=\"u\"><x:b>a</x:b><y:\u{301}i>b</y:\u{301}i><\u{600}:p/><ON:x Onclick=\"1\"/></x:div>",
        "<div>" + String(repeating: "\u{65E5}<", count: 400) + "</div>",
        "<div><p>" + String(repeating: "\u{E9}", count: 100) + "</p><embed/></div>",
    ]

    @Test func byteScanMatchesCharacterScanOnCraftedText() {
        for text in Self.tricky {
            // The tag parser alone, on the text as one tag.
            var copy = text
            let ascii = copy.withUTF8 { NarrativeChecks.asciiAttributeNames(in: $0) }
            if let ascii { #expect(ascii == NarrativeChecks.attributeNames(in: Substring(text)), "\(text)") }
            let events = copy.withUTF8 { NarrativeChecks.asciiAttributeNames(in: $0, onlyEvents: true) }
            #expect(events == ascii?.filter { $0.hasPrefix("on") }, "\(text)")
            let fast = NarrativeChecks.scan(text)
            let reference = NarrativeChecks.scanCharacters(text)
            #expect(fast == reference, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // The comparison is not vacuous: several crafted texts have problems.
        #expect(Self.tricky.filter { !NarrativeChecks.scanCharacters($0).isEmpty }.count >= 8)
    }

    @Test(.enabled(if: TestSupport.hasCorePackage && TestSupport.sharedPath("corpora/examples-r4-json") != nil))
    func byteScanMatchesCharacterScanOnTheExamples() throws {
        let model = try TestSupport.coreModel()
        let reader = FHIRJSONReader(model: model)
        guard let folder = TestSupport.sharedPath("corpora/examples-r4-json") else { return }
        var narratives = 0
        var nonASCII = 0
        var clean = 0
        for file in TestSupport.files(in: folder, suffix: ".json") {
            let root = try reader.read(fileAtPath: folder + "/" + file).root
            root.walk { node, _ in
                guard node.typeName == "xhtml", let text = node.value,
                    let normalized = try? XHTMLNarrative.normalized(text)
                else { return true }
                narratives += 1
                if normalized.utf8.contains(where: { $0 >= 0x80 }) { nonASCII += 1 }
                #expect(NarrativeChecks.scan(normalized) == NarrativeChecks.scanCharacters(normalized), "\(file)")
                if let markup = NarrativeMarkup.read(normalized), NarrativeChecks.isClean(markup) {
                    clean += 1
                    #expect(NarrativeChecks.scanCharacters(normalized).isEmpty, "\(file)")
                }
                return true
            }
        }
        #expect(narratives > 1000)
        #expect(nonASCII > 10)
        // Most narratives are decided from their markup without the scan.
        #expect(clean > narratives / 2)
    }

    /// `htmlChecks()` answers from the markup read with the normal form (``NarrativeMarkup``)
    /// only when the Character scan finds no problem: crafted text, normalised where it is
    /// well-formed, and taken as it is (the markup reader must be safe on any text).
    @Test func markupVerdictNeverHidesAProblem() throws {
        var clean = 0
        let extra = [
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"a\">x</p><br/><img src=\"a\"/></div>",
            "<div><p>\u{600}</p><b>x</b></div>", "<div><p>x</p>\u{301}<b>y</b></div>",
            "<DIV><Table><TR><td>c</td></TR></Table></DIV>", "<div><font>f</font><center>c</center></div>",
            "<div><p title=\"\u{301}on\">x</p></div>", "<div><!-- <script> --></div>",
            "<div><p oNmouse=\"x\">y</p></div>", "<span>x</span>", "<div/>", "<div><div/></div><div/>",
            // Non-ASCII next to markup: joined (combining, prepended, spacing marks, joiners) or not.
            "<div><p>\u{A0}</p>\u{2013}<b>\u{E9}</b>\u{65E5}<i>\u{1F600}</i></div>",
            "<div><p>\u{301}<b>x</b></p>\u{903}<i>y</i>\u{200D}<u>z</u></div>",
            "<div><p>a\u{600}<script>b</script></p>\u{110BD}<b>c</b></div>",
            "<div><p>\u{A0}<script>x</script></p></div>", "<div><p>\u{5FF}<b>x</b>\u{300}</p></div>",
        ]
        for text in Self.tricky + extra {
            var candidates = [text]
            if let normalized = try? XHTMLNarrative.normalized(text) { candidates.append(normalized) }
            for candidate in candidates {
                guard let markup = NarrativeMarkup.read(candidate), NarrativeChecks.isClean(markup) else { continue }
                clean += 1
                #expect(NarrativeChecks.scanCharacters(candidate).isEmpty, "\(candidate)")
            }
        }
        #expect(clean >= 4)
    }
}

import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// Raw HTML in markdown (`ValidationOptions.htmlInMarkdown`): the scanner on its own, the rule
/// on one value, and the walker with the option on and off.
@Suite struct MarkdownHTMLTests {
    static func firstHTML(_ text: String) -> Int? {
        var scanner = MarkdownHTMLScanner(text)
        return scanner.firstRawHTML()
    }

    @Test func findsTagsCommentsAndProcessingInstructions() {
        #expect(Self.firstHTML("<resource type>\\<id>") == 0)
        #expect(Self.firstHTML("see <b>this</b>") == 4)
        #expect(Self.firstHTML("closing only </span> here") == 13)
        #expect(Self.firstHTML("a <br/> b") == 2)
        #expect(Self.firstHTML("a <img src=\"x.png\" alt='y' width=3 hidden> b") == 2)
        #expect(Self.firstHTML("attributes over\nlines <a\n  href=\"x\">") == 22)
        #expect(Self.firstHTML("x <!-- note --> y") == 2)
        #expect(Self.firstHTML("x <!--> y") == 2)
        #expect(Self.firstHTML("x <?php echo 1 ?> y") == 2)
        #expect(Self.firstHTML("x <!DOCTYPE html> y") == 2)
        #expect(Self.firstHTML("x <![CDATA[ y ]]> z") == 2)
    }

    @Test func ignoresTextThatIsNotATag() {
        #expect(Self.firstHTML("no markup at all") == nil)
        #expect(Self.firstHTML("a < b and c > d") == nil)
        #expect(Self.firstHTML("x<5 or y <= 3") == nil)
        #expect(Self.firstHTML("unclosed <tag and more") == nil)
        #expect(Self.firstHTML("bad attribute <a =x>") == nil)
        #expect(Self.firstHTML("attribute without space <a\"b\">") == nil)
        #expect(Self.firstHTML("unclosed comment <!-- forever") == nil)
        #expect(Self.firstHTML("<1abc> starts with a digit") == nil)
    }

    @Test func autolinksAreNotHTML() {
        #expect(Self.firstHTML("see <https://example.org/a?b=c> for more") == nil)
        #expect(Self.firstHTML("mail <someone@example.org>") == nil)
        #expect(Self.firstHTML("urn <urn:oid:1.2.3> ok") == nil)
        #expect(Self.firstHTML("<https://x.org> then <b>") == 21)
    }

    @Test func escapesAndCodeAreNotHTML() {
        #expect(Self.firstHTML("escaped \\<b> tag") == nil)
        #expect(Self.firstHTML("in a code span `<b>` here") == nil)
        #expect(Self.firstHTML("double ``a ` <b> `` span") == nil)
        #expect(Self.firstHTML("unclosed ` then <b>") == 16)
        #expect(Self.firstHTML("text\n\n```xml\n<b>bold</b>\n```\nafter") == nil)
        #expect(Self.firstHTML("text\n\n~~~\n<b>\n~~~\n<i>") == 18)
        #expect(Self.firstHTML("unclosed fence\n```\n<b>") == nil)
        #expect(Self.firstHTML("para\n\n    <b>indented code</b>\n\nnext") == nil)
        #expect(Self.firstHTML("para\n    <b>continues the paragraph</b>") == 9)
        #expect(Self.firstHTML("para\n\n    code\nback <b>") == 20)
    }

    @Test func manyUnclosedConstructsStayFast() {
        // Each construct is left open to the end of the text: a scanner that searched again
        // for every one would take quadratic time (about 10^10 steps here).
        let text = String(repeating: "<!-- <? <!x <a b= <a c='v ", count: 8_000)
        let clock = ContinuousClock()
        var found: Int? = 0
        let elapsed = clock.measure { found = Self.firstHTML(text) }
        #expect(found == nil)
        #expect(elapsed < .seconds(5))
    }

    @Test func ruleReportsOncePerValueWithAPositionAndNoText() {
        let node = ElementNode.primitive("text", type: "markdown", value: "line one\nsecret <b>Value</b> <i>x</i>")
        var issues: [FHIRModel.Issue] = []
        MarkdownRules.check(node, policy: .error, path: "Communication.note[0].text", into: &issues)
        #expect(issues.count == 1)
        #expect(issues.first?.severity == .error)
        #expect(issues.first?.code == .markdownHTML)
        #expect(issues.first?.message.contains("line 2, column 8") == true)
        #expect(issues.allSatisfy { !$0.message.contains("secret") && !$0.message.contains("Value") })
        var warnings: [FHIRModel.Issue] = []
        MarkdownRules.check(node, policy: .warning, path: "x", into: &warnings)
        #expect(warnings.map(\.severity) == [.warning])
        var none: [FHIRModel.Issue] = []
        MarkdownRules.check(node, policy: .ignore, path: "x", into: &none)
        #expect(none.isEmpty)
    }
}

/// The option through the validator: off by default, on for every markdown value.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct MarkdownHTMLValidatorTests {
    static let context: ValidationContext? = {
        guard let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: TestSupport.coreStore)
    }()

    func issues(_ json: String, policy: MarkdownHTMLPolicy?) throws -> [FHIRModel.Issue] {
        let context = try #require(Self.context)
        let parsed = try FHIRJSONReader(model: context.model).read(json)
        var options = ValidationOptions()
        if let policy { options.htmlInMarkdown = policy }
        return Validator(context: context, options: options).validate(parsed.root).filter { $0.code == .markdownHTML }
    }

    static let communication = #"""
        {"resourceType":"Communication","status":"completed",
         "note":[{"text":"<resource type>\\<id>"},{"text":"plain"},{"text":"`<code>` only"}],
         "extension":[{"url":"http://example.org/ext","valueMarkdown":"an <em>extension</em>"}]}
        """#

    @Test func offByDefault() throws {
        #expect(try issues(Self.communication, policy: nil).isEmpty)
    }

    @Test func everyMarkdownValueOnceAtTheAskedSeverity() throws {
        let found = try issues(Self.communication, policy: .error)
        #expect(found.count == 2, "\(found)")
        #expect(found.allSatisfy { $0.severity == .error })
        #expect(found.contains { $0.path == "Communication.note[0].text" })
        #expect(found.contains { $0.path?.hasPrefix("Communication.extension[0].value") == true })
        let warnings = try issues(Self.communication, policy: .warning)
        #expect(warnings.count == 2 && warnings.allSatisfy { $0.severity == .warning })
    }

    @Test func checkedOnceWhenAProfileIsAlsoApplied() throws {
        let found = try issues(
            #"{"resourceType":"Patient","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/Patient"]},"#
                + #""contact":[{"name":{"text":"x"}}],"text":{"status":"generated","#
                + #""div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"},"#
                + #""photo":[{"title":"t"}],"communication":[{"language":{"text":"<b>x</b>"}}]}"#, policy: .error)
        // CodeableConcept.text is a string, not markdown: nothing to report.
        #expect(found.isEmpty, "\(found)")
        let withMarkdown = try issues(
            #"{"resourceType":"Observation","status":"final","code":{"text":"c"},"#
                + #""meta":{"profile":["http://hl7.org/fhir/StructureDefinition/Observation"]},"#
                + #""note":[{"text":"<b>x</b>"}]}"#, policy: .error)
        #expect(withMarkdown.count == 1, "\(withMarkdown)")
    }
}

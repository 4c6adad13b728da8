import FHIRGate
import FHIRGateTesting
import Testing

/// Hostile and malformed input: every file must be rejected (or reported) with a clear error that
/// names the problem and its position, and never crash or reach the network or the file system.
@Suite(.enabled(if: XMLTest.hasModel, "needs the R4 core package"))
struct XMLSecurityTests {
    /// Attack fixture -> expected error code.
    static let attacks: [String: IssueCode] = [
        "xxe-file.xml": .xmlDoctype,
        "xxe-http.xml": .xmlDoctype,
        "xxe-parameter-entity.xml": .xmlDoctype,
        "external-dtd.xml": .xmlDoctype,
        "billion-laughs.xml": .xmlDoctype,
        "quadratic-blowup.xml": .xmlDoctype,
        "doctype-only.xml": .xmlDoctype,
        "entity-reference-no-doctype.xml": .xmlEntity,
    ]

    /// Malformed fixture -> expected error code (thrown).
    static let malformed: [String: IssueCode] = [
        "unclosed-tag.xml": .xmlSyntax,
        "mismatched-tags.xml": .xmlSyntax,
        "text-at-top-level.xml": .xmlSyntax,
        "text-before-root.xml": .xmlSyntax,
        "truncated.xml": .xmlSyntax,
        "unquoted-attribute.xml": .xmlSyntax,
        "duplicate-attribute.xml": .xmlSyntax,
        "undeclared-prefix.xml": .xmlSyntax,
        "unknown-encoding.xml": .xmlSyntax,
        "two-roots.xml": .xmlSyntax,
        "empty.xml": .xmlSyntax,
        "declaration-only.xml": .xmlSyntax,
        "lt-in-attribute.xml": .xmlSyntax,
        "nul-character-reference.xml": .xmlSyntax,
        "bad-utf8.xml": .xmlSyntax,
    ]

    /// Well-formed but not valid FHIR XML -> expected issue code (reported, not thrown).
    static let reported: [String: IssueCode] = [
        "wrong-namespace.xml": .xmlNamespace,
        "no-namespace.xml": .xmlNamespace,
        "unknown-resource-type.xml": .unknownResourceType,
        "xinclude.xml": .xmlNamespace,
    ]

    @Test func everyFixtureHasAnExpectation() {
        #expect(Set(XMLTest.fixtureNames("attacks")) == Set(Self.attacks.keys))
        #expect(Set(XMLTest.fixtureNames("malformed")) == Set(Self.malformed.keys).union(Self.reported.keys))
    }

    @Test(arguments: attacks.keys.sorted())
    func attackIsRejected(_ name: String) throws {
        let bytes = try XMLTest.fixture("attacks/" + name)
        let error = try #require(throws: FHIRFormatError.self) { try XMLTest.reader().read(bytes) }
        #expect(error.issue.code == Self.attacks[name])
        #expect(error.issue.severity == .fatal)
        #expect(error.issue.code.issueType == "security")
        let position = try #require(error.issue.position)
        #expect(position.isKnown)
        let message = error.issue.message
        #expect(message.contains("DOCTYPE") || message.contains("entit"))
        #expect(!message.contains("passwd") && !message.contains("127.0.0.1"))
    }

    @Test func doctypeIsReportedWhereItIs() throws {
        let error = try #require(throws: FHIRFormatError.self) {
            try XMLTest.reader().read(try XMLTest.fixture("attacks/xxe-file.xml"))
        }
        #expect(error.issue.position?.line == 2)
        let entity = try #require(throws: FHIRFormatError.self) {
            try XMLTest.reader().read(try XMLTest.fixture("attacks/entity-reference-no-doctype.xml"))
        }
        #expect(entity.issue.position?.line == 3)
    }

    @Test(arguments: malformed.keys.sorted())
    func malformedInputIsRejected(_ name: String) throws {
        let bytes = try XMLTest.fixture("malformed/" + name)
        let error = try #require(throws: FHIRFormatError.self) { try XMLTest.reader().read(bytes) }
        #expect(error.issue.code == Self.malformed[name])
        #expect(error.issue.position?.isKnown == true, "\(name): \(error)")
        #expect(error.issue.message.hasPrefix("XML is not well-formed"))
    }

    @Test func syntaxErrorsNameThePlace() throws {
        let mismatched = try #require(throws: FHIRFormatError.self) {
            try XMLTest.reader().read(try XMLTest.fixture("malformed/mismatched-tags.xml"))
        }
        #expect(mismatched.issue.position?.line == 5)
        #expect(mismatched.issue.message.contains("closing tag"))
        let badUTF8 = try #require(throws: FHIRFormatError.self) {
            try XMLTest.reader().read(try XMLTest.fixture("malformed/bad-utf8.xml"))
        }
        #expect(badUTF8.issue.position?.line == 4)
        #expect(!badUTF8.issue.message.contains("Ch"))
    }

    @Test(arguments: reported.keys.sorted())
    func invalidFHIRIsReported(_ name: String) throws {
        let parsed = try XMLTest.reader().read(try XMLTest.fixture("malformed/" + name))
        let issue = try #require(parsed.issues.first { $0.code == Self.reported[name] })
        #expect(issue.severity == .error)
        #expect(issue.position?.isKnown == true)
        #expect(issue.path != nil)
    }

    @Test func xincludeIsNotProcessed() throws {
        let parsed = try XMLTest.reader().read(try XMLTest.fixture("malformed/xinclude.xml"))
        let kept = try #require(parsed.root.child(named: "include"))
        #expect(kept.isUnknown && kept.children.allSatisfy { $0.value?.contains("root:") != true })
    }

    /// Truncating a valid document at every byte must give an error or a tree, never a crash.
    @Test func everyTruncationIsHandled() throws {
        let xml = Array(
            XMLTest.resource(
                "Patient",
                "<id value=\"p\"/><text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a &amp; b</p></div></text><name><given value=\"A\"/></name>"
            ).utf8)
        let reader = try XMLTest.reader()
        var errors = 0
        for n in 0..<xml.count {
            do {
                _ = try reader.read(Array(xml[0..<n]))
            } catch {
                errors += 1
                #expect(error.issue.position != nil)
            }
        }
        #expect(errors == xml.count)
        #expect(try reader.read(xml).issues.isEmpty)
    }
}

import FHIRGate
import FHIRGateTesting
import Testing

/// `fhirgate validate --no-html-in-markdown`: raw HTML in markdown values becomes an error.
@Suite("fhirgate validate --no-html-in-markdown (runs the built binary)", .enabled(if: TestSupport.hasCorePackage))
struct ValidateMarkdownOptionTests {
    /// A note whose markdown holds a raw tag, and one that escapes it.
    static let communication = #"""
        {"resourceType":"Communication","id":"c1","status":"completed",
         "note":[{"text":"Secretword <resource type>"},{"text":"escaped \\<id> and `<code>`"}]}
        """#

    @Test("off by default; with the flag one error per markdown value, with its location and no text")
    func flagTurnsTheCheckOn() throws {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-markdown")
        defer { TestSupport.removeTree(dir) }
        let path = dir + "/communication.json"
        try FileBytes.writeAtomically(Array(Self.communication.utf8), to: path)

        let plain = try BinaryRunner.run(["validate", path])
        #expect(plain.status == 0, "stdout: \(plain.stdoutText) stderr: \(plain.stderr)")
        #expect(!plain.stdoutText.contains("VAL-MARKDOWN-HTML"))

        let strict = try BinaryRunner.run(["validate", "--no-html-in-markdown", path])
        #expect(strict.status == 1, "stdout: \(strict.stdoutText) stderr: \(strict.stderr)")
        let lines = strict.stdoutText.split(separator: "\n").filter { $0.contains("[VAL-MARKDOWN-HTML]") }
        #expect(lines.count == 1, "\(strict.stdoutText)")
        #expect(lines.first?.contains("error") == true)
        #expect(lines.first?.contains("Communication.note[0].text") == true)
        #expect(!strict.stdoutText.contains("Secretword") && !strict.stdoutText.contains("resource type"))
    }

    @Test("the flag is described in the help")
    func help() throws {
        let out = try BinaryRunner.run(["validate", "--help"])
        #expect(out.status == 0)
        #expect(out.stdoutText.contains("--no-html-in-markdown"))
    }
}

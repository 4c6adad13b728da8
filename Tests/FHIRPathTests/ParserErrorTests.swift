import FHIRPath
import Testing

private func parseError(_ text: String, parser: FHIRPathParser = FHIRPathParser()) -> FHIRPathError? {
    do {
        _ = try parser.parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct ParserErrorTests {
    @Test(arguments: [
        ("Patient.name.", 1, 14),
        ("1 +", 1, 4),
        ("(1", 1, 3),
        ("'abc", 1, 1),
        ("1 ** 2", 1, 4),
        ("a and\n  or b", 2, 3),
        ("f(1,)", 1, 5),
        ("f(1 2)", 1, 5),
        ("a[1", 1, 4),
        ("{1}", 1, 2),
        ("x is", 1, 5),
        ("x is 1", 1, 6),
        ("1 2", 1, 3),
        ("a.div(", 1, 7),
        ("", 1, 1),
        ("// only a comment", 1, 18),
        ("2 + 2 /", 1, 8),
        ("x.true", 1, 3),
        ("div", 1, 1),
    ])
    func errorPositions(_ text: String, _ line: Int, _ column: Int) {
        let error = parseError(text)
        #expect(error?.kind == .syntax)
        #expect(error?.location.line == line)
        #expect(error?.location.column == column)
    }

    @Test func messagesNameTokenKindsNotValues() {
        let error = parseError("name = 'secret' 'other'")
        #expect(error?.message == "unexpected string after the end of the expression")
        #expect(parseError("Patient.name.")?.message.contains("end of input") == true)
        #expect(parseError("(1")?.message == "expected ')' to close '(' but found end of input")
    }

    @Test func lexerErrorsIncludeOffsets() {
        #expect(parseError("a +\n 'x")?.location == FHIRPathLocation(line: 2, column: 2, offset: 5))
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let parens = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(parseError(parens)?.message.contains("nests deeper") == true)
        let minus = String(repeating: "-", count: 5000) + "1"
        #expect(parseError(minus)?.kind == .syntax)
        let calls = String(repeating: "f(", count: 3000) + String(repeating: ")", count: 3000)
        #expect(parseError(calls)?.kind == .syntax)
        let indexers = String(repeating: "a[", count: 3000) + "0" + String(repeating: "]", count: 3000)
        #expect(parseError(indexers)?.kind == .syntax)
        // Within the limit it parses.
        let fine = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
        #expect(parseError(fine) == nil)
    }

    @Test func longChainsAreBoundedByHeight() {
        let chain = Array(repeating: "a", count: 20_000).joined(separator: " | ")
        #expect(parseError(chain)?.message.contains("taller") == true)
        let members = Array(repeating: "a", count: 20_000).joined(separator: ".")
        #expect(parseError(members)?.kind == .syntax)
        let allowed = Array(repeating: "a", count: 500).joined(separator: " | ")
        #expect(parseError(allowed) == nil)
    }

    @Test func limitsAreConfigurable() {
        let small = FHIRPathParser(maximumDepth: 3, maximumHeight: 1000, maximumLength: 20)
        #expect(parseError("((1))", parser: small) == nil)
        #expect(parseError("((((1))))", parser: small)?.kind == .syntax)
        let long = parseError(String(repeating: "a", count: 21), parser: small)
        #expect(long?.location == .start)
        #expect(long?.message.contains("longer") == true)
    }
}

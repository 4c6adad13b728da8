import FHIRPath
import Testing

private func kinds(_ text: String) throws -> [FHIRPathTokenKind] {
    try FHIRPathLexer.tokenize(text).map(\.kind).dropLast()
}

private func lexError(_ text: String) -> FHIRPathError? {
    do {
        _ = try FHIRPathLexer.tokenize(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct LexerTests {
    @Test func identifiersKeywordsAndBooleans() throws {
        #expect(
            try kinds("name _x1 `div` true false and or xor implies div mod in contains is as")
                == [
                    .identifier("name"), .identifier("_x1"), .delimitedIdentifier("div"), .boolean(true),
                    .boolean(false), .keyword(.and), .keyword(.or), .keyword(.xor), .keyword(.implies),
                    .keyword(.div), .keyword(.mod), .keyword(.in), .keyword(.contains), .keyword(.is),
                    .keyword(.as),
                ])
    }

    @Test func numbersKeepTheirLexeme() throws {
        #expect(
            try kinds("0042 1.50 10L 3.") == [
                .integer("0042"), .decimal("1.50"), .long("10"), .integer("3"), .symbol(.dot),
            ])
        #expect(
            try kinds("1.abs()") == [
                .integer("1"), .symbol(.dot), .identifier("abs"), .symbol(.leftParen), .symbol(.rightParen),
            ])
    }

    @Test func stringEscapes() throws {
        #expect(try kinds(#"'a\'b\"c\`d\\e\/f'"#) == [.string("a'b\"c`d\\e/f")])
        #expect(try kinds(#"'\f\n\r\t'"#) == [.string("\u{0C}\n\r\t")])
        #expect(try kinds(#"'\u00e9\u0041'"#) == [.string("\u{E9}A")])
        #expect(try kinds(#"'\uD83D\uDE00'"#) == [.string("\u{1F600}")])
        #expect(try kinds(#"`a\`b`"#) == [.delimitedIdentifier("a`b")])
    }

    @Test func badEscapes() {
        #expect(lexError(#"'\q'"#)?.location.column == 2)
        #expect(lexError(#"x + '\u12'"#)?.location.column == 6)
        #expect(lexError(#"'\uD800'"#)?.message.contains("surrogate") == true)
    }

    @Test func temporalLiterals() throws {
        #expect(
            try kinds("@2015 @2015-02 @2015-02-04 @2015T @2015-02T @2015-02-04T14:34:28.123+09:00")
                == [
                    .date("2015"), .date("2015-02"), .date("2015-02-04"), .dateTime("2015T"), .dateTime("2015-02T"),
                    .dateTime("2015-02-04T14:34:28.123+09:00"),
                ])
        #expect(
            try kinds("@T14:34 @T14 @2015-02-04T14Z") == [.time("14:34"), .time("14"), .dateTime("2015-02-04T14Z")])
        // Shapes only: values are checked later.
        #expect(try kinds("@2015-13") == [.date("2015-13")])
        #expect(try kinds("@2015-02-04.x") == [.date("2015-02-04"), .symbol(.dot), .identifier("x")])
        #expect(lexError("@20")?.location.column == 1)
    }

    @Test func variablesAndExternalConstants() throws {
        #expect(try kinds("$this $index $total") == [.variable("this"), .variable("index"), .variable("total")])
        #expect(
            try kinds("%env %`resource` %'vs-x'")
                == [.externalConstant("env"), .externalConstant("resource"), .externalConstant("vs-x")])
        #expect(lexError("$foo")?.location.column == 1)
        #expect(lexError("1 + % ")?.location.column == 5)
    }

    @Test func operators() throws {
        let expected: [FHIRPathSymbol] = [
            .dot, .leftBracket, .rightBracket, .leftParen, .rightParen, .leftBrace, .rightBrace, .plus, .minus, .star,
            .slash, .pipe, .ampersand, .equal, .tilde, .notEqual, .notEquivalent, .less, .greater, .lessOrEqual,
            .greaterOrEqual, .comma,
        ]
        #expect(try kinds(". [ ] ( ) { } + - * / | & = ~ != !~ < > <= >= ,") == expected.map { .symbol($0) })
        #expect(try kinds("a<=b") == [.identifier("a"), .symbol(.lessOrEqual), .identifier("b")])
        #expect(lexError("a ! b")?.location.column == 3)
        #expect(lexError("a ^ b")?.message == "unexpected character")
    }

    @Test func commentsAreSkipped() throws {
        #expect(try kinds("1 // one\n+ /* two\n lines */ 2") == [.integer("1"), .symbol(.plus), .integer("2")])
        #expect(try kinds("2 /3") == [.integer("2"), .symbol(.slash), .integer("3")])
        let error = lexError("2 + 2 /* not finished")
        #expect(error?.kind == .syntax)
        #expect(error?.location.column == 7)
    }

    @Test func positions() throws {
        let tokens = try FHIRPathLexer.tokenize("Patient.name\n  .given /* c */ 'x'")
        let starts = tokens.map { [$0.range.start.line, $0.range.start.column, $0.range.start.offset] }
        #expect(starts == [[1, 1, 0], [1, 8, 7], [1, 9, 8], [2, 3, 15], [2, 4, 16], [2, 18, 30], [2, 21, 33]])
        #expect(tokens[2].range.end == FHIRPathLocation(line: 1, column: 13, offset: 12))
        #expect(tokens.last?.kind == .endOfInput)
        // Columns count UTF-8 bytes.
        let unicode = try FHIRPathLexer.tokenize("'é' = x")
        #expect(unicode[1].range.start.column == 6)
    }

    @Test func unterminatedStringReportsItsStart() {
        let error = lexError("name = 'abc")
        #expect(error?.kind == .syntax)
        #expect(error?.location == FHIRPathLocation(line: 1, column: 8, offset: 7))
        #expect(error?.message.contains("abc") == false)
        #expect(lexError("x\n  `abc")?.location.line == 2)
    }
}

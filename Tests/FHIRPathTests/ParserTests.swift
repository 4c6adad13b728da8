import FHIRPath
import Testing

private func printed(_ text: String) throws -> String {
    FHIRPathPrinter.print(try FHIRPathParser.parse(text))
}

@Suite struct ParserTests {
    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("8 / 4 / 2", "((8 / 4) / 2)"),
        ("7 div 2 mod 3", "((7 div 2) mod 3)"),
        ("'a' & 'b' + 'c'", "(('a' & 'b') + 'c')"),
        ("a | b | c", "((a | b) | c)"),
        ("a = b and c != d or e", "(((a = b) and (c != d)) or e)"),
        ("a < b = c > d", "((a < b) = (c > d))"),
        ("a ~ b !~ c", "((a ~ b) !~ c)"),
        ("a in b and c contains d", "((a in b) and (c contains d))"),
        ("a or b xor c", "((a or b) xor c)"),
        ("a and b implies c or d", "((a and b) implies (c or d))"),
        ("a implies b implies c", "((a implies b) implies c)"),
        ("a | b = c", "((a | b) = c)"),
        ("a <= b | c", "(a <= (b | c))"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
    ])
    func precedenceAndAssociativity(_ text: String, _ expected: String) throws {
        #expect(try printed(text) == expected)
    }

    @Test(arguments: [
        ("x is FHIR.Patient", "(x is FHIR.Patient)"),
        ("x as System.Integer + 1", "((x as System.Integer) + 1)"),
        ("1 + x is Integer", "((1 + x) is Integer)"),
        ("x is Quantity | y", "((x is Quantity) | y)"),
        ("x is Integer = true", "((x is Integer) = true)"),
        ("value.as(Quantity).unit", "value.as(Quantity).unit"),
        ("Observation.value.is(FHIR.Quantity)", "Observation.value.is(FHIR.Quantity)"),
    ])
    func typeOperators(_ text: String, _ expected: String) throws {
        #expect(try printed(text) == expected)
    }

    @Test func qualifiedTypeSpecifier() throws {
        let tree = try FHIRPathParser.parse("x is FHIR.`Patient`")
        guard case .type(.is, let operand, let type) = tree.kind else {
            Issue.record("expected a type expression, got \(tree)")
            return
        }
        #expect(operand.kind == .identifier("x"))
        #expect(type.namespace == "FHIR")
        #expect(type.name == "Patient")
        #expect(type.range.start.column == 6)
        #expect(type.range.end.column == 20)
    }

    @Test(arguments: [
        ("-Patient.name.count()", "(-Patient.name.count())"),
        ("-1 + 2", "((-1) + 2)"),
        ("- -1", "(-(-1))"),
        ("-a * b", "((-a) * b)"),
        ("+a[0]", "(+a[0])"),
        ("(-1).abs()", "(-1).abs()"),
    ])
    func unaryOperators(_ text: String, _ expected: String) throws {
        #expect(try printed(text) == expected)
    }

    @Test(arguments: [
        ("name[0].given", "name[0].given"),
        ("name.given[1 + 1]", "name.given[(1 + 1)]"),
        ("a[b[0]]", "a[b[0]]"),
        ("name.where($this.given = 'x').select($index)", "name.where(($this.given = 'x')).select($index)"),
        ("aggregate($total + $this, 0)", "aggregate(($total + $this), 0)"),
        ("%`resource`.id & %'vs-x' & %env", "((%resource.id & %`vs-x`) & %env)"),
        ("text.`div`.exists() and text.div.exists()", "(text.`div`.exists() and text.`div`.exists())"),
        ("contains('a') and x.contains('b')", "(contains('a') and x.contains('b'))"),
        ("{}.empty()", "{}.empty()"),
        ("x.$this", "x.$this"),
        ("`true`.a", "`true`.a"),
    ])
    func invocationsAndIndexers(_ text: String, _ expected: String) throws {
        #expect(try printed(text) == expected)
    }

    @Test func literals() throws {
        #expect(try FHIRPathParser.parse("{}").kind == .empty)
        #expect(try FHIRPathParser.parse("true").kind == .boolean(true))
        #expect(try FHIRPathParser.parse("'a\\nb'").kind == .string("a\nb"))
        #expect(try FHIRPathParser.parse("007").kind == .integer("007"))
        #expect(try FHIRPathParser.parse("10L").kind == .long("10"))
        #expect(try FHIRPathParser.parse("1.50").kind == .decimal("1.50"))
        #expect(try FHIRPathParser.parse("@2015-02").kind == .date("2015-02"))
        #expect(try FHIRPathParser.parse("@2015-02-04T14:00").kind == .dateTime("2015-02-04T14:00"))
        #expect(try FHIRPathParser.parse("@T14:34").kind == .time("14:34"))
        #expect(try FHIRPathParser.parse("4 'mg'").kind == .quantity(value: "4", unit: .ucum("mg")))
        #expect(try FHIRPathParser.parse("1.5 days").kind == .quantity(value: "1.5", unit: .calendar("days")))
        #expect(try FHIRPathParser.parse("$total").kind == .variable(.total))
        #expect(try FHIRPathParser.parse("%ucum").kind == .externalConstant("ucum"))
        #expect(try printed("@2015 + 1 year - 4 'wk'") == "((@2015 + 1 year) - 4 'wk')")
    }

    @Test func stringsPrintEscaped() throws {
        #expect(try printed("'a\\'b\\\\c\\u0001\\t'") == "'a\\'b\\\\c\\u0001\\t'")
        #expect(try printed("`a b`") == "`a b`")
    }

    @Test func sourceRanges() throws {
        let tree = try FHIRPathParser.parse("  Patient.name.given.first() + (1)")
        #expect(tree.range.start.column == 3)
        #expect(tree.range.end.column == 35)
        guard case .binary(.add, let left, let right) = tree.kind else {
            Issue.record("expected an addition, got \(tree)")
            return
        }
        #expect(left.range.end.column == 29)
        #expect(right.range.start.column == 32)
        #expect(right.kind == .integer("1"))
        #expect(tree.height == 5)
        let multiline = try FHIRPathParser.parse("a\n  .b")
        #expect(multiline.range.end == FHIRPathLocation(line: 2, column: 5, offset: 6))
    }

    @Test func functionArguments() throws {
        let tree = try FHIRPathParser.parse("iif(a, b, c).substring(1)")
        guard case .function(let target?, "substring", let arguments) = tree.kind,
            case .function(nil, "iif", let inner) = target.kind
        else {
            Issue.record("unexpected shape \(tree)")
            return
        }
        #expect(arguments.map(\.kind) == [.integer("1")])
        #expect(inner.count == 3)
    }
}

import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

/// Evaluates expressions without a model or input and renders results as `type:text`, for the
/// string, math and conversion function tests.
enum FunctionProbe {
    static func evaluate(_ text: String) throws(FHIRPathError) -> [FHIRPathValue] {
        try FHIRPathEngine(model: nil).compile(text).evaluate(input: [])
    }

    /// `["string:abc", "integer:3"]`; a thrown error renders as `error:<kind>`.
    static func render(_ text: String) -> [String] {
        do {
            return try evaluate(text).map(render)
        } catch {
            return ["error:\(error.kind.rawValue)"]
        }
    }

    static func render(_ value: FHIRPathValue) -> String {
        switch value.systemValue {
        case .boolean(let b)?: return "boolean:\(b)"
        case .string(let s)?: return "string:\(s)"
        case .integer(let n)?: return "integer:\(n)"
        case .long(let n)?: return "long:\(n)"
        case .decimal(let d)?: return "decimal:\(d.plainString)"
        case .date(let d)?: return "date:\(d.lexeme)"
        case .dateTime(let d)?: return "dateTime:\(d.lexeme)"
        case .time(let t)?: return "time:\(t.lexeme)"
        case .quantity(let q)?:
            return "quantity:\(q.value.plainString) \(q.isCalendarDuration ? q.unit : "'\(q.unit)'")"
        case .node?, nil: return "node"
        }
    }

    /// The kind of error the expression raises, `nil` when it evaluates.
    static func errorKind(_ text: String) -> FHIRPathError.Kind? {
        do {
            _ = try evaluate(text)
            return nil
        } catch {
            return error.kind
        }
    }
}

@Suite struct StringFunctionTests {
    func r(_ text: String) -> [String] { FunctionProbe.render(text) }

    @Test func searchFunctionsCountCharacters() {
        #expect(r("'LogicalModel-Person'.indexOf('-')") == ["integer:12"])
        #expect(r("'abc'.indexOf('z')") == ["integer:-1"])
        #expect(r("'abc'.indexOf('')") == ["integer:0"])
        #expect(r("'aaa'.lastIndexOf('aa')") == ["integer:1"])
        #expect(r("'abcabc'.lastIndexOf('c')") == ["integer:5"])
        #expect(r("'abc'.lastIndexOf('')") == ["integer:3"])
        #expect(r("'abc'.lastIndexOf('x')") == ["integer:-1"])
        // An accented letter written as e + combining accent is one character.
        #expect(r("'e\\u0301x'.indexOf('x')") == ["integer:1"])
        #expect(r("'e\\u0301x'.length()") == ["integer:2"])
        #expect(r("'12345'.contains('34')") == ["boolean:true"])
        #expect(r("'12345'.contains('35')") == ["boolean:false"])
        #expect(r("'12345'.startsWith('12')") == ["boolean:true"])
        #expect(r("'12345'.startsWith('123456')") == ["boolean:false"])
        #expect(r("'12345'.endsWith('45')") == ["boolean:true"])
        #expect(r("'12345'.endsWith('35')") == ["boolean:false"])
    }

    @Test func substringBounds() {
        #expect(r("'12345'.substring(2)") == ["string:345"])
        #expect(r("'12345'.substring(2, 1)") == ["string:3"])
        #expect(r("'12345'.substring(2, 50)") == ["string:345"])
        #expect(r("'12345'.substring(1, 0)") == ["string:"])
        #expect(r("'12345'.substring(5)") == [])
        #expect(r("'12345'.substring(-1)") == [])
        #expect(r("'12345'.substring({})") == [])
        #expect(r("'12345'.substring(1, {})") == [])
        #expect(FunctionProbe.errorKind("'12345'.substring('a')") == .execution)
    }

    @Test func emptyInputsAndArgumentsGiveEmpty() {
        for expression in [
            "{}.indexOf('a')", "'a'.indexOf({})", "{}.upper()", "{}.length()", "'a'.startsWith({})",
            "{}.replace('a', 'b')", "'a'.replace({}, 'b')", "'a'.replace('a', {})", "{}.split(',')", "{}.join(',')",
            "{}.toChars()", "{}.trim()", "'a'.matches({})", "{}.matches('a')",
        ] {
            #expect(r(expression) == [], "\(expression)")
        }
    }

    @Test func nonStringInputIsAnExecutionError() {
        #expect(FunctionProbe.errorKind("1.length()") == .execution)
        #expect(FunctionProbe.errorKind("true.upper()") == .execution)
        #expect(FunctionProbe.errorKind("('a' | 'b').length()") == .execution)
        #expect(FunctionProbe.errorKind("'a'.startsWith(1)") == .execution)
        #expect(FunctionProbe.errorKind("(1 | 2).join(',')") == .execution)
    }

    @Test func shapeFunctions() {
        #expect(r("'aBc'.upper()") == ["string:ABC"])
        #expect(r("'aBc'.lower()") == ["string:abc"])
        #expect(r("'  a b \\t'.trim()") == ["string:a b"])
        #expect(r("'   '.trim()") == ["string:"])
        #expect(r("'t2'.toChars()") == ["string:t", "string:2"])
        #expect(r("'123456'.replace('234', 'X')") == ["string:1X56"])
        #expect(r("'abc'.replace('', 'x')") == ["string:xaxbxcx"])
        #expect(r("'aaaa'.replace('aa', 'b')") == ["string:bb"])
        #expect(r("'A,,C'.split(',')") == ["string:A", "string:", "string:C"])
        #expect(r("'a[x]b[x]'.split('[x]')") == ["string:a", "string:b", "string:"])
        #expect(r("('a' | 'b' | 'c').join('-')") == ["string:a-b-c"])
        #expect(r("('a' | 'b').join()") == ["string:ab"])
    }

    @Test func regexMatching() {
        #expect(r("'FHIR'.matches('FHIR')") == ["boolean:true"])
        #expect(r("'FHIR'.matches('fhir')") == ["boolean:false"])
        #expect(r("'xx Library yy'.matches('Library')") == ["boolean:true"])
        #expect(r("'xx Library yy'.matches('^Library$')") == ["boolean:false"])
        #expect(r("'A\nB'.matches('A.B')") == ["boolean:true"])
        #expect(r("'xx Library yy'.matchesFull('Library')") == ["boolean:false"])
        #expect(r("'xx Library yy'.matchesFull('.*Library.*')") == ["boolean:true"])
        #expect(r("'ab'.matchesFull('a|ab')") == ["boolean:true"])
        #expect(FunctionProbe.errorKind("'a'.matches('(')") == .execution)
        #expect(FunctionProbe.errorKind("'a'.replaceMatches('[', 'x')") == .execution)
    }

    @Test func regexReplacementTemplates() {
        #expect(r("'abc123'.replaceMatches('[0-9]', '-')") == ["string:abc---"])
        #expect(r("'abc'.replaceMatches('', 'x')") == ["string:abc"])
        #expect(r("'11/30/1972'.replaceMatches('(\\\\d+)/(\\\\d+)/(\\\\d+)', '$2.$1.$3')") == ["string:30.11.1972"])
        #expect(
            r(
                "'11/30/1972'.replaceMatches('(?<month>\\\\d+)/(?<day>\\\\d+)/(?<year>\\\\d+)', '${day}-${month}-${year}')"
            )
                == ["string:30-11-1972"])
        #expect(r("'a.b'.replaceMatches('\\\\.', '\\\\$')") == ["string:a$b"])
    }

    @Test func pathologicalPatternsAreBounded() {
        // Catastrophic backtracking stops at the time budget with an execution error.
        let input = String(repeating: "a", count: 40)
        let started = ContinuousClock.now
        #expect(FunctionProbe.errorKind("'\(input)'.matches('^(a+)+b$')") == .execution)
        #expect(ContinuousClock.now - started < .seconds(5))
        let longPattern = String(repeating: "a", count: 5000)
        #expect(FunctionProbe.errorKind("'a'.matches('\(longPattern)')") == .execution)
    }

    @Test func cachedPatternsAreSharedAcrossThreads() async throws {
        let compiled = try FHIRPathEngine(model: nil).compile(
            "('id-' + $this.toString()).matches('^[A-Za-z0-9\\\\-\\\\.]{1,64}$')")
        let counts = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var trues = 0
                    for i in 0..<200 {
                        let result = try? compiled.evaluate(input: [.integer(task * 1000 + i)])
                        if case .boolean(true)? = result?.first { trues += 1 }
                    }
                    return trues
                }
            }
            var all: [Int] = []
            for await n in group { all.append(n) }
            return all
        }
        #expect(counts == Array(repeating: 200, count: 8))
    }

    @Test func encodings() {
        #expect(r("'test'.encode('base64')") == ["string:dGVzdA=="])
        #expect(r("'subjects?_d'.encode('urlbase64')") == ["string:c3ViamVjdHM_X2Q="])
        #expect(r("'test'.encode('hex')") == ["string:74657374"])
        #expect(r("'dGVzdA=='.decode('base64')") == ["string:test"])
        #expect(r("'dGVzdA'.decode('base64')") == ["string:test"])
        #expect(r("'c3ViamVjdHM_X2Q='.decode('urlbase64')") == ["string:subjects?_d"])
        #expect(r("'74657374'.decode('hex')") == ["string:test"])
        #expect(r("'é'.encode('hex').decode('hex')") == ["string:é"])
        #expect(r("'zz'.decode('hex')") == [])
        #expect(r("'ff'.decode('hex')") == [])  // not UTF-8
        #expect(r("'a*b'.decode('base64')") == [])
        #expect(FunctionProbe.errorKind("'a'.encode('rot13')") == .execution)
    }

    @Test func escapes() {
        #expect(r("'\"1<2\"'.escape('html')") == ["string:&quot;1&lt;2&quot;"])
        #expect(r("'&quot;1&lt;2&quot; &#39;&#x41;&bogus;'.unescape('html')") == ["string:\"1<2\" 'A&bogus;"])
        #expect(r("'\"1<2\"'.escape('json')") == ["string:\\\"1<2\\\""])
        #expect(r("'a\\nb'.escape('json')") == ["string:a\\nb"])
        #expect(r("'\\\\\"1\\\\u0041\\\\n'.unescape('json')") == ["string:\"1A\n"])
        #expect(r("'\\\\ud83d\\\\ude00'.unescape('json')") == ["string:😀"])
        #expect(FunctionProbe.errorKind("'a'.escape('xml')") == .execution)
    }

    @Test func stringsFromFHIRPrimitivesWork() throws {
        let model = try TestSupport.coreModel()
        let json = #"{"resourceType":"Patient","name":[{"family":"Chalmers","given":["Peter","James"]}]}"#
        let patient = try FHIRJSONReader(model: model).read(json).root
        let engine = FHIRPathEngine(model: model)
        let joined = try engine.compile("Patient.name.given.join(', ')").evaluate(patient)
        #expect(joined.map(FunctionProbe.render) == ["string:Peter, James"])
        let upper = try engine.compile("Patient.name.family.upper().substring(0, 4)").evaluate(patient)
        #expect(upper.map(FunctionProbe.render) == ["string:CHAL"])
    }
}

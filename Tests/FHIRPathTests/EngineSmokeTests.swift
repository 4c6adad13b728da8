import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

@Suite struct EngineSmokeTests {
    func run(_ text: String, on json: String) throws -> [FHIRPathValue] {
        let model = try TestSupport.coreModel()
        let resource = try FHIRJSONReader(model: model).read(json).root
        return try FHIRPathEngine(model: model).compile(text).evaluate(resource)
    }

    let patient = #"{"resourceType":"Patient","id":"p1","active":true,"name":[{"given":["Ann","Bo"],"family":"Lee"}]}"#

    @Test func navigatesAndComparesPrimitives() throws {
        let given = try run("Patient.name.given", on: patient)
        #expect(given.count == 2)
        #expect(given.first?.systemValue.map { "\($0)" } == "string(\"Ann\")")
        let eq = try run("Patient.name.family = 'Lee' and active", on: patient)
        guard case .boolean(true)? = eq.first else {
            Issue.record("expected true, got \(eq)")
            return
        }
    }

    @Test func arithmeticAndEmptyPropagation() throws {
        let r = try run("(1 + 2 * 3) / 2", on: patient)
        guard case .decimal(let d)? = r.first else {
            Issue.record("expected a decimal, got \(r)")
            return
        }
        #expect(d.plainString == "3.5")
        #expect(try run("Patient.birthDate + 1 'd'", on: patient).isEmpty)
    }
}

@Suite struct FocusIndependentCachingTests {
    func run(_ text: String, on json: String) throws -> [FHIRPathValue] {
        let model = try TestSupport.coreModel()
        let resource = try FHIRJSONReader(model: model).read(json).root
        return try FHIRPathEngine(model: model).compile(text).evaluate(resource)
    }

    let patient = #"""
        {"resourceType":"Patient","id":"p","name":[{"family":"Ab","given":["Ab","Cd"]},{"family":"Cd","given":["Ef"]}]}
        """#

    /// `%resource.name.given` is computed once and reused; the result must not change between
    /// items of the enclosing where().
    @Test func cachedSubexpressionsGiveTheSameResults() throws {
        let r = try run("name.where(%resource.name.given contains family).family", on: patient)
        #expect(r.compactMap { if case .string(let s)? = $0.systemValue { s } else { nil } } == ["Ab", "Cd"])
    }

    /// A value argument that reads the focus (`family`) keeps the call focus-dependent: it is
    /// evaluated afresh for every item.
    @Test func focusDependentArgumentsAreNotCached() throws {
        let r = try run("name.where(%resource.name.given.first().startsWith(family)).family", on: patient)
        #expect(r.compactMap { if case .string(let s)? = $0.systemValue { s } else { nil } } == ["Ab"])
        let counts = try run("name.select(%resource.name.where(family = 'Cd').given.count())", on: patient)
        #expect(counts.count == 2)
    }
}

@Suite struct EnvironmentTests {
    /// Setting one field of an environment keeps the others, and copies are independent.
    @Test func fieldsAreIndependentValues() throws {
        var a = FHIRPathEnvironment(variables: ["x": [.string("1")]])
        let b = a
        a.variables["y"] = [.integer(2)]
        a.now = FHIRDateTime("2020-01-02T03:04:05Z")
        #expect(a.variables.count == 2)
        #expect(a.now?.lexeme == "2020-01-02T03:04:05Z")
        #expect(b.variables.count == 1)
        #expect(b.now == nil)
        let empty = FHIRPathEnvironment()
        #expect(empty.variables.isEmpty && empty.terminology == nil && empty.now == nil)
        let result = try FHIRPathEngine(model: nil).compile("%x & %y.toString() & today().toString()").evaluate(
            input: [], environment: a)
        guard case .string(let s)? = result.first else {
            Issue.record("expected a string, got \(result)")
            return
        }
        #expect(s == "122020-01-02")
    }
}

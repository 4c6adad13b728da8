import FHIRGate
import FHIRGateTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the official FHIRPath R4 suite (../shared/corpora/fhirpath/tests-fhir-r4.xml) on the
/// engine: each test's input is read from `json-inputs/` with the core model, the expression is
/// compiled with the input's resource type as context (semantic checks on) and evaluated on it.
///
/// `FHIRPATH_SUITE_FILTER=text` runs only the groups or tests whose name contains `text` and
/// prints every one of them in detail (the threshold is not checked then).
@Suite(.serialized)
struct FHIRPathSuiteTests {
    static let suiteFolder = TestSupport.sharedPath("corpora/fhirpath")

    /// `conformsTo()` for the core profiles only: `http://hl7.org/fhir/StructureDefinition/T`
    /// where T is a type of the model; anything else is unknown.
    struct CoreProfileChecker: FHIRPathProfileChecker {
        let model: ModelInfo

        func conforms(_ node: FHIRPathNode, to profile: String) -> Bool? {
            let prefix = "http://hl7.org/fhir/StructureDefinition/"
            guard profile.hasPrefix(prefix) else { return nil }
            let name = String(profile.dropFirst(prefix.count))
            guard model.type(named: name) != nil, let type = node.typeName else { return nil }
            return model.isType(type, a: name)
        }
    }

    enum Outcome {
        /// Passed; for an invalid test, the error it raised.
        case passed(FHIRPathError?)
        case failed(String)
    }

    final class Inputs {
        let folder: String
        let reader: FHIRJSONReader
        var cache: [String: Result<ElementNode, InputError>] = [:]

        struct InputError: Error, CustomStringConvertible {
            let description: String
        }

        init(folder: String, model: ModelInfo) {
            self.folder = folder
            self.reader = FHIRJSONReader(model: model)
        }

        /// The resource of `inputfile` (`x.xml` or `x.json`), read once from `json-inputs/x.json`.
        func resource(_ inputFile: String) -> Result<ElementNode, InputError> {
            if let cached = cache[inputFile] { return cached }
            var base = Substring(inputFile)
            if let dot = base.lastIndex(of: ".") { base = base[..<dot] }
            let path = folder + "/json-inputs/" + base + ".json"
            let result: Result<ElementNode, InputError>
            do {
                result = .success(try reader.read(fileAtPath: path).root)
            } catch {
                result = .failure(InputError(description: "cannot read input \(path): \(error)"))
            }
            cache[inputFile] = result
            return result
        }
    }

    static func run(
        _ test: FHIRPathSuiteCase, engine: FHIRPathEngine, inputs: Inputs, environment: FHIRPathEnvironment
    ) -> (Outcome, [FHIRPathValue]) {
        var root: ElementNode?
        if let file = test.inputFile {
            switch inputs.resource(file) {
            case .success(let r): root = r
            case .failure(let e): return (.failed(e.description), [])
            }
        }
        var result: [FHIRPathValue] = []
        do throws(FHIRPathError) {
            let options = FHIRPathCheckOptions(checkOrderedFunctions: test.checkOrderedFunctions)
            let compiled = try engine.compile(test.expression, contextType: root?.typeName, options: options)
            if let root {
                result = try compiled.evaluate(root, environment: environment)
            } else {
                result = try compiled.evaluate(input: [], environment: environment)
            }
        } catch {
            guard let invalid = test.invalid else { return (.failed("unexpected error: \(error)"), []) }
            if invalid == "true" || invalid == error.kind.rawValue { return (.passed(error), []) }
            return (.failed("expected a \(invalid) error, got \(error)"), [])
        }
        if let invalid = test.invalid {
            return (.failed("expected a \(invalid) error, got \(FHIRPathSuiteMatching.describe(result))"), result)
        }
        if test.predicate { result = FHIRPathSuiteMatching.predicate(result) }
        if let reason = FHIRPathSuiteMatching.mismatch(result, test.outputs, ordered: test.ordered) {
            return (.failed(reason + "; result \(FHIRPathSuiteMatching.describe(result))"), result)
        }
        return (.passed(nil), result)
    }

    @Test func extractorReadsGroupsOutputsAndAttributes() {
        let xml = """
            <tests><group name="g1"><!-- <test name="hidden"><expression>x</expression></test> -->
            <test name="a" inputfile="p.xml" mode="strict"><expression invalid="semantic">name.given1</expression></test>
            <test name="b" ordered="false" predicate="true"><expression>1 &lt; 2</expression>
            <output type="string">x &amp; y</output><output>1.50</output></test></group>
            <group name="g2"><test name="c" checkOrderedFunctions="true"><expression>children()</expression></test></group>
            </tests>
            """
        let cases = FHIRPathSuiteExtractor.cases(in: xml)
        #expect(cases.map(\.name) == ["a", "b", "c"])
        #expect(cases.map(\.group) == ["g1", "g1", "g2"])
        #expect(cases[0].invalid == "semantic" && cases[0].mode == "strict" && cases[0].inputFile == "p.xml")
        #expect(cases[1].expression == "1 < 2" && !cases[1].ordered && cases[1].predicate)
        #expect(cases[1].outputs == [.init(type: "string", text: "x & y"), .init(type: nil, text: "1.50")])
        #expect(cases[2].checkOrderedFunctions && cases[2].ordered && cases[2].inputFile == nil)
    }

    @Test func outputMatchingIsStrict() {
        typealias M = FHIRPathSuiteMatching
        let decimal = FHIRPathValue.decimal(FHIRDecimal("1.0")!)
        #expect(M.matches(decimal, .init(type: "decimal", text: "1")))
        #expect(!M.matches(decimal, .init(type: "integer", text: "1")))
        #expect(!M.matches(decimal, .init(type: nil, text: "1")))
        #expect(M.matches(.integer(4), .init(type: "integer", text: "4")))
        #expect(!M.matches(.string("4"), .init(type: "integer", text: "4")))
        #expect(M.matches(.date(FHIRDateTime("1974-12-25")!), .init(type: "date", text: "@1974-12-25")))
        #expect(!M.matches(.dateTime(FHIRDateTime("1974-12-25")!), .init(type: "date", text: "@1974-12-25")))
        let grams = FHIRPathValue.quantity(FHIRPathQuantity(value: FHIRDecimal("4.0")!, unit: "g"))
        #expect(M.matches(grams, .init(type: "Quantity", text: "4 'g'")))
        #expect(!M.matches(grams, .init(type: "Quantity", text: "4 'mg'")))
        let year = FHIRPathValue.quantity(
            FHIRPathQuantity(value: FHIRDecimal(1), unit: "year", isCalendarDuration: true))
        #expect(M.matches(year, .init(type: "Quantity", text: "1 year")))
        #expect(!M.matches(year, .init(type: "Quantity", text: "1 'a'")))
        #expect(
            M.mismatch(
                [.integer(1), .integer(2)], [.init(type: "integer", text: "2"), .init(type: "integer", text: "1")],
                ordered: true) != nil)
        #expect(
            M.mismatch(
                [.integer(1), .integer(2)], [.init(type: "integer", text: "2"), .init(type: "integer", text: "1")],
                ordered: false) == nil)
        #expect(M.mismatch([], [.init(type: "boolean", text: "true")], ordered: true) != nil)
        #expect(M.predicate([]).count == 1 && M.matches(M.predicate([])[0], .init(type: "boolean", text: "false")))
    }

    @Test(
        .enabled(
            if: suiteFolder != nil && TestSupport.hasCorePackage,
            "needs ../shared/corpora/fhirpath and the R4 core package"
        )
    )
    func officialR4Suite() throws {
        guard let folder = Self.suiteFolder else { return }
        let model = try TestSupport.coreModel()
        let xml = String(decoding: try FileBytes.read(folder + "/tests-fhir-r4.xml"), as: UTF8.self)
        let all = FHIRPathSuiteExtractor.cases(in: xml)
        // 937 `<test` tags in the file, two of them inside an XML comment.
        #expect(all.count == 935, "expected the 935 tests of tests-fhir-r4.xml, found \(all.count)")

        let filter = getenv("FHIRPATH_SUITE_FILTER").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let cases = all.filter { test in
            guard let filter else { return true }
            return test.group.contains(filter) || test.name.contains(filter)
        }
        let engine = FHIRPathEngine(model: model)
        let inputs = Inputs(folder: folder, model: model)
        let environment = FHIRPathEnvironment(profiles: CoreProfileChecker(model: model))

        var groupOrder: [String] = []
        var groupCounts: [String: (passed: Int, total: Int)] = [:]
        var failures: [String] = []
        var passed = 0
        for test in cases {
            let (outcome, result) = Self.run(test, engine: engine, inputs: inputs, environment: environment)
            if groupCounts[test.group] == nil { groupOrder.append(test.group) }
            var counts = groupCounts[test.group] ?? (0, 0)
            counts.total += 1
            switch outcome {
            case .passed(let error):
                passed += 1
                counts.passed += 1
                if filter != nil {
                    let got = error.map { "\($0)" } ?? FHIRPathSuiteMatching.describe(result)
                    print("PASS \(test.group)/\(test.name): `\(test.expression)` -> \(got)")
                }
            case .failed(let reason):
                failures.append("\(test.group)/\(test.name): `\(test.expression)`: \(reason)")
            }
            groupCounts[test.group] = counts
        }
        for group in groupOrder {
            let counts = groupCounts[group] ?? (0, 0)
            print("  FHIRPath suite group \(group): \(counts.passed)/\(counts.total)")
        }
        print("FHIRPath suite: \(passed)/\(cases.count) passed")
        if !failures.isEmpty {
            print("FHIRPath suite failures (\(failures.count)):")
            for failure in failures { print("  FAIL " + failure) }
        }
        if filter == nil {
            #expect(passed >= (try JSONComparison.threshold("fhirpathSuite")))
        }
    }
}

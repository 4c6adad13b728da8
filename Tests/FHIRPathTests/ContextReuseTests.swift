import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Foundation
import Testing

/// A compiled expression is shared by many evaluations and threads: nothing from one evaluation
/// (cached `%resource`, cached sub-expressions, variables, the clock) may show in the next.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1")) struct ContextReuseTests {
    static func patient(_ id: String) throws -> ElementNode {
        let json = #"{"resourceType":"Patient","id":"\#(id)","name":[{"family":"F\#(id)"}]}"#
        return try FHIRJSONReader(model: TestSupport.coreModel()).read(json).root
    }

    static func text(_ values: [FHIRPathValue]) -> [String] {
        values.compactMap { if case .string(let s)? = $0.systemValue { s } else { nil } }
    }

    @Test func nothingCarriesOverBetweenEvaluations() throws {
        let engine = FHIRPathEngine(model: try TestSupport.coreModel())
        // `%resource.name.family` is focus-independent, so it is cached within an evaluation.
        let compiled = try engine.compile("name.select(%resource.id & %resource.name.family & %context.id)")
        let a = try Self.patient("a")
        let b = try Self.patient("b")
        #expect(Self.text(try compiled.evaluate(a)) == ["aFaa"])
        #expect(Self.text(try compiled.evaluate(b)) == ["bFbb"])
        let withVariable = try engine.compile("%v")
        #expect(
            Self.text(try withVariable.evaluate(a, environment: FHIRPathEnvironment(variables: ["v": [.string("x")]])))
                == ["x"])
        #expect(throws: FHIRPathError.self) { try withVariable.evaluate(a) }
        let fixed = FHIRPathEnvironment(now: FHIRDateTime("2001-02-03T04:05:06Z"))
        let today = try engine.compile("today().toString()")
        #expect(Self.text(try today.evaluate(a, environment: fixed)) == ["2001-02-03"])
        #expect(Self.text(try today.evaluate(a)) != ["2001-02-03"])
        // An error in one evaluation leaves the next one clean.
        #expect(throws: FHIRPathError.self) { try engine.compile("name.family.single() + (1 | 2)").evaluate(a) }
        #expect(Self.text(try compiled.evaluate(b)) == ["bFbb"])
    }

    @Test func threadsEvaluatingTogetherGetTheirOwnResults() async throws {
        let engine = FHIRPathEngine(model: try TestSupport.coreModel())
        let compiled = try engine.compile("%resource.id & '-' & name.family")
        let resources = try (0..<16).map { try Self.patient("p\($0)") }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for (i, resource) in resources.enumerated() {
                group.addTask {
                    var bad = 0
                    for _ in 0..<500 {
                        let result = (try? compiled.evaluate(resource)) ?? []
                        if Self.text(result) != ["p\(i)-Fp\(i)"] { bad += 1 }
                    }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}

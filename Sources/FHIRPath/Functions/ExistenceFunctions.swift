import FHIRModel

extension FHIRPathFunctionLibrary {
    static let existenceFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("empty") { input, _ in FHIRPathLogic.just(input.isEmpty) },
        FHIRPathFunction(
            "exists", arity: 0...1, withoutArguments: { input, _ in FHIRPathLogic.just(!input.isEmpty) },
            { call throws(FHIRPathError) in
                guard call.argumentCount == 1 else { return FHIRPathLogic.just(!call.input.isEmpty) }
                return FHIRPathLogic.just(!(try call.filter(by: 0, limit: 1)).isEmpty)
            }),
        FHIRPathFunction("all", arity: 1...1) { call throws(FHIRPathError) in
            for (index, item) in call.input.enumerated() {
                let result = try call.evaluate(0, on: item, index: index)
                if try FHIRPathLogic.singletonBoolean(result, at: call.location) != true {
                    return FHIRPathLogic.just(false)
                }
            }
            return FHIRPathLogic.just(true)
        },
        FHIRPathFunction("allTrue") { call throws(FHIRPathError) in
            FHIRPathLogic.just(try call.booleanItems().allSatisfy { $0 })
        },
        FHIRPathFunction("anyTrue") { call throws(FHIRPathError) in
            FHIRPathLogic.just(try call.booleanItems().contains(true))
        },
        FHIRPathFunction("allFalse") { call throws(FHIRPathError) in
            FHIRPathLogic.just(try call.booleanItems().allSatisfy { !$0 })
        },
        FHIRPathFunction("anyFalse") { call throws(FHIRPathError) in
            FHIRPathLogic.just(try call.booleanItems().contains(false))
        },
        FHIRPathFunction("subsetOf", arity: 1...1) { call throws(FHIRPathError) in
            FHIRPathLogic.just(isSubset(call.input, of: try call.argument(0), context: call.context))
        },
        FHIRPathFunction("supersetOf", arity: 1...1) { call throws(FHIRPathError) in
            FHIRPathLogic.just(isSubset(try call.argument(0), of: call.input, context: call.context))
        },
        FHIRPathFunction("count") { input, _ in FHIRPathNumbers.collection(input.count) },
        FHIRPathFunction("distinct") { call in FHIRPathItemSet.distinct(call.input, context: call.context) },
        FHIRPathFunction("isDistinct") { call in
            FHIRPathLogic.just(FHIRPathItemSet(call.input, context: call.context).count == call.input.count)
        },
        FHIRPathFunction("not") { input, location throws(FHIRPathError) in
            guard input.count <= 1 else {
                throw FHIRPathError(.execution, "not(): expects at most one input item", at: location)
            }
            return FHIRPathLogic.collection(try FHIRPathLogic.singletonBoolean(input, at: location).map { !$0 })
        },
    ]

    /// Whether every item of `items` is equal to some item of `other` (an empty `items` is a
    /// subset of anything).
    static func isSubset(_ items: [FHIRPathValue], of other: [FHIRPathValue], context: EvaluationContext) -> Bool {
        guard !items.isEmpty else { return true }
        guard !other.isEmpty else { return false }
        let set = FHIRPathItemSet(other, context: context)
        return items.allSatisfy { set.contains($0) }
    }
}

import FHIRModel

extension FHIRPathFunctionLibrary {
    static let existenceFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("empty") { call in [.boolean(call.input.isEmpty)] },
        FHIRPathFunction("exists", arity: 0...1) { call throws(FHIRPathError) in
            guard call.argumentCount == 1 else { return [.boolean(!call.input.isEmpty)] }
            return [.boolean(!(try call.filter(by: 0, limit: 1)).isEmpty)]
        },
        FHIRPathFunction("all", arity: 1...1) { call throws(FHIRPathError) in
            for (index, item) in call.input.enumerated() {
                let result = try call.evaluate(0, on: item, index: index)
                if try FHIRPathLogic.singletonBoolean(result, at: call.location) != true { return [.boolean(false)] }
            }
            return [.boolean(true)]
        },
        FHIRPathFunction("allTrue") { call throws(FHIRPathError) in
            [.boolean(try call.booleanItems().allSatisfy { $0 })]
        },
        FHIRPathFunction("anyTrue") { call throws(FHIRPathError) in
            [.boolean(try call.booleanItems().contains(true))]
        },
        FHIRPathFunction("allFalse") { call throws(FHIRPathError) in
            [.boolean(try call.booleanItems().allSatisfy { !$0 })]
        },
        FHIRPathFunction("anyFalse") { call throws(FHIRPathError) in
            [.boolean(try call.booleanItems().contains(false))]
        },
        FHIRPathFunction("subsetOf", arity: 1...1) { call throws(FHIRPathError) in
            [.boolean(isSubset(call.input, of: try call.argument(0), context: call.context))]
        },
        FHIRPathFunction("supersetOf", arity: 1...1) { call throws(FHIRPathError) in
            [.boolean(isSubset(try call.argument(0), of: call.input, context: call.context))]
        },
        FHIRPathFunction("count") { call in [.integer(call.input.count)] },
        FHIRPathFunction("distinct") { call in FHIRPathItemSet.distinct(call.input, context: call.context) },
        FHIRPathFunction("isDistinct") { call in
            [.boolean(FHIRPathItemSet(call.input, context: call.context).count == call.input.count)]
        },
        FHIRPathFunction("not") { call throws(FHIRPathError) in
            guard call.input.count <= 1 else { throw call.failure("expects at most one input item") }
            return FHIRPathLogic.collection(
                try FHIRPathLogic.singletonBoolean(call.input, at: call.location).map { !$0 })
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

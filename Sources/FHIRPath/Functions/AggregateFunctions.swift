import FHIRModel

extension FHIRPathFunctionLibrary {
    static let aggregateFunctions: [FHIRPathFunction] = [
        // aggregate(aggregator [, init]): `$total` starts as `init` (or empty) and becomes the
        // aggregator's result for each item in turn.
        FHIRPathFunction("aggregate", arity: 1...2) { call throws(FHIRPathError) in
            var total = call.argumentCount > 1 ? try call.argument(1) : []
            for (index, item) in call.input.enumerated() {
                total = try call.evaluate(0, on: item, index: index, total: total)
            }
            return total
        }
    ]
}

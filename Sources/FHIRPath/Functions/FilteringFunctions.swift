import FHIRModel

extension FHIRPathFunctionLibrary {
    /// The most items `repeat()` may collect before it is stopped with an execution error.
    static let maxRepeatItems = 100_000

    static let filteringFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("where", arity: 1...1) { call throws(FHIRPathError) in
            try call.filter(by: 0)
        },
        FHIRPathFunction("select", arity: 1...1) { call throws(FHIRPathError) in
            var out: [FHIRPathValue] = []
            for (index, item) in call.input.enumerated() {
                out += try call.evaluate(0, on: item, index: index)
            }
            return out
        },
        FHIRPathFunction("repeat", arity: 1...1) { call throws(FHIRPathError) in
            try repeatProjection(call)
        },
    ]

    /// `repeat(projection)`: the projection of the input, then of those results, and so on while
    /// it yields items not already collected (by `=`), breadth first.
    static func repeatProjection(_ call: FHIRPathCall) throws(FHIRPathError) -> [FHIRPathValue] {
        var seen = FHIRPathItemSet(context: call.context)
        var out: [FHIRPathValue] = []
        var pending = call.input
        while !pending.isEmpty {
            var next: [FHIRPathValue] = []
            for (index, item) in pending.enumerated() {
                for result in try call.evaluate(0, on: item, index: index) where seen.insert(result) {
                    out.append(result)
                    next.append(result)
                    guard out.count <= maxRepeatItems else {
                        throw call.failure("the result grew past \(maxRepeatItems) items")
                    }
                }
            }
            pending = next
        }
        return out
    }
}

import FHIRModel

extension FHIRPathFunctionLibrary {
    static let subsettingFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("single") { call throws(FHIRPathError) in
            guard call.input.count <= 1 else {
                throw call.failure("expects at most one input item, got \(call.input.count)")
            }
            return call.input
        },
        FHIRPathFunction("first") { input, _ in input.count <= 1 ? input : [input[0]] },
        FHIRPathFunction("last") { input, _ in input.count <= 1 ? input : [input[input.count - 1]] },
        FHIRPathFunction("tail") { input, _ in Array(input.dropFirst()) },
        FHIRPathFunction("skip", arity: 1...1) { call throws(FHIRPathError) in
            guard let n = try call.integerArgument(0) else { return [] }
            return n <= 0 ? call.input : Array(call.input.dropFirst(n))
        },
        FHIRPathFunction("take", arity: 1...1) { call throws(FHIRPathError) in
            guard let n = try call.integerArgument(0), n > 0 else { return [] }
            return Array(call.input.prefix(n))
        },
        FHIRPathFunction("intersect", arity: 1...1) { call throws(FHIRPathError) in
            let other = try call.argument(0)
            guard !call.input.isEmpty, !other.isEmpty else { return [] }
            let set = FHIRPathItemSet(other, context: call.context)
            var seen = FHIRPathItemSet(context: call.context)
            return call.input.filter { set.contains($0) && seen.insert($0) }
        },
        FHIRPathFunction("exclude", arity: 1...1) { call throws(FHIRPathError) in
            let other = try call.argument(0)
            guard !call.input.isEmpty, !other.isEmpty else { return call.input }
            let set = FHIRPathItemSet(other, context: call.context)
            return call.input.filter { !set.contains($0) }
        },
    ]
}

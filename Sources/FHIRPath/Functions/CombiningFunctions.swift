import FHIRModel

extension FHIRPathFunctionLibrary {
    static let combiningFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("union", arity: 1...1) { call throws(FHIRPathError) in
            FHIRPathItemSet.distinct(call.input + (try call.argument(0)), context: call.context)
        },
        FHIRPathFunction("combine", arity: 1...1) { call throws(FHIRPathError) in
            call.input + (try call.argument(0))
        },
    ]
}

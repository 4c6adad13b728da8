import FHIRModel

extension FHIRPathFunctionLibrary {
    static let treeFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("children") { call in FHIRPathNavigation.allChildren(of: call.input) },
        FHIRPathFunction("descendants") { call in FHIRPathNavigation.descendants(of: call.input) },
    ]
}

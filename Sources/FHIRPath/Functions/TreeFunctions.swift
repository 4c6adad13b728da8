import FHIRModel

extension FHIRPathFunctionLibrary {
    static let treeFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("children") { input, _ in FHIRPathNavigation.allChildren(of: input) },
        FHIRPathFunction("descendants") { input, _ in FHIRPathNavigation.descendants(of: input) },
    ]
}

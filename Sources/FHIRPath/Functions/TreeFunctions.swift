import FHIRModel

extension FHIRPathFunctionLibrary {
    static let treeFunctions: [FHIRPathFunction] = []
}

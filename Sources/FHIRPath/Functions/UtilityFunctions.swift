import FHIRModel

extension FHIRPathFunctionLibrary {
    static let utilityFunctions: [FHIRPathFunction] = []
}

import FHIRModel

extension FHIRPathFunctionLibrary {
    static let filteringFunctions: [FHIRPathFunction] = []
}

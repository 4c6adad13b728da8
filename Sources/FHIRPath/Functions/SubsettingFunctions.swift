import FHIRModel

extension FHIRPathFunctionLibrary {
    static let subsettingFunctions: [FHIRPathFunction] = []
}

import FHIRModel

extension FHIRPathFunctionLibrary {
    static let conversionFunctions: [FHIRPathFunction] = []
}

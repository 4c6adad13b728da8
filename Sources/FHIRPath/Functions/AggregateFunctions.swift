import FHIRModel

extension FHIRPathFunctionLibrary {
    static let aggregateFunctions: [FHIRPathFunction] = []
}

import FHIRModel

extension FHIRPathFunctionLibrary {
    static let existenceFunctions: [FHIRPathFunction] = []
}

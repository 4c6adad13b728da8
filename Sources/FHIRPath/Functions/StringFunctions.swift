import FHIRModel

extension FHIRPathFunctionLibrary {
    static let stringFunctions: [FHIRPathFunction] = []
}

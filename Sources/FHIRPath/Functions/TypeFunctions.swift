import FHIRModel

extension FHIRPathFunctionLibrary {
    static let typeFunctions: [FHIRPathFunction] = []
}

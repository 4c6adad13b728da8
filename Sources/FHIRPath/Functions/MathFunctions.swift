import FHIRModel

extension FHIRPathFunctionLibrary {
    static let mathFunctions: [FHIRPathFunction] = []
}

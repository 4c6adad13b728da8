import FHIRModel

extension FHIRPathFunctionLibrary {
    static let combiningFunctions: [FHIRPathFunction] = []
}

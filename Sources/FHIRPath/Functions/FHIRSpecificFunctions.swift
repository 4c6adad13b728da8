import FHIRModel

extension FHIRPathFunctionLibrary {
    static let fhirFunctions: [FHIRPathFunction] = []
}

import FHIRModel

// PLACEHOLDER (being written): static checks of an expression against a context type.
struct FHIRPathTypeChecker {
    let model: ModelInfo

    func check(_ expression: FHIRPathExpression, contextType: String) throws(FHIRPathError) {}
}

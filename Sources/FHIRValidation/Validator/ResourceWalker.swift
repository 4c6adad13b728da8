import FHIRDefinitions
import FHIRModel
import FHIRPath

/// Walks a resource tree alongside the snapshot elements of each applicable profile.
struct ResourceWalker {
    let validator: Validator
    var issues: [Issue] = []

    init(validator: Validator) {
        self.validator = validator
    }

    mutating func validateRoot(_ resource: ElementNode, extraProfiles: [String]) {
    }
}

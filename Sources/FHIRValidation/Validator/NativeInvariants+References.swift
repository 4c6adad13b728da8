import FHIRModel
import FHIRPath

extension NativeInvariant {
    /// ref-1 on a Reference: `reference.startsWith('#').not() or (reference.substring(1) in
    /// %rootResource.contained.id)`. A reference that does not start with `#` passes; `#` alone
    /// passes (`substring(1)` is empty, so the test is empty); `#x` passes when a resource
    /// contained in the root resource has the id `x`. No reference, or one without a value,
    /// passes (the test is empty).
    ///
    /// `startsWith` and `substring` count Characters, as FHIRPath's string functions do here.
    static func localReferenceContained(_ node: ElementNode, scope: FHIRPathScope?) -> Outcome {
        var count = 0
        var reference: ElementNode?
        for child in node.children where child.name == "reference" {
            count += 1
            reference = child
        }
        guard let reference else { return .pass }
        // Several references (an error in FHIRPath) or a non-string value: FHIRPath decides.
        guard count == 1 else { return .undecided }
        guard let value = systemValue(reference) else { return .pass }
        guard case .string(let text) = value else { return .undecided }
        guard text.utf8.first == UInt8(ascii: "#"), text.first == "#" else { return .pass }
        let target = String(text.dropFirst())
        guard !target.isEmpty else { return .pass }
        guard var root = scope else { return .fail }
        while root.resource.name == "contained", let parent = root.parent { root = parent }
        for contained in root.resource.children where contained.name == "contained" {
            for child in contained.children where child.name == "id" {
                if let s = stringValue(child), s == target { return .pass }
            }
        }
        return .fail
    }
}

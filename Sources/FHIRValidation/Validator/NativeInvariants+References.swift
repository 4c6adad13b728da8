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
        let kids = node.children
        guard let index = firstIndex(kids, named: "reference") else { return .pass }
        // Several references (an error in FHIRPath) or a non-string value: FHIRPath decides.
        guard firstIndex(kids, named: "reference", from: index + 1) == nil else { return .undecided }
        let text: String
        if isPlainString(kids[index]) {
            // Nearly every reference: a `string` primitive, read without a FHIRPath value.
            guard let value = kids[index].value else { return .pass }
            text = value
        } else {
            guard let value = systemValue(kids[index]) else { return .pass }
            guard case .string(let s) = value else { return .undecided }
            text = s
        }
        guard text.utf8.first == UInt8(ascii: "#"), text.first == "#" else { return .pass }
        let target = String(text.dropFirst())
        guard !target.isEmpty else { return .pass }
        guard var root = scope else { return .fail }
        while root.resource.name == "contained", let parent = root.parent { root = parent }
        let resources = root.resource.children
        var i = firstIndex(resources, named: "contained")
        while let c = i {
            let fields = resources[c].children
            var j = firstIndex(fields, named: "id")
            while let k = j {
                if let s = stringValue(fields[k]), s == target { return .pass }
                j = firstIndex(fields, named: "id", from: k + 1)
            }
            i = firstIndex(resources, named: "contained", from: c + 1)
        }
        return .fail
    }
}

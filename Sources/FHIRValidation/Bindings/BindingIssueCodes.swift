import FHIRModel

/// Issue codes of the binding and code checks, besides those in `ValidationIssueCodes.swift`
/// (`bindingRequired`, `bindingExtensible`, `bindingPreferred`, `bindingNotChecked`,
/// `bindingValueSetUnknown`, `codeDisplay`, `codeUnknown`).
extension IssueCode {
    /// A code outside the binding's `elementdefinition-maxValueSet` (an error at any strength).
    public static let bindingMaxValueSet: IssueCode = "VAL-BINDING-MAX-VALUESET"
    /// A coding with a code but no system: it has no defined meaning and cannot be checked.
    public static let codeNoSystem: IssueCode = "VAL-CODE-NO-SYSTEM"
    /// A coding from a code system that is not held locally: not checked offline.
    public static let codeNotChecked: IssueCode = "VAL-CODE-NOT-CHECKED"
}

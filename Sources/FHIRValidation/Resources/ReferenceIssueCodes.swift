import FHIRModel

/// Issue codes of reference resolution outside the input (``ReferenceCheckLevel`` `exists` and
/// `valid`, with ``ReferenceResources``).
extension IssueCode {
    /// A reference that must resolve (level `exists` or `valid`) matches no resource of the input
    /// or of the reference resources.
    public static let referenceNotFound: IssueCode = "VAL-REFERENCE-NOT-FOUND"
    /// An absolute URL that no reference resource answers: it points outside what is held
    /// locally and was not checked (information).
    public static let referenceNotChecked: IssueCode = "VAL-REFERENCE-NOT-CHECKED"
    /// A reference that matches several different reference resources (the first is used).
    public static let referenceLocalAmbiguous: IssueCode = "VAL-REFERENCE-LOCAL-AMBIGUOUS"
    /// The resource a reference resolves to conforms to none of the element's target profiles
    /// (level `valid`).
    public static let referenceTargetProfile: IssueCode = "VAL-REFERENCE-TARGET-PROFILE"
    /// Why the target failed one target profile: its error count and first error (information).
    public static let referenceTargetDetails: IssueCode = "VAL-REFERENCE-TARGET-DETAILS"
    /// A reference chain too long to follow further (information): the target was not validated.
    public static let referenceChainDepth: IssueCode = "VAL-REFERENCE-CHAIN-DEPTH"
    /// A file given as reference resources that could not be read or parsed (warning).
    public static let referenceResourcesUnreadable: IssueCode = "VAL-REFERENCE-RESOURCES-UNREADABLE"
}

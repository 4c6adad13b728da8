import FHIRModel

/// Issue codes of the rules on a StructureDefinition's own content (`VAL-SD-*`).
extension IssueCode {
    /// A slicing that cannot hold: on the root, on an element that neither repeats nor is a
    /// choice, or one that contradicts the slicing it refines.
    public static let sdSlicing: IssueCode = "VAL-SD-SLICING"
    /// A discriminator path that names nothing in the sliced element's types.
    public static let sdDiscriminatorPath: IssueCode = "VAL-SD-DISCRIMINATOR-PATH"
    /// A discriminator of type `pattern` (deprecated from R5 on in favour of `value`).
    public static let sdDiscriminatorDeprecated: IssueCode = "VAL-SD-DISCRIMINATOR-DEPRECATED"
    /// An obligation profile changes more than obligations, mustSupport and additional bindings,
    /// or a profile it inherits obligations from does not fit.
    public static let sdObligation: IssueCode = "VAL-SD-OBLIGATION"
}

import FHIRModel

/// Issue codes of the reference, Bundle and narrative rules (besides the shared ones in
/// `ValidationIssueCodes.swift`: `referenceTarget`, `referenceUnresolved`, `referenceFormat`,
/// `bundleRule`, `narrative`).
extension IssueCode {
    /// A reference whose kind (contained, bundled, external) the `aggregation` modes do not allow.
    public static let referenceAggregation: IssueCode = "VAL-REFERENCE-AGGREGATION"
    /// A reference that matches several Bundle entries, or none by the Bundle rules but some by
    /// type and id.
    public static let referenceAmbiguous: IssueCode = "VAL-REFERENCE-AMBIGUOUS"
    /// A Reference with neither `reference`, `identifier` nor `display`.
    public static let referenceEmpty: IssueCode = "VAL-REFERENCE-EMPTY"
    /// `Bundle.entry.fullUrl` missing, relative, malformed or disagreeing with the resource id.
    public static let bundleFullUrl: IssueCode = "VAL-BUNDLE-FULLURL"
    /// A document or message entry that cannot be reached from the first entry.
    public static let bundleEntryOrphan: IssueCode = "VAL-BUNDLE-ORPHAN"
    /// A Composition or MessageHeader reference that must resolve inside the Bundle but does not.
    public static let bundleReferenceNotFound: IssueCode = "VAL-BUNDLE-REFERENCE-NOT-FOUND"
    /// `Bundle.link` rules (relations by Bundle type, duplicates, document stylesheets).
    public static let bundleLink: IssueCode = "VAL-BUNDLE-LINK"
    /// Search set rules (self link, search modes, entry types).
    public static let bundleSearch: IssueCode = "VAL-BUNDLE-SEARCH"
    /// Narrative text that is not well-formed XHTML.
    public static let narrativeSyntax: IssueCode = "VAL-NARRATIVE-SYNTAX"
    /// Narrative root or elements outside the XHTML namespace, or a missing namespace declaration.
    public static let narrativeNamespace: IssueCode = "VAL-NARRATIVE-NAMESPACE"
    /// An element that narrative may not use (scripts, forms, objects, anything outside the basic set).
    public static let narrativeElement: IssueCode = "VAL-NARRATIVE-ELEMENT"
    /// An attribute that narrative may not use (event handlers, anything outside the basic set).
    public static let narrativeAttribute: IssueCode = "VAL-NARRATIVE-ATTRIBUTE"
    /// A link or image URL that narrative may not use (`javascript:`, non-image `data:`).
    public static let narrativeURL: IssueCode = "VAL-NARRATIVE-URL"
    /// Narrative without any non-whitespace content (txt-2).
    public static let narrativeEmpty: IssueCode = "VAL-NARRATIVE-EMPTY"
}

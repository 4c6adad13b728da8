import CLibXML2
import FHIRModel

/// Checks and normalises narrative XHTML (`Narrative.div`) held as a string.
public enum XHTMLNarrative {
    /// Parses `xhtml` (one element, normally `<div xmlns="http://www.w3.org/1999/xhtml">`) with
    /// the same safe settings as the resource reader and writes it back in the form FHIR JSON
    /// uses: the XHTML namespace declared on the root, every other namespace declared where it
    /// is first needed, text and attributes escaped. Elements without a namespace are taken as
    /// XHTML. Throws when the text is not well-formed XML.
    /// Plain narratives (most) are normalised byte by byte without libxml2
    /// (``XHTMLQuickNormalizer``, same answers); the rest are parsed.
    public static func normalized(_ xhtml: String, limits: XMLLimits = .default) throws(FHIRFormatError) -> String {
        if let quick = XHTMLQuickNormalizer.normalized(xhtml, limits: limits) { return quick }
        return try parsedNormalized(xhtml, limits: limits)
    }

    /// ``normalized(_:limits:)`` with the markup of the normal form when the quick normaliser
    /// wrote it (nil when libxml2 parsed it, or the markup was not recorded).
    package static func normalizedWithMarkup(_ xhtml: String, limits: XMLLimits = .default) throws(FHIRFormatError)
        -> (text: String, markup: XHTMLMarkupRecord?)
    {
        if let quick = XHTMLQuickNormalizer.recording(xhtml, limits: limits) { return quick }
        return (try parsedNormalized(xhtml, limits: limits), nil)
    }

    /// ``normalized(_:limits:)`` always through libxml2 (the reference the quick form is
    /// tested against).
    static func parsedNormalized(_ xhtml: String, limits: XMLLimits = .default) throws(FHIRFormatError) -> String {
        try run(xhtml, mode: .faithful, limits: limits)
    }

    /// A key under which two narratives that are the same XML (same elements, namespaces,
    /// attributes in any order and with any quoting, same text and comments) are equal.
    public static func comparisonKey(_ xhtml: String, limits: XMLLimits = .default) throws(FHIRFormatError) -> String {
        try run(xhtml, mode: .comparisonKey, limits: limits)
    }

    /// Like ``comparisonKey(_:limits:)``, but whitespace runs in text, comments and attribute
    /// values count as one space and whitespace at their ends is ignored, so narratives that differ only in layout
    /// (indentation, line breaks) get the same key.
    public static func looseComparisonKey(_ xhtml: String, limits: XMLLimits = .default) throws(FHIRFormatError)
        -> String
    {
        try run(xhtml, mode: .looseComparisonKey, limits: limits)
    }

    /// Whether two narratives are the same XML (see ``comparisonKey(_:limits:)``); `false` when
    /// either is not well-formed.
    public static func equivalent(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let ka = try? comparisonKey(a), let kb = try? comparisonKey(b) else { return false }
        return ka == kb
    }

    static func run(_ xhtml: String, mode: XHTMLSerializer.Mode, limits: XMLLimits) throws(FHIRFormatError) -> String {
        // The model is not consulted for fragments.
        let session = XMLParseSession(XMLTreeBuilder(model: emptyModel, limits: limits, mode: .xhtmlFragment(mode)))
        var text = xhtml
        let result = text.withUTF8 { buf in
            Result { () throws(FHIRFormatError) in
                guard buf.count <= limits.maxBytes else {
                    throw FHIRFormatError(
                        .xmlSizeLimit, "narrative of \(buf.count) bytes exceeds the limit of \(limits.maxBytes)")
                }
                try session.parse(buf)
            }
        }
        try result.get()
        guard let fragment = session.builder.fragment else {
            throw FHIRFormatError(.xmlSyntax, "the narrative is not an XML element")
        }
        if let issue = session.builder.issues.first { throw FHIRFormatError(issue) }
        return fragment
    }

    private static let emptyModel = ModelInfo(types: [], fhirVersion: "")
}

import CLibXML2
import FHIRModel

/// Reads FHIR XML (https://hl7.org/fhir/R4/xml.html) into the lossless element tree.
///
/// Parsing uses libxml2's SAX2 push parser with network access off and no entity
/// substitution. Any DOCTYPE, entity declaration or entity reference stops the read with a
/// fatal error (`XML-DOCTYPE-FORBIDDEN`, `XML-ENTITY-FORBIDDEN`), and a deny-all external
/// entity loader backs that up. Syntax errors throw `XML-SYNTAX` with line and column.
///
/// Structural problems (unknown elements, stray text, wrong namespaces, misplaced attributes)
/// are reported as issues with their FHIRPath location and position, and the content is kept in
/// the tree (flagged `.unknown`) where it can be.
public struct FHIRXMLReader: Sendable {
    public let model: ModelInfo
    public let limits: XMLLimits

    public init(model: ModelInfo, limits: XMLLimits = .default) {
        self.model = model
        self.limits = limits
    }

    public func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(FHIRFormatError) -> ParsedResource {
        guard bytes.count <= limits.maxBytes else {
            throw FHIRFormatError(
                .xmlSizeLimit, "input of \(bytes.count) bytes exceeds the limit of \(limits.maxBytes)")
        }
        let session = XMLParseSession(XMLTreeBuilder(model: model, limits: limits, mode: .resource))
        try session.parse(bytes)
        guard let root = session.builder.root else {
            throw FHIRFormatError(.xmlSyntax, "XML is not well-formed: no root element")
        }
        return ParsedResource(root: root, issues: session.builder.issues)
    }

    public func read(_ bytes: [UInt8]) throws(FHIRFormatError) -> ParsedResource {
        try bytes.withUnsafeBufferPointer { (buf) throws(FHIRFormatError) -> ParsedResource in try read(buf) }
    }

    public func read(_ text: String) throws(FHIRFormatError) -> ParsedResource {
        var text = text
        let result = text.withUTF8 { buf in
            Result { () throws(FHIRFormatError) -> ParsedResource in try read(buf) }
        }
        return try result.get()
    }
}

import CLibXML2
import FHIRModel

/// One-time libxml2 set-up: parser globals and the deny-all external entity loader (a second
/// layer behind the DOCTYPE rejection: nothing external is ever loaded).
enum LibXML {
    static let ready: Bool = {
        xmlInitParser()
        fg_xml_install_deny_loader()
        return true
    }()

    static let fhirNamespace = "http://hl7.org/fhir"
    /// The XML Schema instance namespace (`xsi:`), which FHIR XML must not use.
    static let schemaInstanceNamespace: StaticString = "http://www.w3.org/2001/XMLSchema-instance"

    /// Options for every parse: no network. Never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE
    /// or HUGE.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// Bytes handed to libxml2 per `xmlParseChunk` call.
    static let chunkSize = 1 << 18
}

extension IssueCode {
    /// An `xsi:` attribute (`xsi:schemaLocation`, ...) on a FHIR element: R4 XML content SHALL NOT
    /// name its schema. An error for exchanged content; a loader of definition files may accept
    /// it (authoring tools add it).
    public static let xmlSchemaInstance: IssueCode = "XML-SCHEMA-INSTANCE"
}

/// Reads a SAX2 string argument (NUL-terminated).
@inline(__always)
func saxString(_ p: UnsafePointer<xmlChar>) -> String {
    String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
}

/// Whether a NUL-terminated SAX string equals `s`.
@inline(__always)
func saxEquals(_ p: UnsafePointer<xmlChar>?, _ s: StaticString) -> Bool {
    guard let p else { return false }
    let n = s.utf8CodeUnitCount
    let q = s.utf8Start
    for i in 0..<n where p[i] != q[i] { return false }
    return p[n] == 0
}

/// A SAX2 attribute value (`[begin, end)`, not NUL-terminated) as a string.
///
/// Without entity substitution libxml2 hands `&amp;` over as `&#38;` (for a tree builder to
/// decode again); no other references can remain, because DOCTYPEs are rejected.
func saxAttributeValue(_ begin: UnsafePointer<xmlChar>?, _ end: UnsafePointer<xmlChar>?) -> String {
    guard let begin, let end, end > begin else { return "" }
    let buf = UnsafeBufferPointer(start: begin, count: end - begin)
    guard buf.contains(0x26) else { return String(decoding: buf, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(buf.count)
    var i = 0
    while i < buf.count {
        if buf[i] == 0x26, i + 4 < buf.count, buf[i + 1] == 0x23, buf[i + 2] == 0x33, buf[i + 3] == 0x38,
            buf[i + 4] == 0x3B
        {
            out.append(0x26)
            i += 5
        } else {
            out.append(buf[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// The attributes of a SAX2 start tag (five pointers each), decoded.
func saxAttributes(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) -> [SAXAttribute] {
    guard let attributes, count > 0 else { return [] }
    var result: [SAXAttribute] = []
    result.reserveCapacity(count)
    for i in 0..<count {
        let base = i * 5
        guard let local = attributes[base] else { continue }
        result.append(
            SAXAttribute(
                localname: saxString(local), prefix: attributes[base + 1].map(saxString),
                uri: attributes[base + 2].map(saxString),
                value: saxAttributeValue(attributes[base + 3], attributes[base + 4])))
    }
    return result
}

/// The namespace declarations of a SAX2 start tag (prefix, URI pairs).
func saxNamespaces(_ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) -> [(
    prefix: String?, uri: String
)] {
    guard let namespaces, count > 0 else { return [] }
    var result: [(prefix: String?, uri: String)] = []
    for i in 0..<count {
        result.append((namespaces[2 * i].map(saxString), namespaces[2 * i + 1].map(saxString) ?? ""))
    }
    return result
}

/// Describes a libxml2 parser error without quoting the input.
func libxmlErrorMessage(code: Int32) -> String {
    let known: String? =
        switch UInt32(bitPattern: code) {
        case XML_ERR_DOCUMENT_EMPTY.rawValue: "the document is empty"
        case XML_ERR_DOCUMENT_END.rawValue, XML_ERR_EXTRA_CONTENT.rawValue:
            "content after the root element (text or a second root)"
        case XML_ERR_INVALID_CHAR.rawValue, XML_ERR_INVALID_CHARREF.rawValue, XML_ERR_INVALID_DEC_CHARREF.rawValue,
            XML_ERR_INVALID_HEX_CHARREF.rawValue:
            "a character that XML does not allow"
        case XML_ERR_INVALID_ENCODING.rawValue: "the input is not in the declared encoding (invalid UTF-8?)"
        case XML_ERR_UNSUPPORTED_ENCODING.rawValue, XML_ERR_UNKNOWN_ENCODING.rawValue:
            "the declared encoding is not supported"
        case XML_ERR_TAG_NAME_MISMATCH.rawValue: "the closing tag does not match the open element"
        case XML_ERR_TAG_NOT_FINISHED.rawValue: "an element is not closed before the end of the input"
        case XML_ERR_LTSLASH_REQUIRED.rawValue: "a closing tag '</' was expected"
        case XML_ERR_GT_REQUIRED.rawValue: "'>' was expected to end a tag"
        case XML_ERR_NAME_REQUIRED.rawValue: "a name was expected"
        case XML_ERR_LT_IN_ATTRIBUTE.rawValue: "'<' is not allowed in an attribute value"
        case XML_ERR_ATTRIBUTE_NOT_STARTED.rawValue, XML_ERR_ATTRIBUTE_WITHOUT_VALUE.rawValue:
            "an attribute value must be quoted"
        case XML_ERR_ATTRIBUTE_NOT_FINISHED.rawValue: "an attribute value is not closed"
        case XML_ERR_ATTRIBUTE_REDEFINED.rawValue: "an attribute appears twice on one element"
        case XML_ERR_UNDECLARED_ENTITY.rawValue, XML_WAR_UNDECLARED_ENTITY.rawValue:
            "an entity reference that is not defined"
        case XML_ERR_ENTITYREF_SEMICOL_MISSING.rawValue: "an entity reference is missing its ';'"
        case XML_ERR_STRING_NOT_CLOSED.rawValue, XML_ERR_STRING_NOT_STARTED.rawValue: "a quoted string is not closed"
        case XML_ERR_COMMENT_NOT_FINISHED.rawValue: "a comment is not closed"
        case XML_ERR_PI_NOT_FINISHED.rawValue: "a processing instruction is not closed"
        case XML_ERR_CDATA_NOT_FINISHED.rawValue: "a CDATA section is not closed"
        case XML_ERR_RESERVED_XML_NAME.rawValue: "an XML declaration that is not at the start of the input"
        case XML_ERR_XMLDECL_NOT_FINISHED.rawValue, XML_ERR_VERSION_MISSING.rawValue:
            "the XML declaration is malformed"
        case XML_ERR_MISPLACED_CDATA_END.rawValue: "']]>' is not allowed in text"
        case XML_NS_ERR_UNDEFINED_NAMESPACE.rawValue: "a namespace prefix that is not declared"
        case XML_NS_ERR_QNAME.rawValue: "a malformed qualified name"
        case XML_NS_ERR_XML_NAMESPACE.rawValue: "a reserved namespace prefix is misused"
        default: nil
        }
    if let known { return "XML is not well-formed: \(known)" }
    // libxml2's own messages can quote names and values from the input: keep only the code.
    return "XML is not well-formed (libxml2 error \(code))"
}

import CLibXML2
import FHIRModel

/// One parse: the box holding the tree builder that the libxml2 callbacks reach through the
/// parser's user data (as an unretained `Unmanaged` reference; the session outlives the parse).
final class XMLParseSession {
    var builder: XMLTreeBuilder

    init(_ builder: XMLTreeBuilder) {
        self.builder = builder
    }

    @inline(__always)
    static func from(_ ctx: UnsafeMutableRawPointer?) -> XMLParseSession? {
        guard let ctx else { return nil }
        return Unmanaged<XMLParseSession>.fromOpaque(ctx).takeUnretainedValue()
    }

    static func makeHandler() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        h.initialized = UInt32(truncatingIfNeeded: XML_SAX2_MAGIC)
        h.startElementNs = { ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, _, attributes in
            guard let session = XMLParseSession.from(ctx), let localname else { return }
            session.builder.startElement(
                localname, prefix, uri, Int(nbNamespaces), namespaces, Int(nbAttributes), attributes)
        }
        h.endElementNs = { ctx, localname, prefix, uri in
            guard let session = XMLParseSession.from(ctx), let localname else { return }
            session.builder.endElement(localname, prefix, uri)
        }
        h.characters = { ctx, ch, len in
            guard let session = XMLParseSession.from(ctx), let ch, len > 0 else { return }
            session.builder.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
        }
        h.ignorableWhitespace = h.characters
        h.cdataBlock = h.characters
        h.comment = { ctx, value in
            guard let session = XMLParseSession.from(ctx), let value else { return }
            session.builder.comment(value)
        }
        // A processing instruction is ignored, but it ends a text node (as a comment does).
        h.processingInstruction = { ctx, _, _ in XMLParseSession.from(ctx)?.builder.textRunReported = false }
        // Any DOCTYPE stops the parse: FHIR XML has none, and DTDs carry every entity attack.
        h.internalSubset = { ctx, _, _, _ in
            XMLParseSession.from(ctx)?.builder.stop(.xmlDoctype, "a DOCTYPE declaration is not allowed in FHIR XML")
        }
        h.externalSubset = { ctx, _, _, _ in
            XMLParseSession.from(ctx)?.builder.stop(.xmlDoctype, "a DOCTYPE declaration is not allowed in FHIR XML")
        }
        h.entityDecl = { ctx, _, _, _, _, _ in
            XMLParseSession.from(ctx)?.builder.stop(.xmlEntity, "entity declarations are not allowed in FHIR XML")
        }
        h.unparsedEntityDecl = { ctx, _, _, _, _ in
            XMLParseSession.from(ctx)?.builder.stop(.xmlEntity, "entity declarations are not allowed in FHIR XML")
        }
        h.getEntity = { ctx, _ in
            XMLParseSession.from(ctx)?.builder.stop(.xmlEntity, "entity references are not allowed in FHIR XML")
            return nil
        }
        h.getParameterEntity = { ctx, _ in
            XMLParseSession.from(ctx)?.builder.stop(
                .xmlEntity, "parameter entity references are not allowed in FHIR XML")
            return nil
        }
        h.reference = { ctx, _ in
            XMLParseSession.from(ctx)?.builder.stop(.xmlEntity, "entity references are not allowed in FHIR XML")
        }
        h.resolveEntity = { ctx, _, _ in
            XMLParseSession.from(ctx)?.builder.stop(.xmlEntity, "external entities are not allowed in FHIR XML")
            return nil
        }
        h.serror = { ctx, error in
            guard let session = XMLParseSession.from(ctx), let error else { return }
            session.builder.recordLibXMLError(error.pointee)
        }
        return h
    }

    /// Runs libxml2 over `bytes`, feeding the builder. Throws the first fatal problem.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(FHIRFormatError) {
        _ = LibXML.ready
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw FHIRFormatError(
                .xmlSyntax, "XML is not well-formed: the document is empty",
                position: SourcePosition(line: 1, column: 1))
        }
        var handler = Self.makeHandler()
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        let head = min(4, bytes.count)
        let created: xmlParserCtxtPtr? = base.withMemoryRebound(to: CChar.self, capacity: head) {
            xmlCreatePushParserCtxt(&handler, opaque, $0, Int32(head), nil)
        }
        guard let ctxt = created else {
            throw FHIRFormatError(.xmlSyntax, "could not start the XML parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        builder.ctxt = ctxt
        _ = xmlCtxtUseOptions(ctxt, LibXML.options)
        withExtendedLifetime(self) {
            var offset = head
            repeat {
                let n = min(LibXML.chunkSize, bytes.count - offset)
                let terminate: Int32 = offset + n == bytes.count ? 1 : 0
                (base + offset).withMemoryRebound(to: CChar.self, capacity: max(n, 1)) {
                    _ = xmlParseChunk(ctxt, $0, Int32(n), terminate)
                }
                offset += n
            } while offset < bytes.count && builder.fatal == nil && builder.syntaxError == nil
        }
        let position = builder.currentPosition
        builder.ctxt = nil
        if let fatal = builder.fatal { throw fatal }
        if let syntaxError = builder.syntaxError { throw syntaxError }
        if ctxt.pointee.wellFormed == 0 {
            throw FHIRFormatError(.xmlSyntax, "XML is not well-formed", position: position)
        }
    }
}

extension XMLTreeBuilder {

    mutating func recordLibXMLError(_ error: xmlError) {
        guard fatal == nil, syntaxError == nil else { return }
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let code = Int32(error.code)
        if UInt32(bitPattern: code) == XML_ERR_USER_STOP.rawValue { return }
        let position = SourcePosition(line: Int(error.line), column: Int(error.int2))
        // libxml2's built-in limits (kept: XML_PARSE_HUGE is never set). Their messages are
        // fixed texts, matched here only to classify; nothing from them is passed on.
        if let message = error.message {
            let text = String(cString: message)
            if text.hasPrefix("Excessive depth") {
                syntaxError = FHIRFormatError(
                    .xmlDepthLimit, "elements nested deeper than libxml2 allows (256)", position: position)
                return
            }
            if text.contains("too long") || text.contains("too big") || text.contains("Huge input") {
                syntaxError = FHIRFormatError(
                    .xmlSizeLimit, "a name, value, text or comment is longer than the XML parser allows (10 MB)",
                    position: position)
                return
            }
        }
        let codeValue: IssueCode =
            UInt32(bitPattern: code) == XML_ERR_UNDECLARED_ENTITY.rawValue ? .xmlEntity : .xmlSyntax
        var message = libxmlErrorMessage(code: code)
        switch UInt32(bitPattern: code) {
        case XML_ERR_DOCUMENT_EMPTY.rawValue, XML_ERR_DOCUMENT_END.rawValue, XML_ERR_EXTRA_CONTENT.rawValue:
            if !rootStarted { message = "XML is not well-formed: expected the root element (found text or nothing)" }
        default:
            break
        }
        syntaxError = FHIRFormatError(codeValue, message, position: position)
    }
}

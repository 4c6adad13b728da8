import CLibXML2
import FHIRModel

/// The libxml2 side: the SAX2 handler (non-capturing C callbacks that reach the builder through
/// the parser's user data) and the push-parse loop.
extension XMLTreeBuilder {
    @inline(__always)
    static func from(_ ctx: UnsafeMutableRawPointer?) -> XMLTreeBuilder? {
        guard let ctx else { return nil }
        return Unmanaged<XMLTreeBuilder>.fromOpaque(ctx).takeUnretainedValue()
    }

    static func makeHandler() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        h.initialized = UInt32(truncatingIfNeeded: XML_SAX2_MAGIC)
        h.startElementNs = { ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, _, attributes in
            guard let b = XMLTreeBuilder.from(ctx), let localname, b.fatal == nil else { return }
            b.startElement(
                localname, prefix, uri, Int(nbNamespaces), namespaces, Int(nbAttributes), attributes)
        }
        h.endElementNs = { ctx, localname, prefix, uri in
            guard let b = XMLTreeBuilder.from(ctx), let localname, b.fatal == nil else { return }
            b.endElement(localname, prefix, uri)
        }
        h.characters = { ctx, ch, len in
            guard let b = XMLTreeBuilder.from(ctx), let ch, len > 0, b.fatal == nil else { return }
            b.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
        }
        h.ignorableWhitespace = h.characters
        h.cdataBlock = h.characters
        h.comment = { ctx, value in
            guard let b = XMLTreeBuilder.from(ctx), let value, b.fatal == nil else { return }
            b.comment(value)
        }
        h.processingInstruction = { _, _, _ in }
        // Any DOCTYPE stops the parse: FHIR XML has none, and DTDs carry every entity attack.
        h.internalSubset = { ctx, _, _, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlDoctype, "a DOCTYPE declaration is not allowed in FHIR XML")
        }
        h.externalSubset = { ctx, _, _, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlDoctype, "a DOCTYPE declaration is not allowed in FHIR XML")
        }
        h.entityDecl = { ctx, _, _, _, _, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlEntity, "entity declarations are not allowed in FHIR XML")
        }
        h.unparsedEntityDecl = { ctx, _, _, _, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlEntity, "entity declarations are not allowed in FHIR XML")
        }
        h.getEntity = { ctx, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlEntity, "entity references are not allowed in FHIR XML")
            return nil
        }
        h.getParameterEntity = { ctx, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlEntity, "parameter entity references are not allowed in FHIR XML")
            return nil
        }
        h.reference = { ctx, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlEntity, "entity references are not allowed in FHIR XML")
        }
        h.resolveEntity = { ctx, _, _ in
            XMLTreeBuilder.from(ctx)?.stop(.xmlEntity, "external entities are not allowed in FHIR XML")
            return nil
        }
        h.serror = { ctx, error in
            guard let b = XMLTreeBuilder.from(ctx), let error else { return }
            b.recordLibXMLError(error.pointee)
        }
        return h
    }

    func recordLibXMLError(_ error: xmlError) {
        guard fatal == nil, syntaxError == nil else { return }
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let code = Int32(error.code)
        if UInt32(bitPattern: code) == XML_ERR_USER_STOP.rawValue { return }
        let position = SourcePosition(line: Int(error.line), column: Int(error.int2))
        if UInt32(bitPattern: code) == XML_ERR_INTERNAL_ERROR.rawValue,
            let message = error.message, String(cString: message).hasPrefix("Excessive depth")
        {
            syntaxError = FHIRFormatError(.xmlDepthLimit, "elements nested deeper than libxml2 allows (256)", position: position)
            return
        }
        let codeValue: IssueCode = UInt32(bitPattern: code) == XML_ERR_UNDECLARED_ENTITY.rawValue ? .xmlEntity : .xmlSyntax
        syntaxError = FHIRFormatError(codeValue, libxmlErrorMessage(code: code), position: position)
    }

    /// Runs libxml2 over `bytes`, feeding this builder. Throws the first fatal problem.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(FHIRFormatError) {
        _ = LibXML.ready
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw FHIRFormatError(.xmlSyntax, "XML is not well-formed: the document is empty", position: SourcePosition(line: 1, column: 1))
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
        self.ctxt = ctxt
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
            } while offset < bytes.count && fatal == nil && syntaxError == nil
        }
        self.ctxt = nil
        if let fatal { throw fatal }
        if let syntaxError { throw syntaxError }
        if ctxt.pointee.wellFormed == 0 {
            throw FHIRFormatError(.xmlSyntax, "XML is not well-formed", position: currentPosition)
        }
    }
}

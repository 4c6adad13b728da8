import CLibXML2
import FHIRModel

/// The FHIR XML rules (https://hl7.org/fhir/R4/xml.html), applied event by event.
extension XMLTreeBuilder {
    typealias CString = UnsafePointer<xmlChar>
    typealias CStringArray = UnsafeMutablePointer<UnsafePointer<xmlChar>?>

    mutating func startElement(
        _ localname: CString, _ prefix: CString?, _ uri: CString?, _ nbNamespaces: Int,
        _ namespaces: CStringArray?, _ nbAttributes: Int, _ attributes: CStringArray?
    ) {
        guard fatal == nil else { return }
        textRunReported = false
        depth += 1
        rootStarted = true
        guard depth <= limits.maxDepth else {
            stop(.xmlDepthLimit, "elements nested deeper than \(limits.maxDepth)", at: tagPosition)
            return
        }
        if xhtml != nil {
            xhtmlDepth += 1
            xhtml?.startElement(
                localname: localname, prefix: prefix, uri: uri, nbNamespaces: nbNamespaces, namespaces: namespaces,
                nbAttributes: nbAttributes, attributes: attributes)
            return
        }
        let position = tagPosition
        guard let parentIndex = stack.indices.last else {
            startRoot(localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position)
            return
        }
        switch stack[parentIndex].kind {
        case .skip:
            push(Frame(kind: .skip, node: ElementNode(name: ""), summaryID: -1, key: Int.max))
        case .unknown:
            pushUnknown(localname, nbAttributes, attributes, position)
        case .container:
            startContained(localname, uri, nbAttributes, attributes, position)
        case .resource, .complex, .primitive:
            startChild(
                localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position,
                parentKind: stack[parentIndex].kind, parentSummary: stack[parentIndex].summaryID)
        }
    }

    private mutating func startRoot(
        _ localname: CString, _ prefix: CString?, _ uri: CString?, _ nbNamespaces: Int,
        _ namespaces: CStringArray?, _ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition
    ) {
        if case .xhtmlFragment(let serializerMode) = mode {
            beginNarrative(
                serializerMode, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position)
            return
        }
        let type = name(localname)
        checkResourceNamespace(uri, child: type, position: position)
        guard model.isResourceType(type) else {
            report(.error, .unknownResourceType, "unknown resource type\(shown(type))", path: type, at: position)
            let node = ElementNode(name: type, typeName: type, position: position, flags: [.resource, .unknown])
            push(Frame(kind: .unknown, node: node, summaryID: -1, key: Int.max))
            return
        }
        var node = ElementNode.resource(type)
        node.position = position
        let sid = summaryID(model.type(named: type))
        push(Frame(kind: .resource, node: node, summaryID: sid, key: Int.max))
        checkResourceAttributes(nbAttributes, attributes, position: position)
    }

    /// Checks a resource element's namespace; `child` is its name when it is not on the stack yet.
    private mutating func checkResourceNamespace(_ uri: CString?, child: String?, position: SourcePosition) {
        guard let uri else {
            if acceptedNamespace == nil {
                report(
                    .error, .xmlNamespace, "the resource element has no namespace (expected \(LibXML.fhirNamespace))",
                    path: path(child: child), at: position)
                acceptedNamespace = ""
            }
            return
        }
        if saxEquals(uri, "http://hl7.org/fhir") { return }
        let ns = saxString(uri)
        if ns == acceptedNamespace { return }
        report(
            .error, .xmlNamespace, "the resource element is not in the FHIR namespace (\(LibXML.fhirNamespace))",
            path: path(child: child), at: position)
        if acceptedNamespace == nil { acceptedNamespace = ns }
    }

    /// Whether an element namespace counts as FHIR's (or the one accepted for a misplaced root).
    private func isFHIRNamespace(_ uri: CString?) -> Bool {
        guard let uri else { return acceptedNamespace == "" }
        if saxEquals(uri, "http://hl7.org/fhir") { return true }
        guard let accepted = acceptedNamespace, !accepted.isEmpty else { return false }
        return saxString(uri) == accepted
    }

    /// Reports attributes on the resource element on top of the stack.
    private mutating func checkResourceAttributes(
        _ nbAttributes: Int, _ attributes: CStringArray?, position: SourcePosition
    ) {
        guard let attributes, nbAttributes > 0 else { return }
        for i in 0..<nbAttributes {
            let base = i * 5
            guard let local = attributes[base] else { continue }
            if saxEquals(attributes[base + 2], LibXML.schemaInstanceNamespace) {
                reportSchemaInstanceAttribute(local, position: position)
                continue
            }
            report(
                .error, .xmlUnexpectedAttribute, "unexpected attribute\(shown(name(local))) on a resource element",
                path: path(), at: position)
        }
    }

    private mutating func startContained(
        _ localname: CString, _ uri: CString?, _ nbAttributes: Int, _ attributes: CStringArray?,
        _ position: SourcePosition
    ) {
        let last = stack.count - 1
        if stack[last].containerFilled {
            report(
                .error, .unknownElement, "a resource container holds more than one resource; the extra one is ignored",
                path: path(), at: position)
            push(Frame(kind: .skip, node: ElementNode(name: ""), summaryID: -1, key: Int.max))
            return
        }
        stack[last].containerFilled = true
        let type = name(localname)
        checkResourceNamespace(uri, child: nil, position: position)
        var flags = stack[last].node.flags
        flags.insert(.resource)
        let key = stack[last].key
        let node = ElementNode(
            name: stack[last].node.name, typeName: type, position: stack[last].node.position, flags: flags)
        guard model.isResourceType(type) else {
            report(.error, .unknownResourceType, "unknown resource type\(shown(type))", path: path(), at: position)
            var unknown = node
            unknown.flags.insert(.unknown)
            push(Frame(kind: .unknown, node: unknown, summaryID: -1, key: key))
            return
        }
        let sid = summaryID(model.type(named: type))
        push(Frame(kind: .resource, node: node, summaryID: sid, key: key))
        checkResourceAttributes(nbAttributes, attributes, position: position)
    }

    private mutating func startChild(
        _ localname: CString, _ prefix: CString?, _ uri: CString?, _ nbNamespaces: Int, _ namespaces: CStringArray?,
        _ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition, parentKind: FrameKind,
        parentSummary: Int32
    ) {
        let index = resolveElement(in: parentSummary, localname)
        let kind = index >= 0 ? resolved[Int(index)].kind : nil
        if kind == .xhtml {
            if !saxEquals(uri, "http://www.w3.org/1999/xhtml") {
                report(
                    .error, .xmlNamespace, "the narrative div must be in the XHTML namespace",
                    path: path(child: resolved[Int(index)].name), at: position)
            }
            xhtmlResolved = index
            beginNarrative(
                .faithful, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position)
            return
        }
        guard isFHIRNamespace(uri) else {
            let elementName = name(localname)
            report(
                .error, .xmlNamespace, "element\(shown(elementName)) is not in the FHIR namespace",
                path: path(child: elementName), at: position)
            pushUnknown(localname, nbAttributes, attributes, position)
            return
        }
        guard let kind, kind != .attributeOnly, !(parentKind == .primitive && resolved[Int(index)].name == "value")
        else {
            let elementName = name(localname)
            let message =
                kind == .attributeOnly
                ? "element\(shown(elementName)) must be an XML attribute here, not an element"
                : "unknown element\(shown(elementName))"
            report(.error, .unknownElement, message, path: path(child: elementName), at: position)
            pushUnknown(localname, nbAttributes, attributes, position)
            return
        }
        let r = Int(index)
        switch kind {
        case .container:
            let node = ElementNode(name: resolved[r].name, position: position, flags: resolved[r].flags)
            push(Frame(kind: .container, node: node, summaryID: -1, key: resolved[r].index))
            if nbAttributes > 0 {
                report(
                    .error, .xmlUnexpectedAttribute, "a resource container has no attributes",
                    path: path(), at: position)
            }
        case .primitive, .complex:
            let node = ElementNode(
                name: resolved[r].name, typeName: resolved[r].typeCode, position: position, flags: resolved[r].flags)
            push(
                Frame(
                    kind: kind == .primitive ? .primitive : .complex, node: node,
                    summaryID: resolved[r].childSummaryID, key: resolved[r].index))
            if nbAttributes > 0 { applyAttributes(nbAttributes, attributes, position) }
        case .xhtml, .attributeOnly:
            break
        }
    }

    /// `value` on primitives, and the elements XML carries as attributes (`id`, `url`).
    private mutating func applyAttributes(_ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition)
    {
        guard let attributes else { return }
        let last = stack.count - 1
        for i in 0..<nbAttributes {
            let base = i * 5
            guard let local = attributes[base] else { continue }
            if let attrURI = attributes[base + 2] {
                if saxEquals(attrURI, LibXML.schemaInstanceNamespace) {
                    reportSchemaInstanceAttribute(local, position: position)
                    continue
                }
                report(
                    .error, .xmlUnexpectedAttribute, "unexpected namespaced attribute\(shown(name(local)))",
                    path: path(), at: position)
                continue
            }
            if saxEquals(local, "value") {
                if stack[last].kind == .primitive {
                    stack[last].node.value = saxAttributeValue(attributes[base + 3], attributes[base + 4])
                } else {
                    report(
                        .error, .xmlUnexpectedAttribute, "a 'value' attribute on an element that is not a primitive",
                        path: path(), at: position)
                }
                continue
            }
            let index = resolveAttribute(in: stack[last].summaryID, local)
            guard index >= 0 else {
                report(
                    .error, .xmlUnexpectedAttribute, "unexpected attribute\(shown(name(local)))", path: path(),
                    at: position)
                continue
            }
            let r = Int(index)
            var flags = resolved[r].flags
            flags.remove(.listItem)
            let node = ElementNode(
                name: resolved[r].name, typeName: resolved[r].typeCode,
                value: saxAttributeValue(attributes[base + 3], attributes[base + 4]), position: position, flags: flags)
            attach(node, key: resolved[r].index)
        }
    }

    /// An `xsi:` attribute (`schemaLocation`, `type`, `nil`, ...): R4 XML says exchanged content
    /// SHALL NOT name its schema or even use the schema instance namespace
    /// (https://hl7.org/fhir/R4/xml.html#schema).
    private mutating func reportSchemaInstanceAttribute(_ local: CString, position: SourcePosition) {
        report(
            .error, .xmlSchemaInstance,
            "XML Schema instance attribute\(shown(name(local))) is not allowed in FHIR XML (content must not name a schema)",
            path: path(), at: position)
    }

    /// Keeps an element the definitions do not know, with its `value` and other attributes as
    /// unknown children.
    private mutating func pushUnknown(
        _ localname: CString, _ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition
    ) {
        var node = ElementNode(name: name(localname), position: position, flags: .unknown)
        if let attributes {
            for i in 0..<nbAttributes {
                let base = i * 5
                guard let local = attributes[base], attributes[base + 2] == nil else { continue }
                let value = saxAttributeValue(attributes[base + 3], attributes[base + 4])
                if saxEquals(local, "value") {
                    node.value = value
                } else {
                    node.children.append(
                        ElementNode(name: name(local), value: value, position: position, flags: .unknown))
                }
            }
        }
        push(Frame(kind: .unknown, node: node, summaryID: -1, key: Int.max))
    }

    private mutating func beginNarrative(
        _ serializerMode: XHTMLSerializer.Mode, _ localname: CString, _ prefix: CString?, _ uri: CString?,
        _ nbNamespaces: Int, _ namespaces: CStringArray?, _ nbAttributes: Int, _ attributes: CStringArray?,
        _ position: SourcePosition
    ) {
        var serializer = XHTMLSerializer(mode: serializerMode)
        serializer.startElement(
            localname: localname, prefix: prefix, uri: uri, nbNamespaces: nbNamespaces, namespaces: namespaces,
            nbAttributes: nbAttributes, attributes: attributes)
        xhtml = serializer
        xhtmlDepth = 1
        xhtmlPosition = position
    }

    mutating func endElement(_ localname: CString, _ prefix: CString?, _ uri: CString?) {
        guard fatal == nil else { return }
        textRunReported = false
        depth -= 1
        if xhtml != nil {
            xhtml?.endElement(localname: localname, prefix: prefix, uri: uri)
            xhtmlDepth -= 1
            if xhtmlDepth == 0 { endNarrative() }
            return
        }
        guard var frame = stack.popLast() else { return }
        finish(&frame)
        switch frame.kind {
        case .skip:
            return
        case .container:
            if frame.containerFilled {
                // The resource node already replaced the container's node.
                attach(frame.node, key: frame.key)
            } else {
                report(
                    .error, .unknownElement, "a resource container holds no resource",
                    path: path(child: frame.node.name, childIsListItem: frame.node.isListItem),
                    at: frame.node.position)
            }
        case .resource, .complex, .primitive, .unknown:
            if let last = stack.indices.last, stack[last].kind == .container {
                stack[last].node = frame.node
                return
            }
            attach(frame.node, key: frame.key)
        }
    }

    private mutating func endNarrative() {
        guard let serializer = xhtml else { return }
        xhtml = nil
        if serializer.failed {
            report(
                .error, .invalidPrimitiveValue, "the narrative holds a character XML cannot carry",
                path: path(child: "div"), at: xhtmlPosition)
        }
        if case .xhtmlFragment = mode, stack.isEmpty {
            fragment = serializer.string
            return
        }
        let r = xhtmlResolved
        xhtmlResolved = -1
        let node: ElementNode
        if r >= 0 {
            node = ElementNode(
                name: resolved[Int(r)].name, typeName: "xhtml", value: serializer.string, position: xhtmlPosition,
                flags: resolved[Int(r)].flags)
            attach(node, key: resolved[Int(r)].index)
        } else {
            node = ElementNode(
                name: "div", typeName: "xhtml", value: serializer.string, position: xhtmlPosition, flags: .primitive)
            attach(node, key: Int.max)
        }
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard fatal == nil else { return }
        if xhtml != nil {
            xhtml?.text(bytes)
            return
        }
        guard !stack.isEmpty, !textRunReported else { return }
        for b in bytes where b != 0x20 && b != 0x0A && b != 0x09 && b != 0x0D {
            textRunReported = true
            report(
                .error, .xmlUnexpectedText, "text content is not allowed here (FHIR values go in 'value' attributes)",
                path: path(), at: currentPosition)
            return
        }
    }

    mutating func comment(_ value: CString) {
        textRunReported = false
        guard fatal == nil else { return }
        if xhtml != nil { xhtml?.comment(value) }
    }

    /// ` 'name'` for a message when the name is plain (ASCII letters, digits, `_`, `-`, up to 64
    /// characters), else nothing: messages never carry arbitrary input.
    func shown(_ name: String) -> String {
        let u = name.utf8
        let plain =
            !u.isEmpty && u.count <= 64
            && u.allSatisfy {
                ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F
                    || $0 == 0x2D
            }
        return plain ? " '\(name)'" : ""
    }
}

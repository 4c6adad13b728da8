import CLibXML2
import FHIRModel

/// The FHIR XML rules (https://hl7.org/fhir/R4/xml.html), applied event by event.
extension XMLTreeBuilder {
    typealias CString = UnsafePointer<xmlChar>
    typealias CStringArray = UnsafeMutablePointer<UnsafePointer<xmlChar>?>

    func startElement(
        _ localname: CString, _ prefix: CString?, _ uri: CString?, _ nbNamespaces: Int,
        _ namespaces: CStringArray?, _ nbAttributes: Int, _ attributes: CStringArray?
    ) {
        depth += 1
        guard depth <= limits.maxDepth else {
            stop(.xmlDepthLimit, "elements nested deeper than \(limits.maxDepth)", at: tagPosition)
            return
        }
        if xhtml != nil {
            xhtmlDepth += 1
            xhtml?.startElement(
                localname: localname, prefix: prefix, uri: uri,
                namespaces: saxNamespaces(namespaces, count: nbNamespaces),
                attributes: saxAttributes(attributes, count: nbAttributes))
            return
        }
        let position = tagPosition
        guard let parentIndex = stack.indices.last else {
            startRoot(localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position)
            return
        }
        let parent = stack[parentIndex]
        switch parent.kind {
        case .skip:
            push(Frame(kind: .skip, node: ElementNode(name: ""), summaryID: -1, key: Int.max))
        case .unknown:
            pushUnknown(localname, nbAttributes, attributes, position, report: false)
        case .container:
            startContained(localname, uri, nbAttributes, attributes, position)
        case .resource, .complex, .primitive:
            startChild(localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position, parent)
        }
    }

    private func startRoot(
        _ localname: CString, _ prefix: CString?, _ uri: CString?, _ nbNamespaces: Int,
        _ namespaces: CStringArray?, _ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition
    ) {
        if case .xhtmlFragment(let serializerMode) = mode {
            beginNarrative(serializerMode, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position)
            return
        }
        let type = name(localname)
        checkResourceNamespace(uri, path: type, position: position)
        guard model.isResourceType(type) else {
            report(
                .error, .unknownResourceType, "'\(type)' is not a known resource type", path: type, at: position)
            var node = ElementNode(name: type, typeName: type, position: position, flags: [.resource, .unknown])
            node.value = nil
            push(Frame(kind: .unknown, node: node, summaryID: -1, key: Int.max))
            return
        }
        var node = ElementNode.resource(type)
        node.position = position
        push(Frame(kind: .resource, node: node, summaryID: summaryID(model.type(named: type)), key: Int.max))
        checkResourceAttributes(nbAttributes, attributes, path: type, position: position)
    }

    private func checkResourceNamespace(_ uri: CString?, path: String, position: SourcePosition) {
        guard let uri else {
            if acceptedNamespace == nil {
                report(
                    .error, .xmlNamespace, "the resource element has no namespace (expected \(LibXML.fhirNamespace))",
                    path: path, at: position)
                acceptedNamespace = ""
            }
            return
        }
        if saxEquals(uri, "http://hl7.org/fhir") { return }
        let ns = saxString(uri)
        if ns == acceptedNamespace { return }
        report(
            .error, .xmlNamespace, "the resource element is not in the FHIR namespace (\(LibXML.fhirNamespace))",
            path: path, at: position)
        if acceptedNamespace == nil { acceptedNamespace = ns }
    }

    /// Whether an element namespace counts as FHIR's (or the one accepted for a misplaced root).
    private func isFHIRNamespace(_ uri: CString?) -> Bool {
        guard let uri else { return acceptedNamespace == "" }
        if saxEquals(uri, "http://hl7.org/fhir") { return true }
        guard let accepted = acceptedNamespace, !accepted.isEmpty else { return false }
        return saxString(uri) == accepted
    }

    private func checkResourceAttributes(_ nbAttributes: Int, _ attributes: CStringArray?, path: String, position: SourcePosition) {
        guard let attributes, nbAttributes > 0 else { return }
        for i in 0..<nbAttributes {
            let base = i * 5
            guard let local = attributes[base] else { continue }
            if saxEquals(attributes[base + 2], "http://www.w3.org/2001/XMLSchema-instance") { continue }
            report(
                .error, .xmlUnexpectedAttribute, "unexpected attribute '\(name(local))' on a resource element",
                path: path, at: position)
        }
    }

    private func startContained(
        _ localname: CString, _ uri: CString?, _ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition
    ) {
        let last = stack.count - 1
        let container = stack[last]
        if container.containerFilled {
            report(
                .error, .unknownElement, "a resource container holds more than one resource; the extra one is ignored",
                path: path(), at: position)
            push(Frame(kind: .skip, node: ElementNode(name: ""), summaryID: -1, key: Int.max))
            return
        }
        stack[last].containerFilled = true
        let type = name(localname)
        checkResourceNamespace(uri, path: path(), position: position)
        var flags = container.node.flags
        flags.insert(.resource)
        let node = ElementNode(name: container.node.name, typeName: type, position: container.node.position, flags: flags)
        guard model.isResourceType(type) else {
            report(.error, .unknownResourceType, "'\(type)' is not a known resource type", path: path(), at: position)
            var unknown = node
            unknown.flags.insert(.unknown)
            push(Frame(kind: .unknown, node: unknown, summaryID: -1, key: container.key))
            return
        }
        push(Frame(kind: .resource, node: node, summaryID: summaryID(model.type(named: type)), key: container.key))
        checkResourceAttributes(nbAttributes, attributes, path: path(), position: position)
    }

    private func startChild(
        _ localname: CString, _ prefix: CString?, _ uri: CString?, _ nbNamespaces: Int, _ namespaces: CStringArray?,
        _ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition, _ parent: Frame
    ) {
        let resolved = resolveElement(in: parent.summaryID, localname)
        if let r = resolved, r.kind == .xhtml {
            if !saxEquals(uri, "http://www.w3.org/1999/xhtml") {
                report(
                    .error, .xmlNamespace, "the narrative div must be in the XHTML namespace",
                    path: path(child: r.name), at: position)
            }
            xhtmlResolved = r
            beginNarrative(.faithful, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes, position)
            return
        }
        guard isFHIRNamespace(uri) else {
            report(
                .error, .xmlNamespace, "element '\(name(localname))' is not in the FHIR namespace",
                path: path(child: name(localname)), at: position)
            pushUnknown(localname, nbAttributes, attributes, position, report: false)
            return
        }
        guard let r = resolved, r.kind != .attributeOnly, !(parent.kind == .primitive && r.name == "value") else {
            let message =
                resolved?.kind == .attributeOnly
                ? "'\(name(localname))' must be an XML attribute here, not an element"
                : "unknown element '\(name(localname))'"
            report(.error, .unknownElement, message, path: path(child: name(localname)), at: position)
            pushUnknown(localname, nbAttributes, attributes, position, report: false)
            return
        }
        switch r.kind {
        case .container:
            let node = ElementNode(name: r.name, position: position, flags: r.flags)
            push(Frame(kind: .container, node: node, summaryID: -1, key: r.index))
            if nbAttributes > 0 {
                report(
                    .error, .xmlUnexpectedAttribute, "a resource container has no attributes",
                    path: path(), at: position)
            }
        case .primitive, .complex:
            let node = ElementNode(name: r.name, typeName: r.typeCode, position: position, flags: r.flags)
            push(Frame(kind: r.kind == .primitive ? .primitive : .complex, node: node, summaryID: r.childSummaryID, key: r.index))
            if nbAttributes > 0 { applyAttributes(nbAttributes, attributes, position) }
        case .xhtml, .attributeOnly:
            break
        }
    }

    /// `value` on primitives, and the elements XML carries as attributes (`id`, `url`).
    private func applyAttributes(_ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition) {
        guard let attributes else { return }
        let last = stack.count - 1
        for i in 0..<nbAttributes {
            let base = i * 5
            guard let local = attributes[base] else { continue }
            if let attrURI = attributes[base + 2] {
                if saxEquals(attrURI, "http://www.w3.org/2001/XMLSchema-instance") { continue }
                report(
                    .error, .xmlUnexpectedAttribute, "unexpected namespaced attribute '\(name(local))'",
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
            guard let r = resolveAttribute(in: stack[last].summaryID, local) else {
                report(
                    .error, .xmlUnexpectedAttribute, "unexpected attribute '\(name(local))'", path: path(),
                    at: position)
                continue
            }
            var flags = r.flags
            flags.remove(.listItem)
            let node = ElementNode(
                name: r.name, typeName: r.typeCode,
                value: saxAttributeValue(attributes[base + 3], attributes[base + 4]), position: position, flags: flags)
            attach(node, key: r.index)
        }
    }

    /// Keeps an element the definitions do not know, with its `value` and other attributes as
    /// unknown children.
    private func pushUnknown(
        _ localname: CString, _ nbAttributes: Int, _ attributes: CStringArray?, _ position: SourcePosition, report: Bool
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
                    node.children.append(ElementNode(name: name(local), value: value, position: position, flags: .unknown))
                }
            }
        }
        push(Frame(kind: .unknown, node: node, summaryID: -1, key: Int.max))
    }

    private func beginNarrative(
        _ serializerMode: XHTMLSerializer.Mode, _ localname: CString, _ prefix: CString?, _ uri: CString?,
        _ nbNamespaces: Int, _ namespaces: CStringArray?, _ nbAttributes: Int, _ attributes: CStringArray?,
        _ position: SourcePosition
    ) {
        var serializer = XHTMLSerializer(mode: serializerMode)
        serializer.startElement(
            localname: localname, prefix: prefix, uri: uri, namespaces: saxNamespaces(namespaces, count: nbNamespaces),
            attributes: saxAttributes(attributes, count: nbAttributes))
        xhtml = serializer
        xhtmlDepth = 1
        xhtmlPosition = position
    }

    func endElement(_ localname: CString, _ prefix: CString?, _ uri: CString?) {
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

    private func endNarrative() {
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
        xhtmlResolved = nil
        let node = ElementNode(
            name: r?.name ?? "div", typeName: "xhtml", value: serializer.string, position: xhtmlPosition,
            flags: r?.flags ?? .primitive)
        attach(node, key: r?.index ?? Int.max)
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if xhtml != nil {
            xhtml?.text(bytes)
            return
        }
        guard let last = stack.indices.last, !stack[last].textReported else { return }
        for b in bytes where b != 0x20 && b != 0x0A && b != 0x09 && b != 0x0D {
            stack[last].textReported = true
            report(
                .error, .xmlUnexpectedText, "text content is not allowed here (FHIR values go in 'value' attributes)",
                path: path(), at: currentPosition)
            return
        }
    }

    func comment(_ value: CString) {
        if xhtml != nil { xhtml?.comment(value) }
    }
}

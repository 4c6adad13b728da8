import FHIRModel

/// Writes an element tree as FHIR XML (https://hl7.org/fhir/R4/xml.html).
///
/// The root is in the FHIR namespace; primitives carry `value` attributes; the elements that XML
/// carries as attributes (`Element.id`, `Extension.url`) are attributes; choice elements use their
/// typed name (`valueQuantity`); resources inside containers are wrapped
/// (`<contained><Patient>...</Patient></contained>`); the narrative `div` is checked as XML and
/// written in the XHTML namespace. Elements come out in tree order; output is deterministic.
public struct FHIRXMLWriter: Sendable {
    public let model: ModelInfo
    public let pretty: Bool
    /// Whether to start with `<?xml version="1.0" encoding="UTF-8"?>`.
    public let xmlDeclaration: Bool
    /// Deepest tree accepted (the tree is walked recursively).
    public var maxDepth = 512

    /// Names of the elements the model carries as XML attributes (`id`, `url`): a cheap first test.
    private let attributeNames: [String]

    public init(model: ModelInfo, pretty: Bool = false, xmlDeclaration: Bool = true) {
        self.model = model
        self.pretty = pretty
        self.xmlDeclaration = xmlDeclaration
        var names: Set<String> = ["id", "url"]
        for type in model.types {
            for element in type.elements where element.isXMLAttribute { names.insert(element.name) }
        }
        attributeNames = names.sorted()
    }

    /// Writes a resource node. Throws when the tree cannot be written as XML (a value holding
    /// a character XML 1.0 cannot carry, a narrative that is not well-formed XHTML).
    public func write(_ node: ElementNode) throws(FHIRFormatError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        if xmlDeclaration {
            XMLEscaping.appendASCII("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", to: &out)
            if pretty { out.append(0x0A) }
        }
        let type = node.typeName ?? node.name
        do throws(FHIRFormatError) {
            try writeResource(node, type: type, rootNamespace: true, depth: 0, to: &out)
        } catch {
            var error = error
            error.issue.path = prefixPath(type, error.issue.path)
            throw error
        }
        if pretty { out.append(0x0A) }
        return out
    }

    /// Writes a resource node as a string; see ``write(_:)``.
    public func writeString(_ node: ElementNode) throws(FHIRFormatError) -> String {
        String(decoding: try write(node), as: UTF8.self)
    }

    // MARK: - Nodes

    private func writeResource(
        _ node: ElementNode, type: String, rootNamespace: Bool, depth: Int, to out: inout [UInt8]
    ) throws(FHIRFormatError) {
        guard XMLEscaping.isWritableName(type) else {
            throw FHIRFormatError(.invalidPrimitiveValue, "a resource type that is not a valid XML name")
        }
        indent(depth, &out)
        out.append(0x3C)
        XMLEscaping.appendRaw(type, to: &out)
        if rootNamespace { XMLEscaping.appendASCII(" xmlns=\"http://hl7.org/fhir\"", to: &out) }
        let summary = model.type(named: type)
        try writeContent(node, summary: summary, isResource: true, name: type, depth: depth, to: &out)
    }

    /// Writes the attributes, children and end tag of an element whose start tag is open.
    private func writeContent(
        _ node: ElementNode, summary: TypeSummary?, isResource: Bool, name: String, depth: Int, to out: inout [UInt8]
    ) throws(FHIRFormatError) {
        guard depth < maxDepth else {
            throw FHIRFormatError(.xmlDepthLimit, "the tree is nested deeper than \(maxDepth)")
        }
        var hasElements = false
        for child in node.children {
            if isAttribute(child, of: node, summary: summary, isResource: isResource) {
                try writeAttribute(child.wireName, child.value ?? "", to: &out)
            } else {
                hasElements = true
            }
        }
        if node.isPrimitive || (node.value != nil && !isResource) {
            if let value = node.value { try writeAttribute("value", value, to: &out) }
        }
        guard hasElements else {
            XMLEscaping.appendASCII("/>", to: &out)
            return
        }
        out.append(0x3E)
        for (i, child) in node.children.enumerated()
        where !isAttribute(child, of: node, summary: summary, isResource: isResource) {
            do throws(FHIRFormatError) {
                try writeChild(child, in: summary, depth: depth + 1, to: &out)
            } catch {
                var error = error
                var segment = child.name
                if child.isListItem {
                    let index = node.children[..<i].reduce(0) { $0 + ($1.name == child.name && $1.isListItem ? 1 : 0) }
                    segment += "[\(index)]"
                }
                error.issue.path = prefixPath(segment, error.issue.path)
                throw error
            }
        }
        indent(depth, &out)
        out.append(0x3C)
        out.append(0x2F)
        XMLEscaping.appendRaw(name, to: &out)
        out.append(0x3E)
    }

    private func writeChild(_ child: ElementNode, in parent: TypeSummary?, depth: Int, to out: inout [UInt8])
        throws(FHIRFormatError)
    {
        if child.isUnknown || parent == nil {
            guard XMLEscaping.isWritableName(child.wireName) else {
                throw FHIRFormatError(.invalidPrimitiveValue, "an element name that is not a valid XML name")
            }
        }
        if child.isPrimitive && child.children.isEmpty && child.typeName != "xhtml" {
            // The common case needs no definitions: <name value="..."/>.
            indent(depth, &out)
            out.append(0x3C)
            XMLEscaping.appendRaw(child.isChoice ? child.wireName : child.name, to: &out)
            if let value = child.value { try writeAttribute("value", value, to: &out) }
            XMLEscaping.appendASCII("/>", to: &out)
            return
        }
        let element = child.isUnknown ? nil : parent?.element(named: child.name)
        if child.isResource, let type = child.typeName {
            // <contained><Patient>...</Patient></contained>
            indent(depth, &out)
            out.append(0x3C)
            XMLEscaping.appendRaw(child.name, to: &out)
            out.append(0x3E)
            try writeResource(child, type: type, rootNamespace: false, depth: depth + 1, to: &out)
            indent(depth, &out)
            out.append(0x3C)
            out.append(0x2F)
            XMLEscaping.appendRaw(child.name, to: &out)
            out.append(0x3E)
            return
        }
        if child.typeName == "xhtml" {
            try writeNarrative(child, depth: depth, to: &out)
            return
        }
        let wireName = child.wireName
        indent(depth, &out)
        out.append(0x3C)
        XMLEscaping.appendRaw(wireName, to: &out)
        var summary: TypeSummary?
        if let type = child.typeName {
            if let element {
                summary = model.childSummary(of: element, type: type)
            } else {
                summary = model.type(named: type)
            }
        }
        try writeContent(child, summary: summary, isResource: false, name: wireName, depth: depth, to: &out)
    }

    private func writeNarrative(_ node: ElementNode, depth: Int, to out: inout [UInt8]) throws(FHIRFormatError) {
        guard let value = node.value else {
            throw FHIRFormatError(.invalidPrimitiveValue, "the narrative div has no content")
        }
        let normalized: String
        do throws(FHIRFormatError) {
            normalized = try XHTMLNarrative.normalized(value)
        } catch {
            throw FHIRFormatError(
                .invalidPrimitiveValue, "the narrative is not well-formed XHTML (\(error.issue.message))")
        }
        indent(depth, &out)
        XMLEscaping.appendRaw(normalized, to: &out)
    }

    // MARK: - Helpers

    /// Whether a child is written as an XML attribute of its parent.
    private func isAttribute(_ child: ElementNode, of parent: ElementNode, summary: TypeSummary?, isResource: Bool)
        -> Bool
    {
        guard !isResource, !child.isListItem, child.value != nil, attributeNames.contains(child.name),
            child.children.isEmpty
        else { return false }
        if !child.isUnknown, let element = summary?.element(named: child.name) { return element.isXMLAttribute }
        // No definitions at hand: the two FHIR R4 attributes.
        return child.name == "id" || (child.name == "url" && parent.typeName == "Extension")
    }

    private func writeAttribute(_ name: String, _ value: String, to out: inout [UInt8]) throws(FHIRFormatError) {
        out.append(0x20)
        XMLEscaping.appendRaw(name, to: &out)
        out.append(0x3D)
        out.append(0x22)
        guard XMLEscaping.append(value, inAttribute: true, to: &out) else {
            throw FHIRFormatError(
                .invalidPrimitiveValue, "the value of '\(name)' holds a character XML 1.0 cannot represent")
        }
        out.append(0x22)
    }

    @inline(__always)
    private func indent(_ depth: Int, _ out: inout [UInt8]) {
        guard pretty else { return }
        if !out.isEmpty && out.last != 0x0A { out.append(0x0A) }
        out.append(contentsOf: repeatElement(0x20, count: depth * 2))
    }

    private func prefixPath(_ segment: String, _ rest: String?) -> String {
        guard let rest, !rest.isEmpty else { return segment }
        return segment + "." + rest
    }
}

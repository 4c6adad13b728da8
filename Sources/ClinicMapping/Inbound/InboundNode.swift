import FHIRModel

/// A node of the input tree with its FHIRPath location (`Bundle.entry[2].resource.subject`),
/// so every problem can name where it is without quoting what is there.
struct InboundNode: Sendable {
    var node: ElementNode
    var path: String

    init(_ node: ElementNode, path: String) {
        self.node = node
        self.path = path
    }

    /// The first child named `name` (a choice element by its base name).
    func child(_ name: String) -> InboundNode? {
        children(name).first
    }

    /// The children named `name`, each with its index when the element repeats.
    func children(_ name: String) -> [InboundNode] {
        var out: [InboundNode] = []
        var index = 0
        for c in node.children where c.name == name {
            let here = path + "." + name + (c.isListItem ? "[\(index)]" : "")
            out.append(InboundNode(c, path: here))
            index += 1
        }
        return out
    }

    /// The value of the first primitive child named `name`, when it has a non-blank one.
    func value(_ name: String) -> String? {
        guard let v = node.child(named: name)?.value, v.contains(where: { !$0.isWhitespace }) else { return nil }
        return v
    }

    /// A choice child (`value[x]`) of the given type (`Code`, `Coding`), by its JSON name.
    func choice(_ base: String, _ type: String) -> InboundNode? {
        let wire = base + type
        guard let c = node.children.first(where: { $0.wireName == wire || $0.name == wire }) else { return nil }
        return InboundNode(c, path: path + "." + c.name)
    }

    /// This node's own primitive value, when non-blank.
    var primitive: String? {
        guard let v = node.value, v.contains(where: { !$0.isWhitespace }) else { return nil }
        return v
    }

    /// The codings of a CodeableConcept.
    var codings: [InboundNode] { children("coding") }

    /// The codes (`system`, `code`) of the `meta.security` labels of a resource.
    var securityLabels: [String] {
        (child("meta")?.children("security") ?? []).compactMap { $0.value("code") }
    }
}

/// A resource of the input: the Bundle entry's resource, the root, or a contained resource.
struct InboundResource: Sendable {
    var node: InboundNode
    /// `Bundle.entry.fullUrl`, when the resource is an entry.
    var fullUrl: String?
    /// The index of the Bundle entry (nil for the root and for contained resources).
    var entryIndex: Int?
    /// For a contained resource: the resource that contains it, and what names that resource
    /// (its `fullUrl`, else `Type/id`), for ids derived from a contained resource.
    var containerPath: String?
    var containerKey: String?

    var type: String { node.node.resourceType ?? node.node.typeName ?? node.node.name }
    var id: String? { node.value("id") }
    var path: String { node.path }
}

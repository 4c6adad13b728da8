/// One node of the lossless FHIR element tree: a resource, a complex element or a primitive.
///
/// This single tree type is what the JSON and XML readers produce and what FHIRPath, the
/// validator, the translator and the writers consume.
///
/// - A **resource** node has `typeName` set to the resource type and `isResource` set; its
///   children are the resource's elements. A contained resource or `Bundle.entry.resource` is a
///   child node named `contained` / `resource` that is itself a resource node.
/// - A **primitive** node keeps its value as the exact lexeme (`1.10`, `0.5e2`, `2024-03`) in
///   `value`; its children are only `id` and `extension` nodes (JSON `_name`, XML child elements).
/// - A **choice** element (`value[x]`) is stored under its base name (`value`) with `typeName`
///   set to the chosen type (`Quantity`) and `isChoice` set; writers add the suffix back.
/// - Repeating elements are consecutive siblings with the same name, each with `isListItem`.
/// - The xhtml narrative `div` is a primitive of type `xhtml` whose value is the XHTML text.
/// - Elements that the definitions do not know are kept with `isUnknown` set (and reported by the
///   reader), so nothing is dropped silently.
public struct ElementNode: Sendable {
    /// The element name without a choice suffix (`value`, `given`, `contained`).
    public var name: String
    /// The FHIR type code of this node (`string`, `Quantity`, `Patient`, `BackboneElement`),
    /// or `nil` when it is not known (untyped reading, unknown elements).
    public var typeName: String?
    /// The exact primitive lexeme, or `nil` for complex nodes and primitives with no value
    /// (a primitive carrying only extensions).
    public var value: String?
    /// Child nodes in definition order (repeats adjacent).
    public var children: [ElementNode]
    /// Where the node starts in its source document.
    public var position: SourcePosition
    /// The storage of ``flags``. It has its own name so that the synthesized memberwise
    /// initializer, `init(name:typeName:value:children:position:_flags:)`, differs from the
    /// public one below and can back it: building a node through the memberwise initializer
    /// lets the optimizer skip a redundant copy that an explicit `self.x = x` initializer
    /// currently costs (a retain and a release of every field, per node). The stored layout is
    /// the same as with a stored `flags`.
    @usableFromInline var _flags: Flags

    /// Structural flags; see ``Flags``.
    @inlinable public var flags: Flags {
        get { _flags }
        set { _flags = newValue }
    }

    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The node is a resource (root, contained, entry resource, parameter resource).
        public static let resource = Flags(rawValue: 1 << 0)
        /// The node is one item of a repeating element (a JSON array).
        public static let listItem = Flags(rawValue: 1 << 1)
        /// The node is a choice element; its JSON/XML name is `name` + capitalised `typeName`.
        public static let choice = Flags(rawValue: 1 << 2)
        /// The definitions did not know this element; it is kept verbatim.
        public static let unknown = Flags(rawValue: 1 << 3)
        /// The value was a JSON number in the source (for untyped/unknown primitives).
        public static let jsonNumber = Flags(rawValue: 1 << 4)
        /// The value was a JSON boolean in the source (for untyped/unknown primitives).
        public static let jsonBoolean = Flags(rawValue: 1 << 5)
        /// The node is a primitive (it may have no value and only id/extension children).
        public static let primitive = Flags(rawValue: 1 << 6)
    }

    /// Creates a resource node of the given type.
    public static func resource(_ type: String, children: [ElementNode] = [], name: String? = nil) -> ElementNode {
        ElementNode(name: name ?? type, typeName: type, children: children, flags: .resource)
    }

    /// Creates a primitive node.
    public static func primitive(
        _ name: String, type: String, value: String?, children: [ElementNode] = [], listItem: Bool = false
    ) -> ElementNode {
        var flags: Flags = .primitive
        if listItem { flags.insert(.listItem) }
        return ElementNode(name: name, typeName: type, value: value, children: children, flags: flags)
    }

    public var isResource: Bool { flags.contains(.resource) }
    public var isPrimitive: Bool { flags.contains(.primitive) }
    public var isListItem: Bool { flags.contains(.listItem) }
    public var isChoice: Bool { flags.contains(.choice) }
    public var isUnknown: Bool { flags.contains(.unknown) }

    /// The name this node has in JSON and XML (`valueQuantity` for a choice, else `name`).
    public var wireName: String {
        guard isChoice, let t = typeName, let first = t.first else { return name }
        return name + first.uppercased() + t.dropFirst()
    }
}

// The public initializer lives in an extension so that the memberwise one is still synthesized.
extension ElementNode {
    public init(
        name: String, typeName: String? = nil, value: String? = nil, children: [ElementNode] = [],
        position: SourcePosition = .unknown, flags: Flags = []
    ) {
        self.init(name: name, typeName: typeName, value: value, children: children, position: position, _flags: flags)
    }
}

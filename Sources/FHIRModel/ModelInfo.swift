/// What the readers, writers, FHIRPath and the validator need to know about FHIR types:
/// for every type (and every backbone element, keyed by its path) its elements in definition
/// order, their types, and whether they repeat.
///
/// `FHIRModel` owns this summary; `FHIRDefinitions` builds it from StructureDefinitions (and
/// caches it on disk), so lower layers never import the definitions layer.
public final class ModelInfo: Sendable {
    /// Every type summary: primitives, complex types, resources, and backbone elements
    /// (the latter named by path, e.g. `Questionnaire.item`).
    public let types: [TypeSummary]
    private let index: [String: Int]

    /// The FHIR version these definitions describe (`4.0.1`).
    public let fhirVersion: String

    public init(types: [TypeSummary], fhirVersion: String) {
        self.types = types
        self.fhirVersion = fhirVersion
        var index: [String: Int] = [:]
        index.reserveCapacity(types.count)
        for (i, t) in types.enumerated() { index[t.name] = i }
        self.index = index
    }

    /// The summary of a type or backbone path.
    public func type(named name: String) -> TypeSummary? {
        guard let i = index[name] else { return nil }
        return types[i]
    }

    /// Whether `name` is a resource type (`Patient`, `Bundle`; not `Resource` or `DomainResource`).
    public func isResourceType(_ name: String) -> Bool {
        guard let t = type(named: name) else { return false }
        return t.kind == .resource && !t.isAbstract
    }

    /// Whether `name` is a primitive type (`string`, `decimal`, `xhtml`).
    public func isPrimitiveType(_ name: String) -> Bool {
        type(named: name)?.kind == .primitive
    }

    /// The summary that describes the children of an element of `element` with the chosen type:
    /// the backbone summary for inline elements, else the named type.
    public func childSummary(of element: ElementSummary, type typeCode: String) -> TypeSummary? {
        if let backbone = element.backbonePath { return self.type(named: backbone) }
        return self.type(named: typeCode)
    }

    /// Whether `derived` is `base` or a specialisation of it (`Patient` is a `DomainResource`).
    public func isType(_ derived: String, a base: String) -> Bool {
        var current: String? = derived
        var guardCount = 0
        while let name = current, guardCount < 32 {
            if name == base { return true }
            current = type(named: name)?.baseType
            guardCount += 1
        }
        return false
    }
}

/// The summary of one type or backbone element.
public struct TypeSummary: Sendable {
    public enum Kind: UInt8, Sendable {
        case primitive, complex, resource, backbone, logical
    }

    /// `Patient`, `Quantity`, `string`, or a backbone path such as `Patient.contact`.
    public let name: String
    public let kind: Kind
    /// The type this one specialises (`DomainResource` for `Patient`), if any.
    public let baseType: String?
    public let isAbstract: Bool
    /// The canonical URL of the defining StructureDefinition (empty for backbones).
    public let url: String
    /// Elements in definition order, inherited ones included.
    public let elements: [ElementSummary]
    private let byName: [String: Int]
    /// JSON/XML names to (element index, type code): `valueQuantity` -> (value, Quantity),
    /// and plain names to (index, sole type or "").
    private let byWireName: [String: WireName]

    public struct WireName: Sendable {
        public let element: Int
        public let typeCode: String
    }

    public init(
        name: String, kind: Kind, baseType: String?, isAbstract: Bool, url: String, elements: [ElementSummary]
    ) {
        self.name = name
        self.kind = kind
        self.baseType = baseType
        self.isAbstract = isAbstract
        self.url = url
        self.elements = elements
        var byName: [String: Int] = [:]
        var byWire: [String: WireName] = [:]
        for (i, e) in elements.enumerated() {
            byName[e.name] = i
            if e.isChoice {
                for t in e.types {
                    guard let first = t.first else { continue }
                    byWire[e.name + first.uppercased() + t.dropFirst()] = WireName(element: i, typeCode: t)
                }
            } else {
                byWire[e.name] = WireName(element: i, typeCode: e.types.first ?? "")
            }
        }
        self.byName = byName
        self.byWireName = byWire
    }

    /// The element with this base name (`value` for `value[x]`).
    public func element(named name: String) -> ElementSummary? {
        guard let i = byName[name] else { return nil }
        return elements[i]
    }

    /// The index of the element with this base name, for ordering.
    public func elementIndex(named name: String) -> Int? { byName[name] }

    /// Resolves a name as it appears in JSON or XML (`valueQuantity`, `given`) to its element and
    /// the type code it carries. Returns `nil` for an unknown name.
    public func resolve(wireName: String) -> (element: ElementSummary, index: Int, typeCode: String)? {
        guard let w = byWireName[wireName] else { return nil }
        return (elements[w.element], w.element, w.typeCode)
    }
}

/// The summary of one element of a type.
public struct ElementSummary: Sendable {
    /// The base name (`value` for `value[x]`, `given`).
    public let name: String
    /// Allowed type codes (`string`, `Quantity`, `Resource`, `BackboneElement`, `Reference`).
    public let types: [String]
    /// Whether the element repeats (max > 1 or `*`): JSON arrays.
    public let isArray: Bool
    /// Whether the element is a choice (`value[x]`).
    public let isChoice: Bool
    /// Minimum cardinality.
    public let min: Int
    /// Whether XML carries the element as an attribute (`id` of elements, `Extension.url`).
    public let isXMLAttribute: Bool
    /// For inline (backbone) elements, the path of the summary holding their children, e.g.
    /// `Questionnaire.item` (also for `contentReference` such as `Questionnaire.item.item`).
    public let backbonePath: String?
    /// Whether the element is a modifier.
    public let isModifier: Bool
    /// Whether the element is in the summary view.
    public let isSummary: Bool

    public init(
        name: String, types: [String], isArray: Bool, isChoice: Bool, min: Int, isXMLAttribute: Bool,
        backbonePath: String?, isModifier: Bool = false, isSummary: Bool = false
    ) {
        self.name = name
        self.types = types
        self.isArray = isArray
        self.isChoice = isChoice
        self.min = min
        self.isXMLAttribute = isXMLAttribute
        self.backbonePath = backbonePath
        self.isModifier = isModifier
        self.isSummary = isSummary
    }

    /// Whether the element holds a resource (`contained`, `Bundle.entry.resource`).
    public var holdsResource: Bool { types.count == 1 && types[0] == "Resource" }
}

import FHIRModel

/// A FHIR element being evaluated, with the resources that enclose it.
///
/// `scope` is the nearest enclosing resource (the node itself when it is a resource) and, through
/// its parents, the containing resources up to the root: that is what `%resource`,
/// `%rootResource` and `resolve()` need. Scopes are only created when navigation enters a
/// resource node, so walking ordinary elements allocates nothing extra.
public struct FHIRPathNode: Sendable {
    public let element: ElementNode
    public let scope: FHIRPathScope?

    public init(element: ElementNode, scope: FHIRPathScope?) {
        self.element = element
        self.scope = scope
    }

    /// A root node for a resource or element given by a caller.
    public init(root element: ElementNode) {
        self.element = element
        self.scope = element.isResource ? FHIRPathScope(resource: element, parent: nil) : nil
    }

    /// The FHIR type code (`Patient`, `HumanName`, `string`, `BackboneElement`), if known.
    @inlinable public var typeName: String? { element.typeName }

    /// A child of this node as a FHIRPath node: a resource child opens a new scope.
    @inlinable func child(_ element: ElementNode) -> FHIRPathNode {
        if element.isResource {
            return FHIRPathNode(element: element, scope: FHIRPathScope(resource: element, parent: scope))
        }
        return FHIRPathNode(element: element, scope: scope)
    }

    /// A node for `element` found inside `scope` (a resource opens a scope of its own).
    @inlinable static func make(_ element: ElementNode, in scope: FHIRPathScope?) -> FHIRPathNode {
        if element.isResource {
            return FHIRPathNode(element: element, scope: FHIRPathScope(resource: element, parent: scope))
        }
        return FHIRPathNode(element: element, scope: scope)
    }

    /// The System value of a primitive or Quantity node; see ``FHIRPathValue/systemValue``.
    public var systemValue: FHIRPathValue? { Self.systemValue(of: element) }

    /// The System value FHIRPath reads from `e` as a node (``systemValue``), without making one.
    public static func systemValue(of e: ElementNode) -> FHIRPathValue? {
        guard e.isPrimitive || e.typeName == nil else {
            return FHIRPathNode.quantityValue(of: e).map { .quantity($0) }
        }
        guard let lexeme = e.value else { return nil }
        guard let type = e.typeName else {
            if e.flags.contains(.jsonBoolean) { return .boolean(lexeme == "true") }
            if e.flags.contains(.jsonNumber) {
                if let i = Int(lexeme), !lexeme.contains(".") { return .integer(i) }
                return FHIRDecimal(lexeme).map { .decimal($0) } ?? .string(lexeme)
            }
            return .string(lexeme)
        }
        // Most primitives are strings (string, uri, id, markdown...): a type name whose length and
        // first letter no converted type has skips the comparisons below.
        guard Self.mayConvert(type) else { return .string(lexeme) }
        switch type {
        case "boolean": return .boolean(lexeme == "true")
        case "integer", "positiveInt", "unsignedInt":
            return Int(lexeme).map { .integer($0) } ?? .string(lexeme)
        case "integer64": return Int(lexeme).map { .long($0) } ?? .string(lexeme)
        case "decimal": return FHIRDecimal(lexeme).map { .decimal($0) } ?? .string(lexeme)
        case "date": return FHIRDateTime(lexeme).map { .date($0) } ?? .string(lexeme)
        case "dateTime", "instant":
            guard let v = FHIRDateTime(lexeme) else { return .string(lexeme) }
            return v.hasTime ? .dateTime(v) : .date(v)
        case "time": return FHIRTime(lexeme).map { .time($0) } ?? .string(lexeme)
        default: return .string(lexeme)
        }
    }

    /// Whether `type` may be one of the primitive types whose values are not strings (`boolean`,
    /// `integer`, `positiveInt`, `unsignedInt`, `integer64`, `decimal`, `date`, `dateTime`,
    /// `instant`, `time`), judged by its length and first letter.
    @inline(__always)
    static func mayConvert(_ type: String) -> Bool {
        guard let first = type.utf8.first else { return false }
        switch type.utf8.count {
        case 4: return first == UInt8(ascii: "d") || first == UInt8(ascii: "t")
        case 7: return first == UInt8(ascii: "b") || first == UInt8(ascii: "i") || first == UInt8(ascii: "d")
        case 8: return first == UInt8(ascii: "d")
        case 9: return first == UInt8(ascii: "i")
        case 11: return first == UInt8(ascii: "p") || first == UInt8(ascii: "u")
        default: return false
        }
    }

    /// The types whose instances FHIRPath treats as System.Quantity.
    static let quantityTypes: Set<String> = [
        "Quantity", "Age", "Count", "Distance", "Duration", "MoneyQuantity", "SimpleQuantity",
    ]

    /// A System.Quantity for a FHIR Quantity element: its value with its UCUM `code` (when the
    /// system is UCUM or absent) or else its `unit` text.
    static func quantityValue(of e: ElementNode) -> FHIRPathQuantity? {
        guard let type = e.typeName, quantityTypes.contains(type) else { return nil }
        guard let lexeme = e.childValue("value"), let value = FHIRDecimal(lexeme) else { return nil }
        let system = e.childValue("system")
        let code = e.childValue("code")
        if let code, system == nil || system == "http://unitsofmeasure.org" {
            return FHIRPathQuantity(value: value, unit: code)
        }
        if let unit = e.childValue("unit") {
            if let keyword = FHIRPathQuantity.calendarKeyword(unit) {
                return FHIRPathQuantity(value: value, unit: keyword, isCalendarDuration: true)
            }
            return FHIRPathQuantity(value: value, unit: unit)
        }
        return FHIRPathQuantity(value: value, unit: code ?? "1")
    }
}

/// A resource and the resources that contain it (a contained resource's container, a Bundle
/// entry's Bundle, a Parameters' parameter resource's Parameters).
public final class FHIRPathScope: Sendable {
    public let resource: ElementNode
    public let parent: FHIRPathScope?

    public init(resource: ElementNode, parent: FHIRPathScope?) {
        self.resource = resource
        self.parent = parent
    }

    /// The outermost resource.
    public var root: FHIRPathScope {
        var current = self
        while let p = current.parent { current = p }
        return current
    }

}

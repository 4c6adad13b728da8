import FHIRModel

/// One item of a FHIRPath collection: a System value (from a literal, an operator or a function)
/// or a FHIR element from the tree being evaluated.
///
/// FHIR primitives stay nodes while they are navigated (so `birthDate.extension` and
/// `is(FHIR.date)` work); operators and functions read their System value through
/// ``systemValue``.
public enum FHIRPathValue: Sendable {
    case boolean(Bool)
    case string(String)
    /// System.Integer (32-bit by the specification; held in `Int`, overflow checked).
    case integer(Int)
    /// System.Long (`10L`).
    case long(Int)
    case decimal(FHIRDecimal)
    /// System.Date: a date-time value of at most day precision.
    case date(FHIRDateTime)
    case dateTime(FHIRDateTime)
    case time(FHIRTime)
    case quantity(FHIRPathQuantity)
    /// A FHIR element (resource, complex element or primitive) with its place in the tree.
    case node(FHIRPathNode)

    /// The FHIR element, when this item is one.
    @inlinable public var node: FHIRPathNode? {
        if case .node(let n) = self { return n }
        return nil
    }

    /// The System value of this item: itself for System values; for a FHIR primitive node its
    /// value converted by type (`nil` when it has none); for a FHIR `Quantity` (or a type derived
    /// from it) a System.Quantity; `nil` for other complex nodes.
    public var systemValue: FHIRPathValue? {
        guard case .node(let n) = self else { return self }
        return n.systemValue
    }

    /// The type of this item, in the namespace it lives in.
    public func type(in model: ModelInfo?) -> FHIRPathTypeName {
        switch self {
        case .boolean: return .system("Boolean")
        case .string: return .system("String")
        case .integer: return .system("Integer")
        case .long: return .system("Long")
        case .decimal: return .system("Decimal")
        case .date: return .system("Date")
        case .dateTime: return .system("DateTime")
        case .time: return .system("Time")
        case .quantity: return .system("Quantity")
        case .node(let n): return .fhir(n.typeName ?? "Element")
        }
    }

    /// Whether this item is a primitive (a System value or a FHIR primitive node).
    public var isPrimitiveLike: Bool {
        switch self {
        case .node(let n): return n.element.isPrimitive
        case .quantity: return false
        default: return true
        }
    }
}

/// A type name with its namespace: `System.String`, `FHIR.Patient`.
public struct FHIRPathTypeName: Sendable, Hashable, CustomStringConvertible {
    public enum Namespace: String, Sendable, Hashable {
        case system = "System"
        case fhir = "FHIR"
    }

    public var namespace: Namespace
    public var name: String

    public init(namespace: Namespace, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public static func system(_ name: String) -> FHIRPathTypeName { .init(namespace: .system, name: name) }
    public static func fhir(_ name: String) -> FHIRPathTypeName { .init(namespace: .fhir, name: name) }

    /// The System type names.
    public static let systemTypes: Set<String> = [
        "Boolean", "String", "Integer", "Long", "Decimal", "Date", "DateTime", "Time", "Quantity", "Any",
    ]

    public var description: String { namespace.rawValue + "." + name }
}

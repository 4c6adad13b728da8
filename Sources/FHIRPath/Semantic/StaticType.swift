/// One type the items of an expression may have, as the static checker sees it.
enum FHIRPathStaticTypeName: Hashable, Sendable, CustomStringConvertible {
    /// A FHIR type code or a backbone element path known to the model (`Quantity`, `string`,
    /// `Patient.contact`).
    case fhir(String)
    /// A System type (`String`, `Integer`, `Quantity`, ...).
    case system(String)

    var description: String {
        switch self {
        case .fhir(let name): return name
        case .system(let name): return "System." + name
        }
    }
}

/// What the static checker knows about the result of an expression: the types its items may
/// have (or nothing, when it cannot tell), whether it may hold more than one item, and whether
/// its order is undefined (the output of `children()` and `descendants()`).
struct FHIRPathStaticType: Sendable, Equatable {
    /// The possible item types; `nil` means unknown (anything goes, nothing is reported).
    var types: Set<FHIRPathStaticTypeName>?
    /// Whether the result may hold more than one item.
    var isCollection: Bool
    /// Whether the order of the items is undefined.
    var isUnordered: Bool

    init(types: Set<FHIRPathStaticTypeName>?, isCollection: Bool = false, isUnordered: Bool = false) {
        self.types = types
        self.isCollection = isCollection
        self.isUnordered = isUnordered
    }

    /// Anything: the checker cannot tell.
    static let any = FHIRPathStaticType(types: nil, isCollection: true)
    /// Always the empty collection (`{}`).
    static let empty = FHIRPathStaticType(types: [])
    static let boolean = system("Boolean")
    static let integer = system("Integer")
    static let string = system("String")

    static func system(_ name: String, collection: Bool = false) -> FHIRPathStaticType {
        FHIRPathStaticType(types: [.system(name)], isCollection: collection)
    }

    static func fhir(_ name: String, collection: Bool = false) -> FHIRPathStaticType {
        FHIRPathStaticType(types: [.fhir(name)], isCollection: collection)
    }

    /// Whether nothing is known about the types.
    var isAny: Bool { types == nil }

    /// Whether the result is always empty.
    var isEmpty: Bool { types?.isEmpty == true }

    /// The type of one item of this collection (`$this` in a lambda, `first()`).
    var item: FHIRPathStaticType { FHIRPathStaticType(types: types) }

    /// The same types with a different cardinality.
    func with(collection: Bool, unordered: Bool = false) -> FHIRPathStaticType {
        FHIRPathStaticType(types: types, isCollection: collection, isUnordered: unordered)
    }

    /// Either this or `other` (an `iif` branch, a union): the types of both.
    func merged(with other: FHIRPathStaticType) -> FHIRPathStaticType {
        var mergedTypes: Set<FHIRPathStaticTypeName>?
        if let a = types, let b = other.types { mergedTypes = a.union(b) }
        return FHIRPathStaticType(
            types: mergedTypes, isCollection: isCollection || other.isCollection,
            isUnordered: isUnordered || other.isUnordered)
    }

    /// The types for messages, sorted (`HumanName, string`).
    var typeList: String {
        guard let types else { return "any type" }
        return types.map(\.description).sorted().joined(separator: ", ")
    }
}

/// What `$this` and `$total` are inside the expression being checked.
struct FHIRPathTypeScope: Sendable {
    /// `$this`: the focus of a path that starts with a name.
    var this: FHIRPathStaticType
    /// `$total` inside `aggregate()`.
    var total: FHIRPathStaticType = .any
}

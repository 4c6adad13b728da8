import FHIRModel

/// The codes a bound element carries: a primitive's value, a Coding, the codings of a
/// CodeableConcept, or a Quantity's system and code.
struct CodedValues {
    /// What kind of element the codes came from (it decides the wording and some rules).
    enum Kind: Equatable {
        /// `code`, `string`, `uri` and the other primitives: a bare code, no system.
        case primitive
        case coding
        case codeableConcept
        case quantity
    }

    struct Item {
        var system: String?
        var code: String
        var display: String?
    }

    var kind: Kind
    var items: [Item]
    /// For a CodeableConcept: whether it has `text` (a concept given in words only).
    var hasText: Bool

    /// The Quantity type and its profiles on the core types, which carry `system` + `code`.
    static let quantityTypes: Set<String> = [
        "Quantity", "Age", "Distance", "Duration", "Count", "MoneyQuantity", "SimpleQuantity",
    ]

    /// Reads the codes of a node; `nil` for types bindings do not apply to (Reference, ...).
    init?(_ node: ElementNode) {
        guard let type = node.typeName else { return nil }
        hasText = false
        if node.isPrimitive {
            kind = .primitive
            items = node.value.map { [Item(system: nil, code: $0, display: nil)] } ?? []
            return
        }
        switch type {
        case "Coding":
            kind = .coding
            items = Self.item(node).map { [$0] } ?? []
        case "CodeableConcept":
            kind = .codeableConcept
            items = node.children(named: "coding").compactMap(Self.item)
            hasText = node.child(named: "text")?.value != nil
        case _ where Self.quantityTypes.contains(type):
            kind = .quantity
            items =
                node.childValue("code").map { [Item(system: node.childValue("system"), code: $0, display: nil)] } ?? []
        default:
            return nil
        }
    }

    /// A Coding's system, code and display; `nil` when it has no code.
    static func item(_ coding: ElementNode) -> Item? {
        guard let code = coding.childValue("code") else { return nil }
        return Item(system: coding.childValue("system"), code: code, display: coding.childValue("display"))
    }
}

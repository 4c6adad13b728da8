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

    /// Whether ``init(_:)`` reads codes from the node (it is not `nil`).
    static func applies(to node: ElementNode) -> Bool {
        guard let type = node.typeName else { return false }
        if node.isPrimitive { return true }
        switch type {
        case "Coding", "CodeableConcept": return true
        default: return quantityTypes.contains(type)
        }
    }

    /// Whether one of the (system, code) pairs ``init(_:)`` would read satisfies `test`, read in
    /// place (no arrays, no node copies).
    static func anyCode(of node: ElementNode, where test: (String?, String) -> Bool) -> Bool {
        guard let type = node.typeName else { return false }
        if node.isPrimitive { return node.value.map { test(nil, $0) } ?? false }
        switch type {
        case "Coding":
            return codeAndSystem(node).map { test($0.system, $0.code) } ?? false
        case "CodeableConcept":
            return node.children.withUnsafeBufferPointer { children in
                for k in children.indices where children[k].name == "coding" {
                    if let item = codeAndSystem(children[k]), test(item.system, item.code) { return true }
                }
                return false
            }
        case _ where quantityTypes.contains(type):
            return codeAndSystem(node).map { test($0.system, $0.code) } ?? false
        default:
            return false
        }
    }

    /// The values of the first `code` and `system` children (as `childValue` reads them).
    private static func codeAndSystem(_ node: ElementNode) -> (system: String?, code: String)? {
        var code: String??
        var system: String??
        node.children.withUnsafeBufferPointer { children in
            for k in children.indices {
                if code == nil && children[k].name == "code" {
                    code = .some(children[k].value)
                } else if system == nil && children[k].name == "system" {
                    system = .some(children[k].value)
                }
                if code != nil && system != nil { break }
            }
        }
        guard case .some(.some(let found)) = code else { return nil }
        return (system ?? nil, found)
    }

    /// A Coding's system, code and display; `nil` when it has no code.
    static func item(_ coding: ElementNode) -> Item? {
        guard let code = coding.childValue("code") else { return nil }
        return Item(system: coding.childValue("system"), code: code, display: coding.childValue("display"))
    }
}

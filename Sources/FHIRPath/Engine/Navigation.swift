import FHIRModel

/// Member navigation: `name`, `Patient`, `value` (a choice, by its base name).
enum FHIRPathNavigation {
    /// The children named `name` of every node in `focus`, in order. System values have no
    /// children.
    static func children(of focus: [FHIRPathValue], named name: String) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        for item in focus {
            guard case .node(let n) = item else { continue }
            for c in n.element.children where c.name == name {
                out.append(.node(n.child(c)))
            }
        }
        return out
    }

    /// The first step of a path: a type name of the focus item selects it (`Patient.name` on a
    /// Patient); otherwise the name is a child element.
    static func start(_ focus: [FHIRPathValue], named name: String, model: ModelInfo?) -> [FHIRPathValue] {
        guard let first = name.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else {
            return children(of: focus, named: name)
        }
        var out: [FHIRPathValue] = []
        var anyTyped = false
        for item in focus {
            guard case .node(let n) = item, let type = n.typeName else { continue }
            if type == name || model?.isType(type, a: name) == true {
                out.append(item)
                anyTyped = true
            }
        }
        if anyTyped { return out }
        if let model, model.type(named: name) != nil { return [] }
        return children(of: focus, named: name)
    }

    /// Every child of every node (`children()`).
    static func allChildren(of focus: [FHIRPathValue]) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        for item in focus {
            guard case .node(let n) = item else { continue }
            for c in n.element.children { out.append(.node(n.child(c))) }
        }
        return out
    }

    /// Every descendant of every node, depth-first in document order (`descendants()`).
    static func descendants(of focus: [FHIRPathValue]) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        func visit(_ n: FHIRPathNode) {
            for c in n.element.children {
                let child = n.child(c)
                out.append(.node(child))
                visit(child)
            }
        }
        for item in focus {
            if case .node(let n) = item { visit(n) }
        }
        return out
    }
}

import FHIRModel

/// Member navigation: `name`, `Patient`, `value` (a choice, by its base name).
enum FHIRPathNavigation {
    /// Element-name equality with a length check first: most children differ in length from the
    /// wanted name, and comparing lengths avoids the general string comparison call.
    @inline(__always)
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    /// The children named `name` of every node in `focus`, in order. System values have no
    /// children.
    static func children(of focus: [FHIRPathValue], named name: String) -> [FHIRPathValue] {
        if focus.count == 1 {
            guard case .node(let n) = focus[0] else { return [] }
            return children(of: n, named: name)
        }
        var out: [FHIRPathValue] = []
        for item in focus {
            guard case .node(let n) = item else { continue }
            let kids = n.element.children
            for i in kids.indices where sameName(kids[i].name, name) { out.append(.node(n.child(kids[i]))) }
        }
        return out
    }

    /// The children named `name` of one node, counted first so the result is allocated once.
    @inline(__always)
    static func children(of n: FHIRPathNode, named name: String) -> [FHIRPathValue] {
        // Index access reads only the `name` field; a `for k in kids` loop would copy (retain and
        // release) every child.
        let kids = n.element.children
        var count = 0
        for i in kids.indices where sameName(kids[i].name, name) { count += 1 }
        guard count > 0 else { return [] }
        var out: [FHIRPathValue] = []
        out.reserveCapacity(count)
        for i in kids.indices where sameName(kids[i].name, name) { out.append(.node(n.child(kids[i]))) }
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
        var stack: [FHIRPathNode] = []
        for item in focus.reversed() {
            guard case .node(let n) = item else { continue }
            for c in n.element.children.reversed() { stack.append(n.child(c)) }
        }
        while let n = stack.popLast() {
            out.append(.node(n))
            let kids = n.element.children
            guard !kids.isEmpty else { continue }
            for c in kids.reversed() { stack.append(n.child(c)) }
        }
        return out
    }

    /// How many children named `name` (any child when `nil`) the nodes of `focus` have.
    static func countChildren(of focus: [FHIRPathValue], named name: String?) -> Int {
        var count = 0
        for item in focus {
            guard case .node(let n) = item else { continue }
            guard let name else {
                count += n.element.children.count
                continue
            }
            let kids = n.element.children
            for i in kids.indices where sameName(kids[i].name, name) { count += 1 }
        }
        return count
    }

    /// Calls `body` for every descendant of the nodes of `focus` (depth-first, document order)
    /// with the scope of the resource that encloses it, until `body` returns `false`. Nodes are
    /// not built: `body` gets a pointer valid only during the call and copies the elements it
    /// keeps, so walking a large tree copies nothing it does not return.
    static func forEachDescendant(
        of focus: [FHIRPathValue],
        _ body: (_ element: UnsafePointer<ElementNode>, _ scope: FHIRPathScope?) -> Bool
    ) {
        var going = true
        func visit(_ children: [ElementNode], _ scope: FHIRPathScope?) {
            children.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for i in 0..<buffer.count where going {
                    let child = base + i
                    going = body(child, scope)
                    guard going, !child.pointee.children.isEmpty else { continue }
                    if child.pointee.isResource {
                        visit(child.pointee.children, FHIRPathScope(resource: child.pointee, parent: scope))
                    } else {
                        visit(child.pointee.children, scope)
                    }
                }
            }
        }
        for item in focus where going {
            guard case .node(let n) = item else { continue }
            visit(n.element.children, n.scope)
        }
    }
}

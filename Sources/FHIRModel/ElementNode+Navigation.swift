extension ElementNode {
    // (The children are read in place: the array's subscript and iterator copy every node they
    // hand out, a retain and a release of each of its fields, even those passed over.)

    /// All children with the given (base) name, in order.
    public func children(named name: String) -> [ElementNode] {
        children.withUnsafeBufferPointer { kids in
            var found: [ElementNode] = []
            for k in kids.indices where kids[k].name == name { found.append(kids[k]) }
            return found
        }
    }

    /// The first child with the given (base) name.
    public func child(named name: String) -> ElementNode? {
        children.withUnsafeBufferPointer { kids in
            for k in kids.indices where kids[k].name == name { return kids[k] }
            return nil
        }
    }

    /// The primitive value of the first child with this name.
    public func childValue(_ name: String) -> String? {
        children.withUnsafeBufferPointer { kids in
            for k in kids.indices where kids[k].name == name { return kids[k].value }
            return nil
        }
    }

    /// The resource type of a resource node.
    public var resourceType: String? { isResource ? typeName : nil }

    /// The number of nodes in this subtree, this node included.
    public var nodeCount: Int {
        children.reduce(1) { $0 + $1.nodeCount }
    }

    /// Visits every node depth-first with its FHIRPath-style location
    /// (`Patient.name[0].given[1]`). Return `false` from `body` to skip a node's children.
    public func walk(
        path: String? = nil, _ body: (_ node: ElementNode, _ path: String) throws -> Bool
    ) rethrows {
        let here = path ?? (typeName ?? name)
        guard try body(self, here) else { return }
        var counts: [String: Int] = [:]
        for child in children {
            var childPath = here + "." + child.name
            if child.isListItem {
                let index = counts[child.name, default: 0]
                counts[child.name] = index + 1
                childPath += "[\(index)]"
            }
            try child.walk(path: childPath, body)
        }
    }
}

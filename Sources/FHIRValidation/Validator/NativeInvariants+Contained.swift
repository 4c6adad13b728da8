import FHIRModel
import FHIRPath

extension NativeInvariant {
    /// dom-3: no contained resource is "unmatched". FHIRPath finds a contained resource `C`
    /// unmatched when `'#' + C.id` is not among the values of `%resource.descendants().reference`
    /// and of the `canonical`, `uri` and `url` descendants of `%resource`, and no descendant of
    /// `C` has a `reference` of `#` or is a `canonical` of `#`. A contained resource without an
    /// id value is never unmatched (`'#' + {}` is empty, so the test is empty, not false).
    ///
    /// The resource is walked once for the `#id`s of its contained resources (only when some
    /// contained resource has an id), and the walk stops when every one has been referred to.
    static func containedReferenced(_ node: ElementNode, scope: FHIRPathScope?) -> Outcome {
        let kids = node.children
        var i = firstIndex(kids, named: "contained")
        guard i != nil else { return .pass }
        // The `#id` of each contained resource that has one, with its index among `kids`.
        var pending: [(target: String, index: Int)] = []
        while let c = i {
            let fields = kids[c].children
            if let first = firstIndex(fields, named: "id") {
                // `'#' + id` with several ids is an error in FHIRPath: let it report it.
                guard firstIndex(fields, named: "id", from: first + 1) == nil else { return .undecided }
                if let value = systemValue(fields[first]) {
                    guard case .string(let id) = value else { return .undecided }
                    pending.append(("#" + id, c))
                }
            }
            i = firstIndex(kids, named: "contained", from: c + 1)
        }
        if pending.isEmpty { return .pass }
        guard removeReferenced(&pending, in: scope?.resource) else { return .undecided }
        var unmatched = false
        for entry in pending {
            // A later contained resource may make FHIRPath raise an error instead: all are asked.
            guard let itself = pointsAtItself(kids[entry.index]) else { return .undecided }
            if !itself { unmatched = true }
        }
        return unmatched ? .fail : .pass
    }

    /// Removes from `pending` each target among the string values of
    /// `resource.descendants().reference` and of the descendants that `as(canonical)`,
    /// `as(uri)` and `as(url)` keep, walking until none is left; `false` for a tree deeper than
    /// ``maxDepth`` (with targets still pending).
    static func removeReferenced(_ pending: inout [(target: String, index: Int)], in resource: ElementNode?) -> Bool {
        guard let resource else { return true }
        var tooDeep = false
        func found(_ element: ElementNode) {
            // String equality, as `in` compares (canonical equivalence: no byte-count shortcut).
            guard let s = stringValue(element) else { return }
            pending.removeAll { $0.target == s }
        }
        // `descendants().reference`: the elements named `reference` below the resource's own
        // children (`depth` counts from them, at 0).
        func visit(_ children: [ElementNode], depth: Int) {
            guard depth < maxDepth else {
                tooDeep = true
                return
            }
            for i in children.indices where !pending.isEmpty {
                if let type = children[i].typeName, keptByURICasts(type, isPrimitive: children[i].isPrimitive) {
                    found(children[i])
                }
                if depth > 0, InvariantLogic.sameName(children[i].name, "reference") { found(children[i]) }
                if !children[i].children.isEmpty { visit(children[i].children, depth: depth + 1) }
            }
        }
        visit(resource.children, depth: 0)
        return pending.isEmpty || !tooDeep
    }

    /// Whether `as(canonical) | as(uri) | as(url)` keeps an element of this type: a primitive
    /// only of exactly those types; a complex element of any type derived from them.
    static func keptByURICasts(_ type: String, isPrimitive: Bool) -> Bool {
        let length = type.utf8.count
        guard length == 3 || length == 4 || length == 9 else { return false }
        switch type {
        case "canonical", "uri", "url": return true
        case "oid", "uuid": return !isPrimitive
        default: return false
        }
    }

    /// `descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists()`
    /// on a contained resource: something inside it refers to the resource itself; `nil` for a
    /// tree deeper than ``maxDepth``.
    static func pointsAtItself(_ resource: ElementNode) -> Bool? {
        var tooDeep = false
        func visit(_ children: [ElementNode], depth: Int) -> Bool {
            guard depth < maxDepth else {
                tooDeep = true
                return false
            }
            for child in children {
                var references = 0
                var reference: ElementNode?
                for grandchild in child.children where grandchild.name == "reference" {
                    references += 1
                    reference = grandchild
                }
                if references == 1, let reference, stringValue(reference) == "#" { return true }
                if child.typeName == "canonical", stringValue(child) == "#" { return true }
                if !child.children.isEmpty, visit(child.children, depth: depth + 1) { return true }
            }
            return false
        }
        let found = visit(resource.children, depth: 0)
        return found ? true : (tooDeep ? nil : false)
    }

    /// Trees deeper than this are left to FHIRPath (the readers refuse far shallower input).
    static let maxDepth = 512
}

import FHIRModel
import FHIRPath

extension NativeInvariant {
    /// dom-3: no contained resource is "unmatched". FHIRPath finds a contained resource `C`
    /// unmatched when `'#' + C.id` is not among the values of `%resource.descendants().reference`
    /// and of the `canonical`, `uri` and `url` descendants of `%resource`, and no descendant of
    /// `C` has a `reference` of `#` or is a `canonical` of `#`. A contained resource without an
    /// id value is never unmatched (`'#' + {}` is empty, so the test is empty, not false).
    ///
    /// The reference values of the resource are collected once (the expression reads
    /// `%resource.descendants()` once per evaluation too), and only when some contained
    /// resource has an id.
    static func containedReferenced(_ node: ElementNode, scope: FHIRPathScope?) -> Outcome {
        var targets: Set<String>?
        var unmatched = false
        for contained in node.children where contained.name == "contained" {
            var idCount = 0
            var idNode: ElementNode?
            for child in contained.children where child.name == "id" {
                idCount += 1
                idNode = child
            }
            // `'#' + id` with several ids is an error in FHIRPath: let it report it.
            guard idCount <= 1 else { return .undecided }
            guard let idNode, let value = systemValue(idNode) else { continue }
            guard case .string(let id) = value else { return .undecided }
            if targets == nil {
                guard let found = referenceTargets(of: scope?.resource) else { return .undecided }
                targets = found
            }
            if targets?.contains("#" + id) == true { continue }
            guard let itself = pointsAtItself(contained) else { return .undecided }
            if itself { continue }
            // Keep going: a later contained resource may make FHIRPath raise an error instead.
            unmatched = true
        }
        return unmatched ? .fail : .pass
    }

    /// The string values of `resource.descendants().reference` and of the descendants that
    /// `as(canonical)`, `as(uri)` and `as(url)` keep; `nil` for a tree deeper than ``maxDepth``.
    static func referenceTargets(of resource: ElementNode?) -> Set<String>? {
        var out: Set<String> = []
        guard let resource else { return out }
        var tooDeep = false
        func visit(_ children: [ElementNode], depth: Int) {
            guard depth < maxDepth else {
                tooDeep = true
                return
            }
            for child in children {
                if let type = child.typeName, keptByURICasts(type, isPrimitive: child.isPrimitive),
                    let s = stringValue(child)
                {
                    out.insert(s)
                }
                for grandchild in child.children where grandchild.name == "reference" {
                    if let s = stringValue(grandchild) { out.insert(s) }
                }
                if !child.children.isEmpty { visit(child.children, depth: depth + 1) }
            }
        }
        visit(resource.children, depth: 0)
        return tooDeep ? nil : out
    }

    /// Whether `as(canonical) | as(uri) | as(url)` keeps an element of this type: a primitive
    /// only of exactly those types; a complex element of any type derived from them.
    static func keptByURICasts(_ type: String, isPrimitive: Bool) -> Bool {
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

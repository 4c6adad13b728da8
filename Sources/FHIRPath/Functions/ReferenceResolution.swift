import FHIRModel

/// `resolve()`: contained resources (`#id`), entries of an enclosing Bundle, then the
/// environment's resolver.
enum FHIRPathReferences {
    static func resolve(_ item: FHIRPathValue, environment: FHIRPathEnvironment) -> FHIRPathNode? {
        var from: FHIRPathNode?
        let reference: String
        switch item {
        case .string(let s):
            reference = s
        case .node(let n):
            from = n
            if n.element.isPrimitive {
                guard let v = n.element.value else { return nil }
                reference = v
            } else {
                guard let v = n.element.childValue("reference") else { return nil }
                reference = v
            }
        default:
            return nil
        }
        if let scope = from?.scope {
            if reference.hasPrefix("#") { return contained(String(reference.dropFirst()), scope: scope) }
            if let found = inBundle(reference, scope: scope) { return found }
        }
        guard let element = environment.references?.resolve(reference: reference, from: from) else { return nil }
        return FHIRPathNode(root: element)
    }

    /// A contained resource of the resource that holds the reference (or, inside a contained
    /// resource, of its container); `#` alone is the container itself.
    static func contained(_ id: String, scope: FHIRPathScope) -> FHIRPathNode? {
        var container = scope
        if container.resource.name == "contained", let parent = container.parent { container = parent }
        if id.isEmpty { return FHIRPathNode(element: container.resource, scope: container) }
        for c in container.resource.children where c.name == "contained" && c.childValue("id") == id {
            return FHIRPathNode(element: c, scope: FHIRPathScope(resource: c, parent: container))
        }
        return nil
    }

    /// An entry of the nearest enclosing Bundle whose fullUrl is the reference, or whose
    /// resource has the referenced type and id.
    static func inBundle(_ reference: String, scope: FHIRPathScope) -> FHIRPathNode? {
        var current: FHIRPathScope? = scope
        while let s = current, s.resource.typeName != "Bundle" { current = s.parent }
        guard let bundle = current else { return nil }
        let local = localPart(reference)
        for entry in bundle.resource.children where entry.name == "entry" {
            guard let resource = entry.child(named: "resource") else { continue }
            let fullUrl = entry.childValue("fullUrl")
            var matches = fullUrl == reference
            if !matches, let local, let type = resource.typeName, let id = resource.childValue("id") {
                matches = local == type + "/" + id && (fullUrl == nil || fullUrl?.hasSuffix("/" + local) == true)
            }
            if matches {
                return FHIRPathNode(element: resource, scope: FHIRPathScope(resource: resource, parent: bundle))
            }
        }
        return nil
    }

    /// `Type/id` from `Type/id`, `Type/id/_history/v` or `http://server/base/Type/id`.
    static func localPart(_ reference: String) -> String? {
        var parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        guard parts.count >= 2 else { return nil }
        let type = parts[parts.count - 2]
        let id = parts[parts.count - 1]
        guard let first = type.first, first.isUppercase, !id.isEmpty else { return nil }
        return type + "/" + id
    }
}

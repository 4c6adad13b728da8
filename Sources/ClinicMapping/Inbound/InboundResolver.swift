import FHIRModel

/// The resources of one input (a Bundle's entries, or a single resource and what it contains)
/// and the resolution of references between them: `#id` to a contained resource, `urn:uuid:`
/// and absolute URLs to `Bundle.entry.fullUrl`, `Type/id` to an entry of that type and id
/// (against the referring entry's base URL first).
struct InboundResolver: Sendable {
    private(set) var resources: [InboundResource] = []
    private var byFullUrl: [String: Int] = [:]
    private var byTypeAndId: [String: Int] = [:]

    /// The entries of a Bundle (those with a resource).
    init(bundle: InboundNode) {
        for (i, entry) in bundle.children("entry").enumerated() {
            guard let resource = entry.child("resource") else { continue }
            add(InboundResource(node: resource, fullUrl: entry.value("fullUrl"), entryIndex: i))
        }
    }

    /// A single resource (a ServiceRequest with its contained resources).
    init(single: InboundNode) {
        add(InboundResource(node: single, fullUrl: nil, entryIndex: nil))
    }

    private mutating func add(_ resource: InboundResource) {
        let index = resources.count
        resources.append(resource)
        if let fullUrl = resource.fullUrl, byFullUrl[fullUrl] == nil { byFullUrl[fullUrl] = index }
        if let id = resource.id {
            let key = resource.type + "/" + id
            if byTypeAndId[key] == nil { byTypeAndId[key] = index }
        }
    }

    /// The resources of a type, in input order.
    func all(_ type: String) -> [InboundResource] {
        resources.filter { $0.type == type }
    }

    /// The resource at a location, if it is one of the input's top-level resources.
    func resource(atPath path: String) -> InboundResource? {
        resources.first { $0.path == path }
    }

    enum Failure: Error {
        case issue(Issue)
    }

    /// Resolves the Reference element `reference` of `from` to a resource of one of `types`.
    /// A problem (no `reference`, nothing found, the wrong type) is an error at the element.
    func resolve(_ reference: InboundNode, from: InboundResource, types: [String]) -> Result<InboundResource, Failure> {
        let expected = types.joined(separator: " or ")
        guard let text = reference.value("reference") else {
            return .failure(
                .issue(
                    Issue(
                        .error, .inboundReference,
                        "the reference has no literal reference (an identifier or display alone cannot be resolved)",
                        path: reference.path)))
        }
        guard let target = find(text, from: from) else {
            return .failure(
                .issue(
                    Issue(
                        .error, .inboundReference,
                        "does not resolve to a resource in the input (expected a \(expected))",
                        path: reference.path + ".reference")))
        }
        guard types.contains(target.type) else {
            return .failure(
                .issue(
                    Issue(
                        .error, .inboundReference, "refers to a \(target.type), expected a \(expected)",
                        path: reference.path + ".reference")))
        }
        return .success(target)
    }

    /// Whether `reference` (a Reference element) points at `target`.
    func refers(_ reference: InboundNode, from: InboundResource, to target: InboundResource) -> Bool {
        guard let text = reference.value("reference"), let found = find(text, from: from) else { return false }
        return found.path == target.path
    }

    private func find(_ text: String, from: InboundResource) -> InboundResource? {
        if text.hasPrefix("#") {
            return contained(String(text.dropFirst()), in: from)
        }
        if let i = byFullUrl[text] { return resources[i] }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 4 && parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        let relative = parts.joined(separator: "/")
        if text.contains("://") {
            // An absolute URL that is no entry's fullUrl: accept its Type/id tail only when the
            // entry with that type and id has the same base.
            guard parts.count >= 2 else { return nil }
            let key = parts[parts.count - 2] + "/" + parts[parts.count - 1]
            guard let i = byTypeAndId[key], let full = resources[i].fullUrl, full == relative else { return nil }
            return resources[i]
        }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !text.hasPrefix("urn:") else { return nil }
        if let base = from.fullUrl, base.contains("://") {
            let baseParts = base.split(separator: "/", omittingEmptySubsequences: false)
            if baseParts.count > 2 {
                let prefix = baseParts.dropLast(2).joined(separator: "/")
                if let i = byFullUrl[prefix + "/" + relative] { return resources[i] }
            }
        }
        if let i = byTypeAndId[relative] { return resources[i] }
        return nil
    }

    /// A contained resource of `from` (or of the resource containing it) with this id.
    private func contained(_ id: String, in from: InboundResource) -> InboundResource? {
        let container: InboundResource
        if let containerPath = from.containerPath, let outer = resources.first(where: { $0.path == containerPath }) {
            container = outer
        } else {
            container = from
        }
        for c in container.node.children("contained") where c.value("id") == id {
            return InboundResource(
                node: c, fullUrl: nil, entryIndex: container.entryIndex, containerPath: container.path,
                containerKey: container.fullUrl ?? (container.type + "/" + (container.id ?? "")))
        }
        return nil
    }
}

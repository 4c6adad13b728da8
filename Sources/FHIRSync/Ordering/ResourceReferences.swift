import ClinicMapping
import FHIRModel

/// The references between resources of one set, as `Type/id`.
enum ResourceReferences {
    /// `Type/id` of a literal reference that can name a resource of the set: relative
    /// (`Patient/123`, `Patient/123/_history/2`); nil for contained (`#x`), absolute URLs, URNs
    /// and anything else.
    static func normalize(_ reference: String) -> String? {
        guard !reference.isEmpty, !reference.hasPrefix("#"), !reference.contains(":") else { return nil }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history") else { return nil }
        guard let first = parts[0].unicodeScalars.first, ("A"..."Z").contains(first), !parts[1].isEmpty else {
            return nil
        }
        return parts[0] + "/" + parts[1]
    }

    /// The resource type of a `Type/id`.
    static func type(of reference: String) -> Substring {
        reference.split(separator: "/", maxSplits: 1).first ?? Substring(reference)
    }

    /// The id of a `Type/id`.
    static func id(of reference: String) -> String {
        let parts = reference.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : reference
    }

    /// Every `Type/id` a resource refers to (contained resources included), in document order,
    /// without repeats and without itself.
    static func targets(of resource: TranslatedResource) -> [String] {
        targets(in: resource.resource, excluding: resource.reference)
    }

    /// Every relative `Type/id` reference in a tree, in document order, without repeats and
    /// without `excluding` (the resource itself).
    static func targets(in tree: ElementNode, excluding: String? = nil) -> [String] {
        var seen: Set<String> = excluding.map { [$0] } ?? []
        var out: [String] = []
        tree.walk { node, _ in
            if node.typeName == "Reference", let value = node.childValue("reference"), let ref = normalize(value),
                seen.insert(ref).inserted
            {
                out.append(ref)
            }
            return true
        }
        return out
    }
}

/// Which patients each resource of a set leads to through its references (followed inside the
/// set; a reference to `Patient/x` leads to `x` whether or not that Patient is in the set).
struct PatientLinks {
    /// The resources' references, by index.
    let targets: [[String]]
    /// Index of each `Type/id` in the set (the first, when a reference repeats).
    let index: [String: Int]
    /// The patient ids each resource leads to, sorted.
    private(set) var patients: [[String]] = []

    init(_ resources: [TranslatedResource]) {
        targets = resources.map(ResourceReferences.targets(of:))
        var index: [String: Int] = [:]
        for (i, r) in resources.enumerated() where index[r.reference] == nil { index[r.reference] = i }
        self.index = index
        patients = resources.indices.map { start in
            if resources[start].resourceType == "Patient" { return [resources[start].id] }
            return reach(from: start)
        }
    }

    /// The patients reachable from one resource (breadth first; a Patient ends a path).
    private func reach(from start: Int) -> [String] {
        var found: Set<String> = []
        var visited: Set<Int> = [start]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for ref in targets[current] {
                if ResourceReferences.type(of: ref) == "Patient" {
                    found.insert(ResourceReferences.id(of: ref))
                } else if let next = index[ref], visited.insert(next).inserted {
                    queue.append(next)
                }
            }
        }
        return found.sorted()
    }
}

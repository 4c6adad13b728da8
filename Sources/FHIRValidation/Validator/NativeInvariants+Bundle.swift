import FHIRModel
import FHIRPath

extension NativeInvariant {
    /// bdl-3 and bdl-4, `entry.all(X.exists() = (%resource.type = 'a' or %resource.type = 'b' or
    /// %resource.type = 'c'))`: whether each entry has the child `X` exactly when the enclosing
    /// resource's `type` is one of `types`. As FHIRPath reads it, a missing or valueless `type`
    /// makes the comparison empty, which `all()` takes as not true: any entry then fails it.
    static func entriesMatchType(_ node: ElementNode, scope: FHIRPathScope?, child: String, types: [String])
        -> Outcome
    {
        var entries = node.children.lazy.filter { $0.name == "entry" }.makeIterator()
        guard var entry = entries.next() else { return .pass }
        // (Without an enclosing resource, `%resource` is empty, and so is the comparison.)
        let expected = scope.flatMap { oneOf($0.resource, "type", types) }
        while true {
            guard let expected, hasChild(entry, child) == expected else { return .fail }
            guard let next = entries.next() else { return .pass }
            entry = next
        }
    }

    /// bdl-7, `(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl &
    /// resource.meta.versionId).isDistinct()`. Several `fullUrl`s (or `versionId`s) in one entry,
    /// or a value that is not a string, are errors of `&` in FHIRPath: left to it.
    static func versionsDistinct(_ node: ElementNode) -> Outcome {
        let history = oneOf(node, "type", ["history"])
        if history == true { return .pass }
        let kids = node.children
        var seen: Set<String> = []
        seen.reserveCapacity(kids.count)
        var distinct = true
        var i = firstIndex(kids, named: "entry")
        while let e = i {
            i = firstIndex(kids, named: "entry", from: e + 1)
            let fields = kids[e].children
            guard let u = firstIndex(fields, named: "fullUrl") else { continue }
            guard firstIndex(fields, named: "fullUrl", from: u + 1) == nil, let a = concatenationText(fields[u]),
                let b = versionText(fields)
            else { return .undecided }
            // Once two are equal the answer is known; the rest are still read for the errors.
            if distinct && !seen.insert(b.isEmpty ? a : a + b).inserted { distinct = false }
        }
        // `or`: empty or false is empty, which passes; only false or false fails.
        return history == false && !distinct ? .fail : .pass
    }

    /// The `&` operand `resource.meta.versionId` of an entry (given its children): `""` when there
    /// is none (or it has no value), `nil` when there are several or the value is not a string.
    private static func versionText(_ fields: [ElementNode]) -> String? {
        var text = ""
        var found = 0
        var r = firstIndex(fields, named: "resource")
        while let resource = r {
            let inResource = fields[resource].children
            var m = firstIndex(inResource, named: "meta")
            while let meta = m {
                let inMeta = inResource[meta].children
                var v = firstIndex(inMeta, named: "versionId")
                while let version = v {
                    found += 1
                    guard found == 1, let value = concatenationText(inMeta[version]) else { return nil }
                    text = value
                    v = firstIndex(inMeta, named: "versionId", from: version + 1)
                }
                m = firstIndex(inResource, named: "meta", from: meta + 1)
            }
            r = firstIndex(fields, named: "resource", from: resource + 1)
        }
        return text
    }

    /// `name = 'a' or name = 'b' ...` on `node`: `nil` when empty (no such child, or one without
    /// a value), `false` when there are several (each `=` is then false).
    static func oneOf(_ node: ElementNode, _ name: String, _ values: [String]) -> Bool? {
        let found = InvariantLogic.probe(node, [name])
        guard let item = found.first else { return nil }
        guard found.count == 1 else { return false }
        switch systemValue(item) {
        case nil: return nil
        case .string(let s)?: return values.contains(s)
        default: return false
        }
    }

    /// An operand of `&`: its string, `""` for an element without a value; `nil` (an error in
    /// FHIRPath) for a value that is not a string.
    static func concatenationText(_ element: ElementNode) -> String? {
        switch systemValue(element) {
        case nil: return ""
        case .string(let s)?: return s
        default: return nil
        }
    }
}

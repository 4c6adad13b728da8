import FHIRModel
import FHIRPath

extension ResourceWalker {
    typealias ChildGroup = ResolvedProfile.ChildGroup

    /// The children of `node` against the child definitions of its element definition.
    mutating func walkChildren(
        _ node: ElementNode, scope: FHIRPathScope?, profile: ResolvedProfile, groups: [ChildGroup], path: ElementPath
    ) {
        // The children are read in place (a buffer, not the array's subscript, which copies each
        // node it hands out: a retain and a release of its fields per use).
        // The node is kept on `ancestors` by address (valid while its children are walked, which
        // is while the readers look): no retain of its name and type per node with children.
        withUnsafePointer(to: node) { nodeAddress in
            node.children.withUnsafeBufferPointer { children in
                walkChildren(
                    children, of: node, at: nodeAddress, scope: scope, profile: profile, groups: groups, path: path)
            }
        }
    }

    /// ``walkChildren(_:scope:profile:groups:path:)`` over the children of `node`, read in place.
    private mutating func walkChildren(
        _ children: UnsafeBufferPointer<ElementNode>, of node: ElementNode, at nodeAddress: UnsafePointer<ElementNode>,
        scope: FHIRPathScope?, profile: ResolvedProfile, groups: [ChildGroup], path: ElementPath
    ) {
        let ancestorBase = ancestorCount
        if ancestors.count == ancestorBase {
            ancestors.append(nodeAddress)
        } else {
            ancestors[ancestorBase] = nodeAddress
        }
        ancestorCount = ancestorBase + 1
        defer { ancestorCount = ancestorBase }
        // Children come in definition order (repeats adjacent), as the groups do: match them in
        // one pass. Children out of that order (hand-made trees) are grouped by name instead.
        // The ranges live on `groupRanges`, a stack shared by the nested walks (no array per node).
        let rangeBase = groupRangeCount
        let rangeEnd = rangeBase + groups.count
        if groupRanges.count < rangeEnd {
            groupRanges.append(contentsOf: repeatElement(0..<0, count: rangeEnd - groupRanges.count))
        }
        groupRangeCount = rangeEnd
        defer { groupRangeCount = rangeBase }
        let ordered = Self.writeChildRanges(children, groups: groups, into: &groupRanges, at: rangeBase)
        // (Only children out of order need the names: no dictionary for the others.)
        let byName = ordered ? nil : Self.childIndicesByName(children)
        if !bundles.isEmpty, InvariantLogic.sameName(node.name, "entry"),
            children.contains(where: { $0.name == "resource" })
        {
            bundles[bundles.count - 1].fullUrl = Self.firstValue(children, named: "fullUrl")
        }
        for g in groups.indices {
            // The children of this group: `children[range]` in order, else those `listed`.
            let range = ordered ? groupRanges[rangeBase + g] : 0..<0
            // Most groups of a definition have no children in a given node, and most of those
            // have no rule an absent element can break: skipped without looking further.
            if ordered && range.isEmpty && !groups[g].checkWhenEmpty { continue }
            let group = groups[g]
            let def = profile.elements[group.base]
            let name = group.name
            // A primitive's `value` element is the node's own value, checked by the readers.
            if node.isPrimitive && InvariantLogic.sameName(name, "value") { continue }
            let listed: [Int] = byName?[name] ?? []
            let count = ordered ? range.count : listed.count
            guard count > 0 else {
                checkCardinality(count: 0, def: def, path: path.child(name, index: nil).text, slice: nil)
                // Required slices are missing too.
                for s in group.slices where profile.elements[s].min > 0 {
                    checkCardinality(
                        count: 0, def: profile.elements[s], path: path.child(name, index: nil).text, slice: s)
                }
                continue
            }
            checkCardinality(count: count, def: def, path: path.child(name, index: nil).text, slice: nil)
            var assigned: [Int?] = []
            if !group.slices.isEmpty {
                let groupPath = path.child(name, index: nil).text
                var items: [ElementNode] = []
                items.reserveCapacity(count)
                for n in 0..<count { items.append(children[ordered ? range.lowerBound + n : listed[n]]) }
                assigned = assignSlices(items, scope: scope, profile: profile, group: group, path: groupPath)
                if name == "extension", profile.type == "Extension" {
                    // A complex extension defines its parts: a part with a relative url that
                    // none of its slices describes is not part of it.
                    for (n, item) in items.enumerated() where assigned[n] == nil {
                        guard let url = item.childValue("url"), !Self.isAbsolute(url) else { continue }
                        issues.append(
                            Issue(
                                .error, .extensionURL,
                                "the sub-extension url is not defined by the extension \(profile.url)",
                                path: item.isListItem ? Self.itemPath(groupPath, n) : groupPath,
                                position: item.position))
                    }
                }
                for s in group.slices {
                    // An item in a reslice (`a/b`) counts for its parent slice `a` too.
                    let name = profile.elements[s].sliceName ?? ""
                    let count = assigned.reduce(0) { total, slot in
                        guard let slot else { return total }
                        if slot == s { return total + 1 }
                        let other = profile.elements[slot].sliceName ?? ""
                        return other.hasPrefix(name + "/") ? total + 1 : total
                    }
                    checkCardinality(count: count, def: profile.elements[s], path: groupPath, slice: s)
                }
            }
            for n in 0..<count {
                let k = ordered ? range.lowerBound + n : listed[n]
                // (The location becomes text only if something reports on it.)
                let childPath = path.child(name, index: children[k].isListItem ? n : nil)
                if def.isChoice, let t = children[k].typeName, !def.types.isEmpty,
                    !def.types.contains(where: { $0.code == t })
                {
                    issues.append(
                        Issue(
                            .error, .wrongType,
                            "the type '\(t)' is not allowed here (allowed: \(def.types.map(\.code).joined(separator: ", ")))",
                            path: childPath.text, position: children[k].position))
                    continue
                }
                validateChild(
                    children[k], parent: node, scope: scope, profile: profile, index: group.base, def: def,
                    path: childPath)
                if n < assigned.count, let s = assigned[n] {
                    validateChild(
                        children[k], parent: node, scope: scope, profile: profile, index: s, def: profile.elements[s],
                        path: childPath)
                }
            }
        }
    }

    /// The indices of the known `children` by name, in order.
    static func childIndicesByName(_ children: UnsafeBufferPointer<ElementNode>) -> [String: [Int]] {
        var byName: [String: [Int]] = [:]
        for (k, c) in children.enumerated() where !c.isUnknown {
            byName[c.name, default: []].append(k)
        }
        return byName
    }

    /// The value of the first of `children` named `name` (as `ElementNode.childValue` reads it),
    /// without copying the nodes passed over.
    static func firstValue(_ children: UnsafeBufferPointer<ElementNode>, named name: String) -> String? {
        for k in children.indices where children[k].name == name { return children[k].value }
        return nil
    }

    /// `path[n]`, built with one allocation.
    static func itemPath(_ path: String, _ n: Int) -> String {
        var out = ""
        out.reserveCapacity(path.utf8.count + 5)
        out.append(path)
        out.append("[")
        out.append(String(n))
        out.append("]")
        return out
    }

    /// Writes to `ranges[base...]`, for each group, the range of `children` named as it, when the
    /// known children come in the groups' order with each name in one run, and returns `true`;
    /// returns `false` otherwise (what it wrote is then meaningless). `ranges` must hold
    /// `base + groups.count` entries.
    static func writeChildRanges(
        _ kids: UnsafeBufferPointer<ElementNode>, groups: [ChildGroup], into ranges: inout [Range<Int>], at base: Int
    ) -> Bool {
        // One range per group, written in place (an append per group cost a uniqueness and
        // capacity check each), the nodes and groups read without copies.
        ranges.withUnsafeMutableBufferPointer { out in
            groups.withUnsafeBufferPointer { groups in
                var k = 0
                let n = kids.count
                var g = 0
                while g < groups.count {
                    while k < n && kids[k].isUnknown { k += 1 }
                    // Every child placed: the remaining groups are all empty.
                    if k == n { break }
                    let start = k
                    while k < n && !kids[k].isUnknown && InvariantLogic.sameName(kids[k].name, groups[g].name) {
                        k += 1
                    }
                    out[base + g] = start..<k
                    g += 1
                }
                while g < groups.count {
                    out[base + g] = k..<k
                    g += 1
                }
                while k < n && kids[k].isUnknown { k += 1 }
                return k == n
            }
        }
    }

    mutating func checkCardinality(
        count: Int, def: ElementDefinitionInfo, path: @autoclosure () -> String, slice: Int?
    ) {
        guard count < def.min || (def.maxCount.map { count > $0 } ?? false) else { return }
        let path = path()
        let label = def.sliceName.map { "the slice '\($0)' of " } ?? ""
        // The element id names the slice a child definition belongs to
        // (`Parameters.parameter:param1.extension`), so each definition's finding stays distinct.
        let name = def.sliceName == nil ? def.id : def.path
        if count < def.min {
            issues.append(
                Issue(
                    .error, slice == nil ? .cardinalityMin : .sliceCardinality,
                    "\(label)'\(name)' needs at least \(def.min) (found \(count))", path: path))
        }
        if let max = def.maxCount, count > max {
            issues.append(
                Issue(
                    .error, slice == nil ? .cardinalityMax : .sliceCardinality,
                    max == 0
                        ? "\(label)'\(name)' is not allowed here"
                        : "\(label)'\(name)' allows at most \(max) (found \(count))", path: path))
        }
    }

    /// One child against one definition (its base element or its slice): element `index` of
    /// `profile`, `def`.
    mutating func validateChild(
        _ child: ElementNode, parent: ElementNode, scope: FHIRPathScope?, profile: ResolvedProfile, index: Int,
        def: ElementDefinitionInfo, path: ElementPath
    ) {
        if child.isResource {
            if child.name == "contained" && !validator.options.checkContained { return }
            let profiles = def.types.first { $0.code == child.typeName || $0.code == "Resource" }?.profiles ?? []
            validateResource(child, parentScope: scope, path: path.text, extraProfiles: profiles)
            return
        }
        // (Lengths first: most children are not extensions, and a string compare that fails
        // costs a call.)
        if let type = child.typeName, InvariantLogic.sameName(type, "Extension"),
            InvariantLogic.sameName(child.name, "extension") || InvariantLogic.sameName(child.name, "modifierExtension")
        {
            validateExtension(child, parent: parent, scope: scope, profile: profile, index: index, path: path)
        } else {
            validate(child, scope: scope, profile: profile, index: index, def: def, path: path)
        }
        checkTypeRules(child, def: def, profile: profile, scope: scope, path: path)
    }
}

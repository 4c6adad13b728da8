import FHIRModel

/// A StructureDefinition with its snapshot, indexed for walking: for every element, the indices
/// of its direct children (slices of a child follow the child's base entry, in snapshot order).
public final class ResolvedProfile: Sendable {
    public let definition: StructureDefinitionInfo
    public let elements: [ElementDefinitionInfo]
    /// Problems met while resolving (snapshot generation from a differential).
    public let issues: [Issue]
    private let childIndex: [[Int]]
    private let groupIndex: [[ChildGroup]]
    private let byID: [String: Int]
    /// The invariants the walker evaluates on each element, prepared when the profile is resolved
    /// (so that walking looks them up by index, without locks); `nil` for a profile built outside
    /// a validation context. (Not optional: reading an optional array retains it once more per
    /// element walked; `hasPreparedInvariants` says whether they were prepared.)
    let preparedInvariants: [[PreparedInvariant]]
    let hasPreparedInvariants: Bool

    /// One child definition and the slices defined on it (the slice entries that follow it, with
    /// the same path).
    public struct ChildGroup: Sendable {
        public var base: Int
        public var slices: [Int]
        /// The name children of this group have (`value` for `value[x]`).
        var name: String
        /// Whether a node without children of this group can break a rule of it (a minimum
        /// cardinality of the group or of a slice): when not, an empty group is skipped at once.
        var checkWhenEmpty: Bool
    }

    public convenience init(
        definition: StructureDefinitionInfo, elements: [ElementDefinitionInfo], issues: [Issue] = []
    ) {
        self.init(definition: definition, elements: elements, issues: issues, invariants: nil)
    }

    init(
        definition: StructureDefinitionInfo, elements: [ElementDefinitionInfo], issues: [Issue],
        invariants: InvariantCache?
    ) {
        self.preparedInvariants = invariants.map { cache in elements.map { cache.prepared($0) } } ?? []
        self.hasPreparedInvariants = invariants != nil
        self.definition = definition
        self.elements = elements
        self.issues = issues
        var children = [[Int]](repeating: [], count: elements.count)
        var byID: [String: Int] = [:]
        // A stack of open ancestors (index, path): an element is a direct child of the nearest
        // open element whose path is its own path minus the last segment.
        var stack: [(index: Int, path: String)] = []
        for (i, e) in elements.enumerated() {
            byID[e.id] = i
            while let top = stack.last, !(e.path.hasPrefix(top.path + ".")) { stack.removeLast() }
            if let top = stack.last {
                let rest = e.path.dropFirst(top.path.count + 1)
                if !rest.contains(".") { children[top.index].append(i) }
            }
            stack.append((i, e.path))
        }
        self.childIndex = children
        self.groupIndex = children.map { defs in
            var groups: [ChildGroup] = []
            for i in defs {
                let e = elements[i]
                if let last = groups.last, elements[last.base].path == e.path, e.sliceName != nil {
                    groups[groups.count - 1].slices.append(i)
                    if e.min > 0 { groups[groups.count - 1].checkWhenEmpty = true }
                } else {
                    let empty = e.min > 0 || (e.maxCount.map { $0 < 0 } ?? false)
                    groups.append(ChildGroup(base: i, slices: [], name: e.baseName, checkWhenEmpty: empty))
                }
            }
            return groups
        }
        self.byID = byID
    }

    public var url: String { definition.url }
    public var type: String { definition.type }

    /// The direct children of element `index` (0 is the root).
    public func children(of index: Int) -> [Int] {
        index >= 0 && index < childIndex.count ? childIndex[index] : []
    }

    /// The direct children of element `index`, grouped: each child definition with its slices.
    public func childGroups(of index: Int) -> [ChildGroup] {
        index >= 0 && index < groupIndex.count ? groupIndex[index] : []
    }

    /// The invariants of element `index` that the walker evaluates.
    func invariants(of index: Int, cache: InvariantCache) -> [PreparedInvariant] {
        if hasPreparedInvariants, index >= 0, index < preparedInvariants.count { return preparedInvariants[index] }
        return cache.invariants(of: elements[index])
    }

    /// The element with this `id`.
    public func element(id: String) -> Int? { byID[id] }

    /// The first element with this path (the base entry, not a slice).
    public func element(path: String) -> Int? {
        elements.firstIndex { $0.path == path && $0.sliceName == nil }
    }
}

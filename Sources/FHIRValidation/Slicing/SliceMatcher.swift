import FHIRModel
import FHIRPath

/// Which slice each item of a sliced element belongs to (`nil`: none), and the slicing problems
/// found while deciding (no match under closed slicing, order, ambiguity).
struct SliceAssignment: Sendable {
    /// One entry per item: the index in `profile.elements` of its slice entry.
    var slices: [Int?]
    var issues: [Issue]
}

/// Assigns the items of a sliced element to the element's slices by the slicing's
/// discriminators, and checks the slicing rules (`closed`, `openAtEnd`, `ordered`) and that no
/// item matches two slices. Slice cardinalities are left to the caller.
struct SliceMatcher: Sendable {
    let context: ValidationContext
    /// Whether a node conforms to a profile (for `profile` discriminators).
    let conforms: @Sendable (FHIRPathNode, String) -> Bool
    let cache: SlicingCache

    init(context: ValidationContext, conforms: @escaping @Sendable (FHIRPathNode, String) -> Bool) {
        self.init(context: context, cache: SlicingCache(), conforms: conforms)
    }

    /// With a cache shared between matchers (compiled paths and slice criteria are reused).
    init(
        context: ValidationContext, cache: SlicingCache, conforms: @escaping @Sendable (FHIRPathNode, String) -> Bool
    ) {
        self.context = context
        self.cache = cache
        self.conforms = conforms
    }

    /// Assigns `items` (the instance repeats of the sliced element, in order) to `slices` (the
    /// indices of the slice entries of element `base` in `profile.elements`). `path` is the
    /// items' location (`Observation.component`); issues get the item's index appended.
    func assign(_ items: [FHIRPathNode], profile: ResolvedProfile, base: Int, slices: [Int], path: String)
        -> SliceAssignment
    {
        var result = SliceAssignment(slices: Array(repeating: nil, count: items.count), issues: [])
        guard base >= 0, base < profile.elements.count, let slicing = profile.elements[base].slicing,
            !items.isEmpty
        else { return result }
        let slices = slices.filter { $0 >= 0 && $0 < profile.elements.count }
        let element = profile.elements[base].path
        guard !slicing.discriminators.isEmpty else {
            result.issues.append(
                Issue(
                    .information, .sliceNoMatch,
                    "the slicing of \(element) has no discriminators; items are not assigned to its slices",
                    path: path))
            return result
        }
        let plans = slices.map { plan(for: $0, profile: profile, base: base, slicing: slicing, among: slices) }
        var evaluator = ItemEvaluator(matcher: self)
        for (i, item) in items.enumerated() {
            let itemPath = item.element.isListItem ? "\(path)[\(i)]" : path
            var matched: [Int] = []
            var failures: [String] = []
            for (k, plan) in plans.enumerated() {
                if let reason = evaluator.firstFailure(item, itemIndex: i, plan.checks) {
                    failures.append("\(plan.name) (\(reason))")
                } else {
                    matched.append(k)
                }
            }
            // A reslice (`a/b`) explains matching its parent slice (`a`) too: keep the deepest.
            let names = matched.map { plans[$0].name }
            let kept = matched.filter { k in !names.contains { $0.hasPrefix(plans[k].name + "/") } }
            if let first = kept.first {
                result.slices[i] = slices[first]
                if kept.count > 1 {
                    result.issues.append(
                        Issue(
                            .error, .sliceAmbiguous,
                            "the item matches several slices of \(element): "
                                + kept.map { plans[$0].name }.joined(separator: ", "),
                            path: itemPath, position: item.element.position))
                }
            } else if slicing.rules == .closed {
                let tried = failures.isEmpty ? "there are no slices" : "tried " + failures.joined(separator: "; ")
                result.issues.append(
                    Issue(
                        .error, .sliceNoMatch,
                        "the item matches no slice of \(element), and the slicing is closed: \(tried)",
                        path: itemPath, position: item.element.position))
            }
        }
        checkOrder(&result, items: items, plans: plans, slices: slices, slicing: slicing, element: element, path: path)
        return result
    }

    /// `ordered` (items in slice order) and `openAtEnd` (unsliced items after all sliced ones).
    private func checkOrder(
        _ result: inout SliceAssignment, items: [FHIRPathNode], plans: [SlicePlan], slices: [Int],
        slicing: ElementDefinitionInfo.Slicing, element: String, path: String
    ) {
        let position = Dictionary(slices.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Order by the top-level slice (a reslice sorts with its parent slice).
        func rank(_ slice: Int) -> Int {
            guard let k = position[slice] else { return 0 }
            let root = plans[k].name.split(separator: "/").first.map(String.init) ?? plans[k].name
            return plans.firstIndex { $0.name == root } ?? k
        }
        var highest: (rank: Int, name: String)?
        var sawUnsliced = false
        for (i, item) in items.enumerated() {
            let itemPath = item.element.isListItem ? "\(path)[\(i)]" : path
            guard let slice = result.slices[i] else {
                sawUnsliced = true
                continue
            }
            if slicing.rules == .openAtEnd && sawUnsliced {
                result.issues.append(
                    Issue(
                        .error, .sliceOrder,
                        "the item matches a slice of \(element) but follows an item that matches none; "
                            + "the slicing is openAtEnd, so unsliced items must come last",
                        path: itemPath, position: item.element.position))
            }
            guard slicing.ordered else { continue }
            let r = rank(slice)
            let name = position[slice].map { plans[$0].name } ?? ""
            if let h = highest, r < h.rank {
                result.issues.append(
                    Issue(
                        .error, .sliceOrder,
                        "the item matches slice \(name) of \(element), which must come before slice \(h.name): "
                            + "the slicing is ordered",
                        path: itemPath, position: item.element.position))
            } else if highest == nil || r > highest?.rank ?? 0 {
                highest = (r, name)
            }
        }
    }

    // MARK: Plans

    /// What one slice requires: its checks, in discriminator order.
    struct SlicePlan {
        var name: String
        var checks: [(path: String, criterion: DiscriminatorCriterion)]
    }

    /// The checks for slice `slice`: the base's discriminators and, for a reslice `a/b`, the
    /// discriminators of slice `a`'s own slicing.
    private func plan(
        for slice: Int, profile: ResolvedProfile, base: Int, slicing: ElementDefinitionInfo.Slicing, among: [Int]
    ) -> SlicePlan {
        let name = profile.elements[slice].sliceName ?? profile.elements[slice].id
        var discriminators = slicing.discriminators
        var parentName = name
        while let cut = parentName.lastIndex(of: "/") {
            parentName = String(parentName[..<cut])
            let parent = among.first { profile.elements[$0].sliceName == parentName }
            if let parent, let own = profile.elements[parent].slicing {
                discriminators += own.discriminators.filter { !discriminators.contains($0) }
            }
        }
        let checks = discriminators.map { d in
            (
                d.path,
                cache.criterion(profile: profile, slice: slice, discriminator: d) {
                    DiscriminatorResolver(context: context).criterion(
                        profile: profile, slice: slice, parent: parentIndex(of: base, in: profile), discriminator: d)
                }
            )
        }
        return SlicePlan(name: name, checks: checks)
    }

    /// The element whose children include `index`.
    private func parentIndex(of index: Int, in profile: ResolvedProfile) -> Int? {
        var i = index - 1
        while i >= 0 {
            if profile.children(of: i).contains(index) { return i }
            i -= 1
        }
        return nil
    }
}

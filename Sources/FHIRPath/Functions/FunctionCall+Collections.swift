import FHIRModel

/// A set of collection items under FHIRPath `=`, for `distinct()`, `isDistinct()`, `union()`,
/// `intersect()`, `exclude()`, `subsetOf()` and `repeat()`.
///
/// Items are kept in buckets by a cheap key that equal items always share (a string's text, a
/// number's value, a complex element's child count), so each lookup compares only with the few
/// items that could be equal instead of with every item seen.
struct FHIRPathItemSet {
    private enum BucketKey: Hashable {
        case boolean(Bool)
        case string(String)
        case number(FHIRDecimal)
        case temporal
        case time
        case quantity
        /// Structurally equal elements have the same children, so the same count and the same
        /// first child name.
        case complex(childCount: Int, firstName: String?)
    }

    private var buckets: [BucketKey: [FHIRPathValue]] = [:]
    private let context: EvaluationContext?
    /// How many items were inserted (items equal to nothing, such as a primitive without a
    /// value, count too).
    private(set) var count = 0

    init(context: EvaluationContext?) {
        self.context = context
    }

    init(_ items: [FHIRPathValue], context: EvaluationContext?) {
        self.context = context
        for item in items { insert(item) }
    }

    /// The bucket an item belongs in; `nil` for items that equal nothing (a primitive node with
    /// no value).
    private static func key(_ item: FHIRPathValue) -> BucketKey? {
        if case .node(let n) = item, !n.element.isPrimitive {
            if FHIRPathNode.quantityTypes.contains(n.typeName ?? ""), n.systemValue != nil { return .quantity }
            return .complex(childCount: n.element.children.count, firstName: n.element.children.first?.name)
        }
        guard let value = item.systemValue else { return nil }
        switch value {
        case .boolean(let b): return .boolean(b)
        case .string(let s): return .string(s)
        case .integer(let n), .long(let n): return .number(FHIRDecimal(n))
        case .decimal(let d): return .number(d)
        case .date, .dateTime: return .temporal
        case .time: return .time
        case .quantity: return .quantity
        case .node: return nil
        }
    }

    /// Whether an item equal to `item` is in the set.
    func contains(_ item: FHIRPathValue) -> Bool {
        guard let key = Self.key(item), let bucket = buckets[key] else { return false }
        return bucket.contains { FHIRPathEquality.itemEquals($0, item, context: context) == true }
    }

    /// Adds `item` unless an equal one is there; returns whether it was added.
    @discardableResult
    mutating func insert(_ item: FHIRPathValue) -> Bool {
        guard let key = Self.key(item) else {
            count += 1
            return true
        }
        if let bucket = buckets[key],
            bucket.contains(where: { FHIRPathEquality.itemEquals($0, item, context: context) == true })
        {
            return false
        }
        buckets[key, default: []].append(item)
        count += 1
        return true
    }
}

extension FHIRPathItemSet {
    /// The items without duplicates (by `=`), first occurrences kept, in order.
    static func distinct(_ items: [FHIRPathValue], context: EvaluationContext?) -> [FHIRPathValue] {
        guard items.count > 1 else { return items }
        var seen = FHIRPathItemSet(context: context)
        var out: [FHIRPathValue] = []
        out.reserveCapacity(items.count)
        for item in items where seen.insert(item) { out.append(item) }
        return out
    }
}

extension FHIRPathCall {
    /// The evaluation context, for equality that depends on it (the default time zone).
    var context: EvaluationContext { state.context }

    /// Argument `i` evaluated with `$this` and the focus set to `item`, keeping `$index` and
    /// `$total` of the enclosing scope (for `iif()` on an input item).
    func evaluate(_ i: Int, focusedOn item: FHIRPathValue) throws(FHIRPathError) -> [FHIRPathValue] {
        guard i < arguments.count else { return [] }
        var scoped = state
        scoped.this = [item]
        return try arguments[i]([item], scoped)
    }

    /// The items whose lambda argument `i` is true, in order (`where()`, `exists(criteria)`);
    /// stops after `limit` matches.
    func filter(by i: Int, limit: Int = .max) throws(FHIRPathError) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        for (index, item) in input.enumerated() {
            let result = try evaluate(i, on: item, index: index)
            if try FHIRPathLogic.singletonBoolean(result, at: location) == true {
                out.append(item)
                if out.count >= limit { break }
            }
        }
        return out
    }

    /// The input items as booleans, for `allTrue()` and friends; a non-boolean item is an error.
    func booleanItems() throws(FHIRPathError) -> [Bool] {
        var out: [Bool] = []
        out.reserveCapacity(input.count)
        for item in input {
            switch item.systemValue {
            case .boolean(let b)?: out.append(b)
            case nil where item.node?.element.isPrimitive == true: continue
            default: throw failure("expects boolean items")
            }
        }
        return out
    }
}

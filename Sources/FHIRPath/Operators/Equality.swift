import FHIRModel

/// FHIRPath `=` and `~` on items and collections.
enum FHIRPathEquality {
    /// `=` on collections: empty when either side is empty; `false` when the counts differ;
    /// otherwise item by item in order (empty if any item comparison is unknown).
    static func equals(_ a: [FHIRPathValue], _ b: [FHIRPathValue], context: EvaluationContext?) -> Bool? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        guard a.count == b.count else { return false }
        var unknown = false
        for i in a.indices {
            switch itemEquals(a[i], b[i], context: context) {
            case .some(false): return false
            case .none: unknown = true
            case .some(true): break
            }
        }
        return unknown ? nil : true
    }

    /// `~` on collections: both empty is `true`; otherwise same size and every item of `a`
    /// equivalent to some item of `b` (order ignored).
    static func equivalent(_ a: [FHIRPathValue], _ b: [FHIRPathValue], context: EvaluationContext?) -> Bool {
        if a.isEmpty && b.isEmpty { return true }
        guard a.count == b.count else { return false }
        var used = [Bool](repeating: false, count: b.count)
        for x in a {
            var found = false
            for j in b.indices where !used[j] && itemEquivalent(x, b[j], context: context) {
                used[j] = true
                found = true
                break
            }
            if !found { return false }
        }
        return true
    }

    /// `=` on two items: `nil` when unknown (date-times of different precision, quantities in
    /// incomparable units).
    static func itemEquals(_ a: FHIRPathValue, _ b: FHIRPathValue, context: EvaluationContext?) -> Bool? {
        if case .node(let x) = a, case .node(let y) = b, !x.element.isPrimitive || !y.element.isPrimitive {
            if let qx = x.systemValue, let qy = y.systemValue { return systemEquals(qx, qy, context: context) }
            return structurallyEqual(x.element, y.element, equivalent: false)
        }
        guard let x = a.systemValue, let y = b.systemValue else { return nil }
        return systemEquals(x, y, context: context)
    }

    /// `~` on two items.
    static func itemEquivalent(_ a: FHIRPathValue, _ b: FHIRPathValue, context: EvaluationContext?) -> Bool {
        if case .node(let x) = a, case .node(let y) = b, !x.element.isPrimitive || !y.element.isPrimitive {
            if let qx = x.systemValue, let qy = y.systemValue { return systemEquivalent(qx, qy, context: context) }
            return structurallyEqual(x.element, y.element, equivalent: true)
        }
        let x = a.systemValue
        let y = b.systemValue
        guard let x, let y else { return x == nil && y == nil }
        return systemEquivalent(x, y, context: context)
    }

    static func systemEquals(_ a: FHIRPathValue, _ b: FHIRPathValue, context: EvaluationContext?) -> Bool? {
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.integer(let x), .integer(let y)), (.long(let x), .long(let y)),
            (.integer(let x), .long(let y)), (.long(let x), .integer(let y)):
            return x == y
        case (.decimal, .decimal), (.decimal, .integer), (.integer, .decimal), (.decimal, .long), (.long, .decimal):
            guard let x = FHIRPathNumbers.decimal(a), let y = FHIRPathNumbers.decimal(b) else { return false }
            return x == y
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.date(let x), .dateTime(let y)),
            (.dateTime(let x), .date(let y)):
            return FHIRPathTemporalOrder.compare(x, y, context: context).map { $0 == .equal }
        case (.time(let x), .time(let y)): return x.isEqual(to: y)
        case (.quantity(let x), .quantity(let y)): return x.isEqual(to: y)
        default: return false
        }
    }

    static func systemEquivalent(_ a: FHIRPathValue, _ b: FHIRPathValue, context: EvaluationContext?) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return normalizedForEquivalence(x) == normalizedForEquivalence(y)
        case (.decimal, .decimal), (.decimal, .integer), (.integer, .decimal), (.decimal, .long), (.long, .decimal):
            guard let x = FHIRPathNumbers.decimal(a), let y = FHIRPathNumbers.decimal(b) else { return false }
            let scale = min(x.precision, y.precision)
            guard let rx = x.rounded(toDecimalPlaces: scale), let ry = y.rounded(toDecimalPlaces: scale) else {
                return false
            }
            return rx == ry
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.date(let x), .dateTime(let y)),
            (.dateTime(let x), .date(let y)):
            return FHIRPathTemporalOrder.compare(x, y, context: context) == .equal
        case (.time(let x), .time(let y)): return x.isEquivalent(to: y)
        case (.quantity(let x), .quantity(let y)): return x.isEquivalent(to: y)
        default: return systemEquals(a, b, context: context) == true
        }
    }

    /// Strings for `~`: case-insensitive, with runs of whitespace as one space, trimmed.
    static func normalizedForEquivalence(_ s: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in s {
            if ch.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out += ch.lowercased()
        }
        return out
    }

    /// Complex elements: same children (by name, in order) with equal values; `id` is ignored
    /// for `~`.
    static func structurallyEqual(_ a: ElementNode, _ b: ElementNode, equivalent: Bool) -> Bool {
        if a.isPrimitive || b.isPrimitive {
            guard a.isPrimitive, b.isPrimitive else { return false }
            if equivalent {
                let x = FHIRPathNode.systemValue(of: a)
                let y = FHIRPathNode.systemValue(of: b)
                if let x, let y, !systemEquivalent(x, y, context: nil) { return false }
                if (x == nil) != (y == nil) { return false }
            } else if a.value != b.value {
                return false
            }
        }
        let ka = equivalent ? a.children.filter { $0.name != "id" } : a.children
        let kb = equivalent ? b.children.filter { $0.name != "id" } : b.children
        guard ka.count == kb.count else { return false }
        for i in ka.indices {
            guard ka[i].name == kb[i].name, structurallyEqual(ka[i], kb[i], equivalent: equivalent) else {
                return false
            }
        }
        return true
    }
}

import FHIRModel

/// `<`, `<=`, `>`, `>=`.
enum FHIRPathComparison {
    /// Orders two singleton collections: `nil` (empty result) when either is empty or the order
    /// is unknown; an error when either has more than one item or the types cannot be ordered.
    static func compare(
        _ a: [FHIRPathValue], _ b: [FHIRPathValue], op: BinaryOperator, at location: FHIRPathLocation,
        context: EvaluationContext?
    ) throws(FHIRPathError) -> FHIRComparison? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        guard a.count == 1, b.count == 1 else {
            throw FHIRPathError(.execution, "'\(op.rawValue)' needs single items on both sides", at: location)
        }
        guard let x = a[0].systemValue, let y = b[0].systemValue else {
            if a[0].systemValue == nil, b[0].systemValue == nil, a[0].node?.element.isPrimitive == false {
                throw FHIRPathError(.execution, "'\(op.rawValue)' cannot order complex elements", at: location)
            }
            return nil
        }
        switch (x, y) {
        case (.string(let s), .string(let t)): return s < t ? .less : (s == t ? .equal : .greater)
        case (.integer(let m), .integer(let n)), (.long(let m), .long(let n)), (.integer(let m), .long(let n)),
            (.long(let m), .integer(let n)):
            return m < n ? .less : (m == n ? .equal : .greater)
        case (.decimal, .decimal), (.decimal, .integer), (.integer, .decimal), (.decimal, .long), (.long, .decimal):
            guard let d = FHIRPathNumbers.decimal(x), let e = FHIRPathNumbers.decimal(y) else { return nil }
            return d.compare(e)
        case (.date(let s), .date(let t)), (.dateTime(let s), .dateTime(let t)), (.date(let s), .dateTime(let t)),
            (.dateTime(let s), .date(let t)):
            return FHIRPathTemporalOrder.compare(s, t, context: context)
        case (.time(let s), .time(let t)): return s.compare(t)
        case (.quantity(let s), .quantity(let t)):
            return s.compare(t)
        default:
            throw FHIRPathError(
                .execution, "'\(op.rawValue)' cannot compare \(typeWord(x)) with \(typeWord(y))", at: location)
        }
    }

    static func typeWord(_ v: FHIRPathValue) -> String {
        v.type(in: nil).name
    }

    static func result(_ order: FHIRComparison?, _ op: BinaryOperator) -> Bool? {
        guard let order else { return nil }
        switch op {
        case .lessThan: return order == .less
        case .lessOrEqual: return order != .greater
        case .greaterThan: return order == .greater
        case .greaterOrEqual: return order != .less
        default: return nil
        }
    }
}

import FHIRModel

extension FHIRPathCompiler {
    func binary(_ op: BinaryOperator, _ left: FHIRPathExpression, _ right: FHIRPathExpression, at: FHIRPathLocation)
        throws(FHIRPathError) -> Evaluation
    {
        let l = try compile(left)
        let r = try compile(right)
        let opAt = at
        switch op {
        case .and:
            return { focus, state throws(FHIRPathError) in
                let a = try FHIRPathLogic.singletonBoolean(try l(focus, state), at: opAt)
                if a == false { return FHIRPathLogic.just(false) }
                let b = try FHIRPathLogic.singletonBoolean(try r(focus, state), at: opAt)
                return FHIRPathLogic.collection(FHIRPathLogic.and(a, b))
            }
        case .or:
            return { focus, state throws(FHIRPathError) in
                let a = try FHIRPathLogic.singletonBoolean(try l(focus, state), at: opAt)
                if a == true { return FHIRPathLogic.just(true) }
                let b = try FHIRPathLogic.singletonBoolean(try r(focus, state), at: opAt)
                return FHIRPathLogic.collection(FHIRPathLogic.or(a, b))
            }
        case .xor:
            return { focus, state throws(FHIRPathError) in
                let a = try FHIRPathLogic.singletonBoolean(try l(focus, state), at: opAt)
                let b = try FHIRPathLogic.singletonBoolean(try r(focus, state), at: opAt)
                return FHIRPathLogic.collection(FHIRPathLogic.xor(a, b))
            }
        case .implies:
            return { focus, state throws(FHIRPathError) in
                let a = try FHIRPathLogic.singletonBoolean(try l(focus, state), at: opAt)
                if a == false { return FHIRPathLogic.just(true) }
                let b = try FHIRPathLogic.singletonBoolean(try r(focus, state), at: opAt)
                return FHIRPathLogic.collection(FHIRPathLogic.implies(a, b))
            }
        case .equal, .notEqual:
            let negate = op == .notEqual
            return { focus, state throws(FHIRPathError) in
                let result = FHIRPathEquality.equals(try l(focus, state), try r(focus, state), context: state.context)
                return FHIRPathLogic.collection(negate ? result.map { !$0 } : result)
            }
        case .equivalent, .notEquivalent:
            let negate = op == .notEquivalent
            return { focus, state throws(FHIRPathError) in
                let result = FHIRPathEquality.equivalent(
                    try l(focus, state), try r(focus, state), context: state.context)
                return FHIRPathLogic.just(negate ? !result : result)
            }
        case .lessThan, .lessOrEqual, .greaterThan, .greaterOrEqual:
            return { focus, state throws(FHIRPathError) in
                let order = try FHIRPathComparison.compare(
                    try l(focus, state), try r(focus, state), op: op, at: opAt, context: state.context)
                return FHIRPathLogic.collection(FHIRPathComparison.result(order, op))
            }
        case .add, .subtract, .multiply, .divide, .div, .mod, .concatenate:
            return { focus, state throws(FHIRPathError) in
                try FHIRPathArithmetic.apply(op, try l(focus, state), try r(focus, state), at: opAt)
            }
        case .union:
            return { focus, state throws(FHIRPathError) in
                FHIRPathCollections.union(try l(focus, state), try r(focus, state), context: state.context)
            }
        case .in, .contains:
            let isIn = op == .in
            return { focus, state throws(FHIRPathError) in
                let a = try l(focus, state)
                let b = try r(focus, state)
                let (item, collection) = isIn ? (a, b) : (b, a)
                guard let single = item.first else { return [] }
                guard item.count == 1 else {
                    throw FHIRPathError(.execution, "'\(op.rawValue)' needs a single item", at: opAt)
                }
                return FHIRPathLogic.just(FHIRPathCollections.contains(collection, single, context: state.context))
            }
        }
    }
}

/// Collection operations shared by operators and functions.
enum FHIRPathCollections {
    /// Whether `collection` has an item equal to `item`.
    static func contains(_ collection: [FHIRPathValue], _ item: FHIRPathValue, context: EvaluationContext?) -> Bool {
        collection.contains { FHIRPathEquality.itemEquals($0, item, context: context) == true }
    }

    /// The items without duplicates (by `=`), first occurrences kept in order.
    static func distinct(_ items: [FHIRPathValue], context: EvaluationContext?) -> [FHIRPathValue] {
        FHIRPathItemSet.distinct(items, context: context)
    }

    /// `a | b`: both, duplicates removed.
    static func union(_ a: [FHIRPathValue], _ b: [FHIRPathValue], context: EvaluationContext?) -> [FHIRPathValue] {
        distinct(a + b, context: context)
    }
}

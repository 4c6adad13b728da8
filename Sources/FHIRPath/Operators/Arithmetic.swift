import FHIRModel

/// `+ - * / div mod &` and unary minus.
enum FHIRPathArithmetic {
    /// The digits kept after the point by `/` when the quotient does not terminate.
    static let divisionPlaces = 8

    static func apply(
        _ op: BinaryOperator, _ a: [FHIRPathValue], _ b: [FHIRPathValue], at location: FHIRPathLocation
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        if op == .concatenate {
            guard a.count <= 1, b.count <= 1 else {
                throw FHIRPathError(.execution, "'&' needs single items on both sides", at: location)
            }
            let s = try text(a.first, location)
            let t = try text(b.first, location)
            return [.string(s + t)]
        }
        guard !a.isEmpty, !b.isEmpty else { return [] }
        guard a.count == 1, b.count == 1 else {
            throw FHIRPathError(.execution, "'\(op.rawValue)' needs single items on both sides", at: location)
        }
        guard let x = a[0].systemValue, let y = b[0].systemValue else { return [] }
        if let result = try binary(op, x, y, at: location) { return [result] }
        return []
    }

    private static func text(_ v: FHIRPathValue?, _ location: FHIRPathLocation) throws(FHIRPathError) -> String {
        guard let v, let s = v.systemValue else { return "" }
        guard case .string(let t) = s else {
            throw FHIRPathError(.execution, "'&' needs strings", at: location)
        }
        return t
    }

    static func binary(_ op: BinaryOperator, _ x: FHIRPathValue, _ y: FHIRPathValue, at location: FHIRPathLocation)
        throws(FHIRPathError) -> FHIRPathValue?
    {
        switch (x, y) {
        case (.integer(let m), .integer(let n)):
            return integerOp(op, m, n, long: false, at: location)
        case (.long(let m), .long(let n)), (.integer(let m), .long(let n)), (.long(let m), .integer(let n)):
            return integerOp(op, m, n, long: true, at: location)
        case (.decimal, .decimal), (.decimal, .integer), (.integer, .decimal), (.decimal, .long), (.long, .decimal):
            guard let d = FHIRPathNumbers.decimal(x), let e = FHIRPathNumbers.decimal(y) else { return nil }
            return try decimalOp(op, d, e, at: location).map { .decimal($0) }
        case (.string(let s), .string(let t)) where op == .add:
            return .string(s + t)
        case (.quantity(let q), .quantity(let r)):
            switch op {
            case .add: return q.adding(r).map { .quantity($0) }
            case .subtract: return q.subtracting(r).map { .quantity($0) }
            case .multiply: return q.multiplied(by: r).map { .quantity($0) }
            case .divide: return q.divided(by: r).map { .quantity($0) }
            default: break
            }
        case (.quantity(let q), .integer), (.quantity(let q), .decimal), (.quantity(let q), .long):
            guard op == .multiply || op == .divide, let n = FHIRPathNumbers.decimal(y) else { break }
            let r = FHIRPathQuantity(value: n, unit: "1")
            return (op == .multiply ? q.multiplied(by: r) : q.divided(by: r)).map { .quantity($0) }
        case (.integer, .quantity(let q)), (.decimal, .quantity(let q)), (.long, .quantity(let q)):
            guard op == .multiply, let n = FHIRPathNumbers.decimal(x) else { break }
            return FHIRPathQuantity(value: n, unit: "1").multiplied(by: q).map { .quantity($0) }
        case (.date, .quantity(let q)), (.dateTime, .quantity(let q)), (.time, .quantity(let q)):
            guard op == .add || op == .subtract else { break }
            do {
                return try FHIRPathTemporalArithmetic.add(q, to: x, subtracting: op == .subtract)
            } catch {
                throw FHIRPathError(.execution, error.message, at: location)
            }
        default:
            break
        }
        throw FHIRPathError(
            .execution,
            "'\(op.rawValue)' is not defined for \(FHIRPathComparison.typeWord(x)) and \(FHIRPathComparison.typeWord(y))",
            at: location)
    }

    private static func integerOp(_ op: BinaryOperator, _ m: Int, _ n: Int, long: Bool, at location: FHIRPathLocation)
        -> FHIRPathValue?
    {
        func wrap(_ r: (partialValue: Int, overflow: Bool)) -> FHIRPathValue? {
            guard !r.overflow else { return nil }
            if long { return .long(r.partialValue) }
            return FHIRPathNumbers.integerRange.contains(r.partialValue) ? .integer(r.partialValue) : nil
        }
        switch op {
        case .add: return wrap(m.addingReportingOverflow(n))
        case .subtract: return wrap(m.subtractingReportingOverflow(n))
        case .multiply: return wrap(m.multipliedReportingOverflow(by: n))
        case .div:
            guard n != 0 else { return nil }
            return wrap(m.dividedReportingOverflow(by: n))
        case .mod:
            guard n != 0 else { return nil }
            return wrap(m.remainderReportingOverflow(dividingBy: n))
        case .divide:
            guard n != 0 else { return nil }
            return FHIRDecimal(m).dividing(by: FHIRDecimal(n), decimalPlaces: divisionPlaces).map {
                .decimal($0.trimmedQuotient)
            }
        default: return nil
        }
    }

    private static func decimalOp(
        _ op: BinaryOperator, _ d: FHIRDecimal, _ e: FHIRDecimal, at location: FHIRPathLocation
    )
        throws(FHIRPathError) -> FHIRDecimal?
    {
        switch op {
        case .add: return d.adding(e)
        case .subtract: return d.subtracting(e)
        case .multiply: return d.multiplied(by: e)
        case .divide:
            guard !e.isZero else { return nil }
            return d.dividing(by: e, decimalPlaces: divisionPlaces).map(\.trimmedQuotient)
        case .div:
            guard !e.isZero, let qr = d.quotientAndRemainder(dividingBy: e) else { return nil }
            return qr.quotient
        case .mod:
            guard !e.isZero, let qr = d.quotientAndRemainder(dividingBy: e) else { return nil }
            return qr.remainder
        default: return nil
        }
    }

    /// Unary minus on a singleton number or quantity.
    static func negate(_ a: [FHIRPathValue], at location: FHIRPathLocation) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let first = a.first else { return [] }
        guard a.count == 1 else { throw FHIRPathError(.execution, "unary '-' needs a single item", at: location) }
        switch first.systemValue {
        case .integer(let n): return [.integer(-n)]
        case .long(let n): return [.long(-n)]
        case .decimal(let d): return [.decimal(d.negated())]
        case .quantity(var q):
            q.value = q.value.negated()
            return [.quantity(q)]
        case .none: return []
        default: throw FHIRPathError(.execution, "unary '-' needs a number or a quantity", at: location)
        }
    }
}

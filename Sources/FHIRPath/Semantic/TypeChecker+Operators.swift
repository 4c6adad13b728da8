import FHIRModel

/// Binary operators: result types, and arithmetic on types it is not defined for.
extension FHIRPathTypeInference {
    func binary(
        _ op: BinaryOperator, _ left: FHIRPathExpression, _ right: FHIRPathExpression, in scope: FHIRPathTypeScope,
        at location: FHIRPathLocation
    ) throws(FHIRPathError) -> FHIRPathStaticType {
        let a = try infer(left, in: scope)
        let b = try infer(right, in: scope)
        switch op {
        case .and, .or, .xor, .implies, .equal, .notEqual, .equivalent, .notEquivalent, .lessThan, .greaterThan,
            .lessOrEqual, .greaterOrEqual, .in, .contains:
            return .boolean
        case .union:
            return a.merged(with: b).with(collection: true, unordered: a.isUnordered || b.isUnordered)
        case .concatenate:
            return .string
        case .add, .subtract, .multiply, .divide, .div, .mod:
            return try arithmetic(op, a, b, at: location)
        }
    }

    /// `+ - * / div mod`: reported when no combination of the possible System types of the two
    /// sides is defined and one side is a date or time (`@1974-12-25 + 7`). Other undefined
    /// combinations (`'a' - 'b'`) are left to evaluation, as the official suite expects.
    private func arithmetic(
        _ op: BinaryOperator, _ a: FHIRPathStaticType, _ b: FHIRPathStaticType, at location: FHIRPathLocation
    ) throws(FHIRPathError) -> FHIRPathStaticType {
        guard let xs = systemTypeNames(a), let ys = systemTypeNames(b), !xs.isEmpty, !ys.isEmpty else {
            return FHIRPathStaticType(types: nil)
        }
        var results = Set<FHIRPathStaticTypeName>()
        for x in xs {
            for y in ys {
                if let r = Self.arithmeticResult(op, x, y) { results.insert(.system(r)) }
            }
        }
        if results.isEmpty && (xs.isSubset(of: Self.temporalTypes) || ys.isSubset(of: Self.temporalTypes)) {
            let left = xs.sorted().joined(separator: "/")
            let right = ys.sorted().joined(separator: "/")
            return try failure("'\(op.rawValue)' is not defined for \(left) and \(right)", at: location)
        }
        return FHIRPathStaticType(types: results.isEmpty ? nil : results)
    }

    private static let temporalTypes: Set<String> = ["Date", "DateTime", "Time"]

    /// The System types the items may convert to for arithmetic; nil when any is unknown.
    func systemTypeNames(_ t: FHIRPathStaticType) -> Set<String>? {
        guard let types = t.types else { return nil }
        var names = Set<String>()
        for type in types {
            switch type {
            case .system(let name):
                guard name != "Any" else { return nil }
                names.insert(name)
            case .fhir(let name):
                if let system = Self.primitiveSystemTypes[name] {
                    names.insert(system)
                } else if model.type(named: name) != nil && model.isType(name, a: "Quantity") {
                    names.insert("Quantity")
                } else {
                    return nil
                }
            }
        }
        return names
    }

    /// The System type each FHIR primitive converts to.
    static let primitiveSystemTypes: [String: String] = [
        "boolean": "Boolean", "integer": "Integer", "positiveInt": "Integer", "unsignedInt": "Integer",
        "integer64": "Long", "decimal": "Decimal", "date": "Date", "dateTime": "DateTime", "instant": "DateTime",
        "time": "Time", "string": "String", "code": "String", "id": "String", "markdown": "String", "uri": "String",
        "url": "String", "canonical": "String", "oid": "String", "uuid": "String", "base64Binary": "String",
        "xhtml": "String",
    ]

    private static let numberRank: [String: Int] = ["Integer": 0, "Long": 1, "Decimal": 2]

    /// The result type of `x op y` on System types, or nil when it is not defined (the same
    /// table as the evaluator's arithmetic).
    static func arithmeticResult(_ op: BinaryOperator, _ x: String, _ y: String) -> String? {
        if let i = numberRank[x], let j = numberRank[y] {
            if op == .divide || max(i, j) == 2 { return "Decimal" }
            return max(i, j) == 1 ? "Long" : "Integer"
        }
        switch (x, y) {
        case ("String", "String"):
            return op == .add ? "String" : nil
        case ("Quantity", "Quantity"):
            return [.add, .subtract, .multiply, .divide].contains(op) ? "Quantity" : nil
        case ("Quantity", _) where numberRank[y] != nil:
            return op == .multiply || op == .divide ? "Quantity" : nil
        case (_, "Quantity") where numberRank[x] != nil:
            return op == .multiply ? "Quantity" : nil
        case ("Date", "Quantity"), ("DateTime", "Quantity"), ("Time", "Quantity"):
            return op == .add || op == .subtract ? x : nil
        default:
            return nil
        }
    }
}

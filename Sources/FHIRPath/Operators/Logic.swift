/// Three-valued boolean logic (`nil` is the empty collection) and singleton evaluation.
enum FHIRPathLogic {
    /// A collection read as a boolean: empty is `nil`; one Boolean item is its value; one item
    /// of another type is `true` (FHIRPath singleton evaluation); more items are an error.
    static func singletonBoolean(_ values: [FHIRPathValue], at location: FHIRPathLocation) throws(FHIRPathError)
        -> Bool?
    {
        guard let first = values.first else { return nil }
        guard values.count == 1 else {
            throw FHIRPathError(
                .execution, "a boolean was expected but the collection has \(values.count) items", at: location)
        }
        if case .boolean(let b) = first.systemValue { return b }
        if case .node(let n) = first, n.element.isPrimitive, n.element.value == nil { return nil }
        return true
    }

    /// The collection for a three-valued result.
    @inline(__always)
    static func collection(_ value: Bool?) -> [FHIRPathValue] {
        guard let value else { return [] }
        return value ? trueCollection : falseCollection
    }

    /// The collection holding one Boolean (shared, so results allocate nothing).
    @inline(__always)
    static func just(_ value: Bool) -> [FHIRPathValue] {
        value ? trueCollection : falseCollection
    }

    static let trueCollection: [FHIRPathValue] = [.boolean(true)]
    static let falseCollection: [FHIRPathValue] = [.boolean(false)]

    static func and(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == false || b == false { return false }
        if a == true && b == true { return true }
        return nil
    }

    static func or(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == true || b == true { return true }
        if a == false && b == false { return false }
        return nil
    }

    static func xor(_ a: Bool?, _ b: Bool?) -> Bool? {
        guard let a, let b else { return nil }
        return a != b
    }

    static func implies(_ a: Bool?, _ b: Bool?) -> Bool? {
        switch a {
        case .some(false): return true
        case .some(true): return b
        case .none: return b == true ? true : nil
        }
    }
}

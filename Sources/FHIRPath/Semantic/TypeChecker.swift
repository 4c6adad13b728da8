import FHIRModel

/// Options of the static checks done when an expression is compiled against a context type.
public struct FHIRPathCheckOptions: Sendable, Hashable {
    /// Reports ordered functions (`first()`, `last()`, `tail()`, `skip()`, `take()`, `[i]`)
    /// applied to the output of `children()` or `descendants()`, whose order is undefined (the
    /// official suite's `checkOrderedFunctions` mode). Off by default.
    public var checkOrderedFunctions: Bool

    public init(checkOrderedFunctions: Bool = false) {
        self.checkOrderedFunctions = checkOrderedFunctions
    }
}

/// Static (semantic) checks of an expression against the type of its context.
///
/// Every sub-expression gets a ``FHIRPathStaticType``: the FHIR types (or backbone paths) and
/// System types its items may have, and whether it may hold more than one item. Where the type
/// cannot be known the result is "any", and nothing about it is reported: the checker only
/// reports what is certainly wrong, so every valid expression (every invariant of the core
/// definitions) passes. It reports, as `.semantic` errors at the offending name:
/// - a member that none of the possible types has (`name.given1`, `value.unit` after
///   `as Period`, the JSON name `valueQuantity`);
/// - a path that starts with a type name the focus can never be (`Encounter.name` on a Patient);
/// - a string function on input that can never be a string (`identifier.startsWith('x')`);
/// - an `iif` criterion that is a non-Boolean literal or certainly more than one item;
/// - arithmetic on System types it is not defined for (`@1974-12-25 + 7`);
/// - with ``FHIRPathCheckOptions/checkOrderedFunctions``, ordered functions on the output of
///   `children()`/`descendants()`.
///
/// Unknown functions and wrong argument counts are left to the compiler.
struct FHIRPathTypeChecker {
    let model: ModelInfo
    let checkOrderedFunctions: Bool

    init(model: ModelInfo, checkOrderedFunctions: Bool = false) {
        self.model = model
        self.checkOrderedFunctions = checkOrderedFunctions
    }

    init(model: ModelInfo, options: FHIRPathCheckOptions) {
        self.init(model: model, checkOrderedFunctions: options.checkOrderedFunctions)
    }

    /// Checks `expression` evaluated on an item of `contextType` (a resource, data type or
    /// backbone path such as `Patient.contact`).
    func check(_ expression: FHIRPathExpression, contextType: String) throws(FHIRPathError) {
        _ = try infer(expression, contextTypes: [contextType])
    }

    /// Checks `expression` on an item of any of `contextTypes` (a choice element such as
    /// `Observation.effective[x]` has several).
    func check(_ expression: FHIRPathExpression, contextTypes: [String]) throws(FHIRPathError) {
        _ = try infer(expression, contextTypes: contextTypes)
    }

    /// The static type of `expression`, reporting problems as it goes.
    func infer(_ expression: FHIRPathExpression, contextTypes: [String]) throws(FHIRPathError) -> FHIRPathStaticType {
        let context = contextType(contextTypes)
        let inference = FHIRPathTypeInference(
            model: model, checkOrderedFunctions: checkOrderedFunctions, context: context,
            resource: resourceType(contextTypes))
        return try inference.infer(expression, in: FHIRPathTypeScope(this: context))
    }

    /// The context as a static type: any name the model does not know makes it "any".
    private func contextType(_ names: [String]) -> FHIRPathStaticType {
        var types = Set<FHIRPathStaticTypeName>()
        for name in names {
            if model.type(named: name) != nil {
                types.insert(.fhir(name))
            } else if FHIRPathTypeName.systemTypes.contains(name), name != "Any" {
                types.insert(.system(name))
            } else {
                return .any
            }
        }
        return types.isEmpty ? .any : FHIRPathStaticType(types: types)
    }

    /// `%resource`: the resource the context belongs to, when the context names it (`Patient`,
    /// `Patient.contact`); "any" for data types, which can be anywhere.
    private func resourceType(_ names: [String]) -> FHIRPathStaticType {
        var types = Set<FHIRPathStaticTypeName>()
        for name in names {
            let root = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
            guard let summary = model.type(named: root), summary.kind == .resource else { return .any }
            types.insert(.fhir(root))
        }
        return types.isEmpty ? .any : FHIRPathStaticType(types: types)
    }
}

/// One pass of type inference over an expression tree.
struct FHIRPathTypeInference {
    let model: ModelInfo
    let checkOrderedFunctions: Bool
    /// `%context`.
    let context: FHIRPathStaticType
    /// `%resource`.
    let resource: FHIRPathStaticType
    /// In a trial pass (the fixpoint of `repeat()`), problems give "any" instead of errors.
    var quiet = false

    /// Reports a problem (or, in a trial pass, gives up on the type).
    func failure(_ message: String, at location: FHIRPathLocation) throws(FHIRPathError) -> FHIRPathStaticType {
        if quiet { return .any }
        throw FHIRPathError(.semantic, message, at: location)
    }

    func infer(_ e: FHIRPathExpression, in scope: FHIRPathTypeScope) throws(FHIRPathError) -> FHIRPathStaticType {
        switch e.kind {
        case .empty: return .empty
        case .boolean: return .boolean
        case .string: return .string
        case .integer: return .integer
        case .long: return .system("Long")
        case .decimal: return .system("Decimal")
        case .date: return .system("Date")
        case .dateTime(let text): return .system(text.contains("T") ? "DateTime" : "Date")
        case .time: return .system("Time")
        case .quantity: return .system("Quantity")
        case .externalConstant(let name): return externalConstant(name)
        case .variable(let v): return variable(v, in: scope)
        case .identifier(let name):
            return try start(name, focus: scope.this, at: e.location)
        case .member(let target, let name):
            let input = try infer(target, in: scope)
            return try member(name, of: input, at: e.location)
        case .memberVariable(let target, let v):
            _ = try infer(target, in: scope)
            return variable(v, in: scope)
        case .function(let target, let name, let arguments):
            return try function(name, target: target, arguments: arguments, in: scope, at: e.location)
        case .indexer(let target, let index):
            let input = try infer(target, in: scope)
            _ = try infer(index, in: scope)
            if checkOrderedFunctions && input.isUnordered {
                return try failure(Self.unorderedMessage("an index"), at: e.location)
            }
            return input.item
        case .unary(_, let operand):
            return try infer(operand, in: scope).with(collection: false)
        case .binary(let op, let left, let right):
            return try binary(op, left, right, in: scope, at: e.location)
        case .type(let op, let operand, let spec):
            let input = try infer(operand, in: scope)
            switch op {
            case .is: return .boolean
            case .as: return narrowed(input, to: spec).item
            }
        }
    }

    static func unorderedMessage(_ what: String) -> String {
        "\(what) needs an ordered input, but the output of children() or descendants() has no defined order"
    }

    private func externalConstant(_ name: String) -> FHIRPathStaticType {
        switch name {
        case "context": return context
        case "resource": return resource
        case "ucum", "sct", "loinc": return .string
        default:
            if name.hasPrefix("vs-") || name.hasPrefix("ext-") { return .string }
            return .any
        }
    }

    private func variable(_ v: SpecialVariable, in scope: FHIRPathTypeScope) -> FHIRPathStaticType {
        switch v {
        case .this: return scope.this
        case .index: return .integer
        case .total: return scope.total
        }
    }

    /// The first name of a path: a type name selects the focus when it is of that type
    /// (`Patient.name` on a Patient); any other name is a member of the focus.
    func start(_ name: String, focus: FHIRPathStaticType, at location: FHIRPathLocation) throws(FHIRPathError)
        -> FHIRPathStaticType
    {
        guard let first = name.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z"),
            model.type(named: name) != nil
        else {
            return try member(name, of: focus, at: location)
        }
        guard let types = focus.types else { return .any }
        if types.isEmpty { return .empty }
        var matched = Set<FHIRPathStaticTypeName>()
        var open = false
        for type in types {
            guard case .fhir(let typeName) = type, let summary = model.type(named: typeName) else {
                open = true
                continue
            }
            if model.isType(typeName, a: name) {
                matched.insert(type)
            } else if model.isType(name, a: typeName) {
                // The focus is of an abstract type (`Resource`) that `name` specialises.
                matched.insert(.fhir(name))
            } else if isOpen(summary) {
                open = true
            }
        }
        if !matched.isEmpty {
            return FHIRPathStaticType(types: matched, isCollection: focus.isCollection, isUnordered: focus.isUnordered)
        }
        if open { return .any }
        return try failure("'\(name)' does not match the type of the input (\(focus.typeList))", at: location)
    }

    /// The children named `name` of items of `input`.
    func member(_ name: String, of input: FHIRPathStaticType, at location: FHIRPathLocation) throws(FHIRPathError)
        -> FHIRPathStaticType
    {
        guard let types = input.types else { return .any }
        if types.isEmpty { return .empty }
        var found = Set<FHIRPathStaticTypeName>()
        var isCollection = input.isCollection
        var open = false
        for type in types {
            guard case .fhir(let typeName) = type, let summary = model.type(named: typeName) else {
                // System values have no children, but say nothing about them.
                open = true
                continue
            }
            guard let element = summary.element(named: name) else {
                if isOpen(summary) { open = true }
                continue
            }
            if element.isArray { isCollection = true }
            if element.types.isEmpty { open = true }
            for code in element.types {
                found.insert(.fhir(model.childSummary(of: element, type: code)?.name ?? code))
            }
        }
        if open { return .any }
        if found.isEmpty {
            return try failure("no element '\(name)' on \(input.typeList)", at: location)
        }
        return FHIRPathStaticType(types: found, isCollection: isCollection, isUnordered: input.isUnordered)
    }

    /// Whether items of this type may have elements it does not list: abstract types
    /// (`Resource`, `DomainResource`, `Element`) and logical models.
    func isOpen(_ summary: TypeSummary) -> Bool {
        summary.isAbstract || summary.kind == .logical
    }

    /// `as T`, `ofType(T)`: the items that are of type `T`.
    func narrowed(_ input: FHIRPathStaticType, to spec: TypeSpecifier) -> FHIRPathStaticType {
        let name = spec.name
        var types = Set<FHIRPathStaticTypeName>()
        let isSystem = FHIRPathTypeName.systemTypes.contains(name) && name != "Any"
        let isFHIR = model.type(named: name) != nil
        switch spec.namespace {
        case "System": if isSystem { types.insert(.system(name)) }
        case "FHIR": if isFHIR { types.insert(.fhir(name)) }
        case nil:
            if isSystem { types.insert(.system(name)) }
            if isFHIR { types.insert(.fhir(name)) }
        default: break
        }
        if types.isEmpty { return FHIRPathStaticType(types: nil, isCollection: input.isCollection) }
        return FHIRPathStaticType(types: types, isCollection: input.isCollection, isUnordered: input.isUnordered)
    }
}

import FHIRModel

/// Function calls: how arguments are scoped, what each function returns, and the checks on
/// string functions, `iif` and ordered functions.
extension FHIRPathTypeInference {
    /// Functions whose (first) argument is evaluated once per input item, with `$this` set.
    static let lambdaFunctions: Set<String> = ["where", "select", "all", "exists", "repeat", "aggregate"]

    /// Functions whose argument is a type name, not an expression.
    static let typeFunctions: Set<String> = ["is", "as", "ofType"]

    /// Functions that need the input in a defined order.
    static let orderedFunctions: Set<String> = ["first", "last", "tail", "skip", "take"]

    /// Functions that need a string input.
    static let stringFunctions: Set<String> = [
        "startsWith", "endsWith", "contains", "matches", "matchesFull", "replace", "replaceMatches", "length",
        "upper", "lower", "indexOf", "lastIndexOf", "substring", "trim", "split", "toChars", "encode", "decode",
        "escape", "unescape",
    ]

    static let booleanResults: Set<String> = [
        "empty", "exists", "all", "allTrue", "anyTrue", "allFalse", "anyFalse", "subsetOf", "supersetOf",
        "isDistinct", "not", "hasValue", "is", "memberOf", "conformsTo", "htmlChecks", "comparable",
        "hasTemplateIdOf", "startsWith", "endsWith", "contains", "matches", "matchesFull", "toBoolean",
        "convertsToBoolean", "convertsToInteger", "convertsToLong", "convertsToDecimal", "convertsToString",
        "convertsToDate", "convertsToDateTime", "convertsToTime", "convertsToQuantity",
    ]

    static let integerResults: Set<String> = [
        "count", "length", "indexOf", "lastIndexOf", "toInteger", "precision", "ceiling", "floor", "truncate",
    ]

    static let stringResults: Set<String> = [
        "toString", "substring", "upper", "lower", "trim", "replace", "replaceMatches", "encode", "decode",
        "escape", "unescape", "join",
    ]

    /// Functions whose result has the type and cardinality of their input.
    static let sameAsInput: Set<String> = [
        "where", "tail", "skip", "take", "distinct", "intersect", "exclude", "trace",
    ]

    func function(
        _ name: String, target: FHIRPathExpression?, arguments: [FHIRPathExpression], in scope: FHIRPathTypeScope,
        at location: FHIRPathLocation
    ) throws(FHIRPathError) -> FHIRPathStaticType {
        let input = try target.map { (t) throws(FHIRPathError) in try infer(t, in: scope) } ?? scope.this
        // Unknown functions are the compiler's to report; their arguments may be lambdas.
        guard FHIRPathFunctionLibrary.all[name] != nil else { return .any }
        if Self.typeFunctions.contains(name) {
            guard name != "is" else { return .boolean }
            guard let first = arguments.first, let spec = FHIRPathCompiler.typeSpecifier(first) else { return .any }
            return narrowed(input, to: spec)
        }
        if checkOrderedFunctions && input.isUnordered && Self.orderedFunctions.contains(name) {
            return try failure(Self.unorderedMessage("\(name)()"), at: location)
        }
        if Self.stringFunctions.contains(name) && !canBeString(input) {
            return try failure("\(name)() needs a string input, but the input is \(input.typeList)", at: location)
        }
        if name == "iif" {
            return try iif(arguments, input: target == nil ? nil : input, in: scope)
        }
        if name == "sort" {
            // Every key (`-family` for descending) runs on each item; the output is ordered.
            for key in arguments { _ = try infer(key, in: FHIRPathTypeScope(this: input.item, total: scope.total)) }
            return input.with(collection: input.isCollection)
        }
        if Self.lambdaFunctions.contains(name), let lambda = arguments.first {
            return try lambdaFunction(name, lambda, arguments.dropFirst(), input: input, in: scope)
        }
        var argumentTypes: [FHIRPathStaticType] = []
        for (i, argument) in arguments.enumerated() {
            if name == "trace" && i == 1 {
                // The projection runs on each input item.
                _ = try infer(argument, in: FHIRPathTypeScope(this: input.item, total: scope.total))
            } else {
                argumentTypes.append(try infer(argument, in: scope))
            }
        }
        return result(of: name, input: input, arguments: argumentTypes)
    }

    /// `where`, `select`, `all`, `exists`, `repeat`, `aggregate`.
    private func lambdaFunction(
        _ name: String, _ lambda: FHIRPathExpression, _ rest: ArraySlice<FHIRPathExpression>,
        input: FHIRPathStaticType, in scope: FHIRPathTypeScope
    ) throws(FHIRPathError) -> FHIRPathStaticType {
        for argument in rest { _ = try infer(argument, in: scope) }
        switch name {
        case "repeat":
            return try repeatType(lambda, input: input, in: scope)
        case "aggregate":
            _ = try infer(lambda, in: FHIRPathTypeScope(this: input.item, total: .any))
            return .any
        default:
            let body = try infer(lambda, in: FHIRPathTypeScope(this: input.item, total: scope.total))
            switch name {
            case "where": return input
            case "select":
                return FHIRPathStaticType(
                    types: body.types, isCollection: input.isCollection || body.isCollection,
                    isUnordered: input.isUnordered)
            default: return .boolean
            }
        }
    }

    /// `repeat(e)`: `e` runs on the input and then on its own output, so its `$this` is the
    /// union of both; found by a few quiet passes before the reporting one.
    private func repeatType(_ lambda: FHIRPathExpression, input: FHIRPathStaticType, in scope: FHIRPathTypeScope)
        throws(FHIRPathError) -> FHIRPathStaticType
    {
        // Inside a trial pass, one pass on "any" (so nested repeats stay cheap).
        if quiet {
            _ = try infer(lambda, in: FHIRPathTypeScope(this: .any, total: scope.total))
            return .any
        }
        var trial = self
        trial.quiet = true
        var focus = input.item
        for _ in 0..<8 {
            let output = try trial.infer(lambda, in: FHIRPathTypeScope(this: focus, total: scope.total))
            let next = focus.merged(with: output.item)
            if next == focus { break }
            focus = next
            if focus.isAny { break }
        }
        let output = try infer(lambda, in: FHIRPathTypeScope(this: focus, total: scope.total))
        return output.with(collection: true, unordered: input.isUnordered)
    }

    /// `iif(criterion, then, else)`: the criterion must be able to be a single Boolean.
    private func iif(_ arguments: [FHIRPathExpression], input: FHIRPathStaticType?, in scope: FHIRPathTypeScope)
        throws(FHIRPathError) -> FHIRPathStaticType
    {
        // Called on a collection, the arguments may see it or the enclosing `$this`.
        let focus = input.map { $0.item.merged(with: scope.this) } ?? scope.this
        let inner = FHIRPathTypeScope(this: focus, total: scope.total)
        guard let criterion = arguments.first else { return .any }
        switch criterion.kind {
        case .string, .integer, .long, .decimal, .date, .dateTime, .time, .quantity:
            return try failure("the criterion of iif() must be a Boolean", at: criterion.range.start)
        default:
            if let literals = Self.literalValues(criterion), literals.count > 1 {
                return try failure(
                    "the criterion of iif() must be a single Boolean, not a collection", at: criterion.range.start)
            }
        }
        _ = try infer(criterion, in: inner)
        var result = FHIRPathStaticType.empty
        for branch in arguments.dropFirst() {
            result = result.merged(with: try infer(branch, in: inner))
        }
        return result
    }

    /// The distinct values of a union of literals (`1 | 2 | 3`), or nil for anything else.
    static func literalValues(_ e: FHIRPathExpression) -> Set<String>? {
        switch e.kind {
        case .integer(let lexeme): return Int(lexeme).map { ["n:\($0)"] }
        case .string(let s): return ["s:" + s]
        case .boolean(let b): return ["b:\(b)"]
        case .binary(.union, let left, let right):
            guard let a = literalValues(left), let b = literalValues(right) else { return nil }
            return a.union(b)
        default: return nil
        }
    }

    /// Whether any item of `input` may be a string (FHIR primitives all count, as may
    /// anything unknown or abstract).
    func canBeString(_ input: FHIRPathStaticType) -> Bool {
        guard let types = input.types, !types.isEmpty else { return true }
        for type in types {
            switch type {
            case .system(let name):
                if name == "String" || name == "Any" { return true }
            case .fhir(let name):
                guard let summary = model.type(named: name) else { return true }
                if summary.kind == .primitive || isOpen(summary) { return true }
            }
        }
        return false
    }

    /// The result of a function whose arguments are plain values.
    private func result(of name: String, input: FHIRPathStaticType, arguments: [FHIRPathStaticType])
        -> FHIRPathStaticType
    {
        if Self.booleanResults.contains(name) { return .boolean }
        if Self.integerResults.contains(name) { return .integer }
        if Self.stringResults.contains(name) { return .string }
        if Self.sameAsInput.contains(name) { return input }
        switch name {
        case "first", "last", "single": return input.item
        case "union", "combine":
            return input.merged(with: arguments.first ?? .empty).with(
                collection: true, unordered: input.isUnordered || arguments.first?.isUnordered == true)
        case "children", "descendants": return FHIRPathStaticType(types: nil, isCollection: true, isUnordered: true)
        case "split", "toChars": return .system("String", collection: true)
        case "toDecimal": return .system("Decimal")
        case "toLong": return .system("Long")
        case "toDate", "today": return .system("Date")
        case "toDateTime", "now": return .system("DateTime")
        case "toTime", "timeOfDay": return .system("Time")
        case "toQuantity": return .system("Quantity")
        case "extension": return .fhir("Extension", collection: true)
        case "resolve": return .fhir("Resource", collection: input.isCollection)
        case "elementDefinition": return .fhir("ElementDefinition", collection: input.isCollection)
        default: return .any
        }
    }
}

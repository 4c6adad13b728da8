import FHIRModel

/// One invocation of a FHIRPath function: its input collection, its (unevaluated) arguments
/// and the state to evaluate them in.
///
/// Arguments are evaluated lazily, so a function decides whether an argument is a value
/// (``argument(_:)``, evaluated once against the enclosing `$this`) or a lambda
/// (``evaluate(_:on:index:total:)``, evaluated per item with `$this`, `$index`, `$total` set).
struct FHIRPathCall {
    /// What is fixed where the call is written (name, compiled arguments, position), shared by
    /// every evaluation of it: building a call then costs one reference count for all of it.
    final class Site: Sendable {
        let name: String
        let arguments: [Evaluation]
        let location: FHIRPathLocation
        /// The type argument of `is()`, `as()`, `ofType()`, resolved at compile time.
        let typeArgument: FHIRPathTypeTest?
        /// For `sort()`: which arguments were written `-key` (descending); the compiled argument
        /// is the key without the minus.
        let descendingArguments: [Bool]

        init(
            name: String, arguments: [Evaluation], location: FHIRPathLocation, typeArgument: FHIRPathTypeTest?,
            descendingArguments: [Bool]
        ) {
            self.name = name
            self.arguments = arguments
            self.location = location
            self.typeArgument = typeArgument
            self.descendingArguments = descendingArguments
        }
    }

    let site: Site
    let input: [FHIRPathValue]
    let state: EvaluationState

    var name: String { site.name }
    var arguments: [Evaluation] { site.arguments }
    var location: FHIRPathLocation { site.location }
    var typeArgument: FHIRPathTypeTest? { site.typeArgument }
    var descendingArguments: [Bool] { site.descendingArguments }

    var argumentCount: Int { arguments.count }
    var environment: FHIRPathEnvironment { state.context.environment }
    var model: ModelInfo? { state.context.model }

    /// Argument `i` evaluated as a value, against the same `$this` as the call.
    func argument(_ i: Int) throws(FHIRPathError) -> [FHIRPathValue] {
        guard i < arguments.count else { return [] }
        return try arguments[i](state.this, state)
    }

    /// Argument `i` evaluated as a lambda on one input item.
    func evaluate(_ i: Int, on item: FHIRPathValue, index: Int, total: [FHIRPathValue]? = nil) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        guard i < arguments.count else { return [] }
        return try arguments[i]([item], state.scoped(item: item, index: index, total: total))
    }

    /// An execution error at this call.
    func failure(_ message: String) -> FHIRPathError {
        FHIRPathError(.execution, "\(name)(): \(message)", at: location)
    }

    /// The single input item, `nil` when the input is empty; more than one is an error.
    func singleInput() throws(FHIRPathError) -> FHIRPathValue? {
        guard input.count <= 1 else { throw failure("expects at most one input item, got more") }
        return input.first
    }

    /// The single input item as a System value (a FHIR primitive converted), `nil` when empty.
    func singleInputValue() throws(FHIRPathError) -> FHIRPathValue? {
        try singleInput()?.systemValue
    }

    /// The input as one string; `nil` when empty. A non-string item is an error.
    func stringInput() throws(FHIRPathError) -> String? {
        guard let v = try singleInputValue() else { return nil }
        guard case .string(let s) = v else { throw failure("expects a string input") }
        return s
    }

    /// Argument `i` as one System value; `nil` when it is empty; more than one is an error.
    func singleArgument(_ i: Int) throws(FHIRPathError) -> FHIRPathValue? {
        let values = try argument(i)
        guard values.count <= 1 else { throw failure("argument \(i + 1) must be a single item") }
        return values.first?.systemValue
    }

    /// Argument `i` as a string; `nil` when empty; another type is an error.
    func stringArgument(_ i: Int) throws(FHIRPathError) -> String? {
        guard let v = try singleArgument(i) else { return nil }
        guard case .string(let s) = v else { throw failure("argument \(i + 1) must be a string") }
        return s
    }

    /// Argument `i` as an integer; `nil` when empty; another type is an error.
    func integerArgument(_ i: Int) throws(FHIRPathError) -> Int? {
        guard let v = try singleArgument(i) else { return nil }
        switch v {
        case .integer(let n), .long(let n): return n
        default: throw failure("argument \(i + 1) must be an integer")
        }
    }

    /// Argument `i` as a boolean (singleton evaluation); `nil` when empty.
    func booleanArgument(_ i: Int) throws(FHIRPathError) -> Bool? {
        try FHIRPathLogic.singletonBoolean(try argument(i), at: location)
    }
}

/// A function the engine knows: its name, how many arguments it takes, and its body.
struct FHIRPathFunction: Sendable {
    typealias Body = @Sendable (FHIRPathCall) throws(FHIRPathError) -> [FHIRPathValue]

    let name: String
    let arity: ClosedRange<Int>
    /// Whether the (single) argument is a type specifier (`is`, `as`, `ofType`).
    let takesType: Bool
    /// Whether the arguments are sort keys, where a leading `-` means descending (`sort()`).
    let takesSortKeys: Bool
    let body: Body
    /// For a call without arguments, a body that needs only the input (no call state), so the
    /// compiled call skips building an ``FHIRPathCall``: the hot path of `exists()`, `count()`,
    /// `children()`, `hasValue()`...
    let inputOnly: InputBody?

    /// A body that reads only the input collection; `location` is for errors.
    typealias InputBody =
        @Sendable (_ input: [FHIRPathValue], _ location: FHIRPathLocation) throws(FHIRPathError) ->
        [FHIRPathValue]

    /// A function without arguments whose result depends only on its input.
    init(_ name: String, inputOnly: @escaping InputBody) {
        self.name = name
        self.arity = 0...0
        self.takesType = false
        self.takesSortKeys = false
        self.inputOnly = inputOnly
        self.body = { call throws(FHIRPathError) in try inputOnly(call.input, call.location) }
    }

    /// A function with optional arguments whose argument-less form depends only on its input.
    init(_ name: String, arity: ClosedRange<Int>, withoutArguments: @escaping InputBody, _ body: @escaping Body) {
        self.name = name
        self.arity = arity
        self.takesType = false
        self.takesSortKeys = false
        self.inputOnly = withoutArguments
        self.body = body
    }

    init(
        _ name: String, arity: ClosedRange<Int> = 0...0, takesType: Bool = false, takesSortKeys: Bool = false,
        _ body: @escaping Body
    ) {
        self.name = name
        self.arity = arity
        self.takesType = takesType
        self.takesSortKeys = takesSortKeys
        self.body = body
        self.inputOnly = nil
    }
}

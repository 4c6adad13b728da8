import FHIRModel

/// Compiles FHIRPath expressions for a FHIR model. Compile once, evaluate many times, from any
/// number of threads.
public struct FHIRPathEngine: Sendable {
    public let model: ModelInfo?
    /// Whether `as(T)` and `x as T` filter a collection like `ofType(T)` instead of requiring a
    /// single item. FHIRPath (and its official suite) makes a collection an error, but invariants
    /// published with R4 rely on the filtering that R4-era engines implemented (`dom-3` applies
    /// `as(canonical)` to `%resource.descendants()`): turn this on to evaluate them. The same
    /// R4 mode lets an unqualified System type name match FHIR primitives (`answer is Boolean`
    /// holds for a FHIR `boolean`, as `que-7` is written).
    public let asFiltersCollections: Bool

    public init(model: ModelInfo?) {
        self.init(model: model, asFiltersCollections: false)
    }

    public init(model: ModelInfo?, asFiltersCollections: Bool) {
        self.model = model
        self.asFiltersCollections = asFiltersCollections
    }

    /// Parses and compiles `text`. With `contextType` (a resource or element type such as
    /// `Patient` or `Patient.contact`), element names are also checked against the model and
    /// misuses found before evaluation are semantic errors.
    public func compile(_ text: String, contextType: String? = nil, options: FHIRPathCheckOptions = .init())
        throws(FHIRPathError) -> CompiledFHIRPath
    {
        let expression = try FHIRPathParser.parse(text)
        return try compile(expression, text: text, contextTypes: contextType.map { [$0] } ?? [], options: options)
    }

    /// Parses and compiles `text` for a context that may be of several types (a choice element
    /// such as `Observation.effective[x]`: `["dateTime", "Period"]`); an empty list skips the checks.
    public func compile(_ text: String, contextTypes: [String], options: FHIRPathCheckOptions = .init())
        throws(FHIRPathError) -> CompiledFHIRPath
    {
        let expression = try FHIRPathParser.parse(text)
        return try compile(expression, text: text, contextTypes: contextTypes, options: options)
    }

    /// Compiles an already parsed expression.
    public func compile(
        _ expression: FHIRPathExpression, text: String, contextType: String? = nil,
        options: FHIRPathCheckOptions = .init()
    ) throws(FHIRPathError) -> CompiledFHIRPath {
        try compile(expression, text: text, contextTypes: contextType.map { [$0] } ?? [], options: options)
    }

    /// Runs only the static checks of `expression` for a context of any of `contextTypes`
    /// (without a model, or with no context types, there is nothing to check).
    public func check(
        _ expression: FHIRPathExpression, contextTypes: [String], options: FHIRPathCheckOptions = .init()
    ) throws(FHIRPathError) {
        guard !contextTypes.isEmpty, let model else { return }
        try FHIRPathTypeChecker(model: model, options: options).check(expression, contextTypes: contextTypes)
    }

    /// Compiles an already parsed expression for a context of any of `contextTypes`.
    public func compile(
        _ expression: FHIRPathExpression, text: String, contextTypes: [String], options: FHIRPathCheckOptions = .init()
    ) throws(FHIRPathError) -> CompiledFHIRPath {
        try check(expression, contextTypes: contextTypes, options: options)
        let compiler = FHIRPathCompiler(model: model, asFiltersCollections: asFiltersCollections)
        let evaluation = try compiler.compile(expression)
        return CompiledFHIRPath(
            text: text, expression: expression, model: model, evaluation: evaluation, slotCount: compiler.slots.count)
    }
}

/// A compiled expression, ready to evaluate.
public struct CompiledFHIRPath: Sendable {
    public let text: String
    public let expression: FHIRPathExpression
    let model: ModelInfo?
    let evaluation: Evaluation
    /// How many focus-independent results an evaluation may cache.
    let slotCount: Int

    /// Evaluates on a resource (or element): `%context`, `%resource` and `%rootResource` are set
    /// from it.
    public func evaluate(_ element: ElementNode, environment: FHIRPathEnvironment = .init()) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        try evaluate(on: FHIRPathNode(root: element), environment: environment)
    }

    /// Evaluates on a node inside a tree (a validator's focus element).
    public func evaluate(on node: FHIRPathNode, environment: FHIRPathEnvironment = .init()) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        try checkStack()
        let input: [FHIRPathValue] = [.node(node)]
        let context = EvaluationContext(
            environment: environment, model: model, context: input, scope: node.scope, slotCount: slotCount)
        return try evaluation(input, EvaluationState(context: context, this: input))
    }

    /// Evaluates on any collection (an empty one for expressions that need no input).
    public func evaluate(
        input: [FHIRPathValue], resource: [FHIRPathValue] = [], rootResource: [FHIRPathValue] = [],
        environment: FHIRPathEnvironment = .init()
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        try checkStack()
        let context = EvaluationContext(
            environment: environment, model: model, context: input, scope: nil, resource: resource,
            rootResource: rootResource, slotCount: slotCount)
        return try evaluation(input, EvaluationState(context: context, this: input))
    }

    /// Tall expressions recurse as deep as they are tall: refuse to start one on a thread whose
    /// stack is too small for it (the common, short expressions skip the check).
    private func checkStack() throws(FHIRPathError) {
        guard expression.height > Self.uncheckedHeight else { return }
        let needed = UInt(expression.height) * Self.bytesPerLevel
        guard StackGuard.remaining() > needed else {
            throw FHIRPathError(
                .execution, "the expression is too deeply nested to evaluate on this thread", at: expression.location)
        }
    }

    static let uncheckedHeight = 48
    /// A generous bound on the stack one tree level uses while evaluating (debug builds included).
    static let bytesPerLevel: UInt = 12 * 1024
}

import FHIRModel

/// Compiles FHIRPath expressions for a FHIR model. Compile once, evaluate many times, from any
/// number of threads.
public struct FHIRPathEngine: Sendable {
    public let model: ModelInfo?

    public init(model: ModelInfo?) {
        self.model = model
    }

    /// Parses and compiles `text`. With `contextType` (a resource or element type such as
    /// `Patient` or `Patient.contact`), element names are also checked against the model and
    /// misuses found before evaluation are semantic errors.
    public func compile(_ text: String, contextType: String? = nil) throws(FHIRPathError) -> CompiledFHIRPath {
        let expression = try FHIRPathParser.parse(text)
        return try compile(expression, text: text, contextType: contextType)
    }

    /// Compiles an already parsed expression.
    public func compile(_ expression: FHIRPathExpression, text: String, contextType: String? = nil)
        throws(FHIRPathError) -> CompiledFHIRPath
    {
        if let contextType, let model {
            try FHIRPathTypeChecker(model: model).check(expression, contextType: contextType)
        }
        let evaluation = try FHIRPathCompiler(model: model).compile(expression)
        return CompiledFHIRPath(text: text, expression: expression, model: model, evaluation: evaluation)
    }
}

/// A compiled expression, ready to evaluate.
public struct CompiledFHIRPath: Sendable {
    public let text: String
    public let expression: FHIRPathExpression
    let model: ModelInfo?
    let evaluation: Evaluation

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
        let input: [FHIRPathValue] = [.node(node)]
        var resource: [FHIRPathValue] = []
        var rootResource: [FHIRPathValue] = []
        if let scope = node.scope {
            resource = [.node(FHIRPathNode(element: scope.resource, scope: scope))]
            var root = scope
            while root.resource.name == "contained", let parent = root.parent { root = parent }
            rootResource = [.node(FHIRPathNode(element: root.resource, scope: root))]
        }
        return try evaluate(input: input, resource: resource, rootResource: rootResource, environment: environment)
    }

    /// Evaluates on any collection (an empty one for expressions that need no input).
    public func evaluate(
        input: [FHIRPathValue], resource: [FHIRPathValue] = [], rootResource: [FHIRPathValue] = [],
        environment: FHIRPathEnvironment = .init()
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        let context = EvaluationContext(
            environment: environment, model: model, context: input, resource: resource, rootResource: rootResource)
        return try evaluation(input, EvaluationState(context: context, this: input))
    }
}

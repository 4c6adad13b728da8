import FHIRModel

/// A compiled expression: given the focus collection and the evaluation state, its result.
typealias Evaluation = @Sendable (_ focus: [FHIRPathValue], _ state: EvaluationState) throws(FHIRPathError) ->
    [FHIRPathValue]

/// What stays the same for one evaluation: the environment, the model, `%context`,
/// `%resource`, `%rootResource` and the clock.
final class EvaluationContext {
    let environment: FHIRPathEnvironment
    let model: ModelInfo?
    let context: [FHIRPathValue]
    let resource: [FHIRPathValue]
    let rootResource: [FHIRPathValue]
    private var cachedNow: FHIRDateTime?

    init(
        environment: FHIRPathEnvironment, model: ModelInfo?, context: [FHIRPathValue], resource: [FHIRPathValue],
        rootResource: [FHIRPathValue]
    ) {
        self.environment = environment
        self.model = model
        self.context = context
        self.resource = resource
        self.rootResource = rootResource
        self.cachedNow = environment.now
    }

    /// The evaluation's moment: the environment's, else the system clock read once.
    var now: FHIRDateTime? {
        if let cachedNow { return cachedNow }
        let value = SystemClock.now()
        cachedNow = value
        return value
    }
}

/// The per-scope part of evaluation: `$this`, `$index`, `$total`.
struct EvaluationState {
    let context: EvaluationContext
    /// `$this`: at the top level the input collection, inside a function argument one item.
    var this: [FHIRPathValue]
    var index: Int?
    var total: [FHIRPathValue]?

    init(context: EvaluationContext, this: [FHIRPathValue]) {
        self.context = context
        self.this = this
    }

    /// The state for evaluating a lambda argument on one item.
    @inline(__always)
    func scoped(item: FHIRPathValue, index: Int, total: [FHIRPathValue]? = nil) -> EvaluationState {
        var s = self
        s.this = [item]
        s.index = index
        if let total { s.total = total }
        return s
    }
}

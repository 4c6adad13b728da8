import FHIRModel

/// A compiled expression: given the focus collection and the evaluation state, its result.
typealias Evaluation =
    @Sendable (_ focus: [FHIRPathValue], _ state: EvaluationState) throws(FHIRPathError) ->
    [FHIRPathValue]

/// What stays the same for one evaluation: the environment, the model, `%context`,
/// `%resource`, `%rootResource` and the clock. `%resource` and `%rootResource` are built only when
/// an expression reads them.
final class EvaluationContext {
    let environment: FHIRPathEnvironment
    let model: ModelInfo?
    let context: [FHIRPathValue]
    /// The resources enclosing the input node, when the input is one node.
    private let scope: FHIRPathScope?
    private var cachedResource: [FHIRPathValue]?
    private var cachedRootResource: [FHIRPathValue]?
    private var cachedNow: FHIRDateTime?
    /// Results of focus-independent sub-expressions, by slot (allocated on first use).
    private var slotValues: [[FHIRPathValue]?] = []
    private let slotCount: Int

    init(
        environment: FHIRPathEnvironment, model: ModelInfo?, context: [FHIRPathValue], scope: FHIRPathScope?,
        resource: [FHIRPathValue]? = nil, rootResource: [FHIRPathValue]? = nil, slotCount: Int = 0
    ) {
        self.slotCount = slotCount
        self.environment = environment
        self.model = model
        self.context = context
        self.scope = scope
        self.cachedResource = resource
        self.cachedRootResource = rootResource
        self.cachedNow = environment.now
    }

    /// `%resource`: the resource that contains the input node.
    var resource: [FHIRPathValue] {
        if let cachedResource { return cachedResource }
        var value: [FHIRPathValue] = []
        if let scope { value = [.node(FHIRPathNode(element: scope.resource, scope: scope))] }
        cachedResource = value
        return value
    }

    /// `%rootResource`: for a contained resource its container, else `%resource`.
    var rootResource: [FHIRPathValue] {
        if let cachedRootResource { return cachedRootResource }
        var value: [FHIRPathValue] = []
        if var root = scope {
            while root.resource.name == "contained", let parent = root.parent { root = parent }
            value = [.node(FHIRPathNode(element: root.resource, scope: root))]
        }
        cachedRootResource = value
        return value
    }

    @inline(__always)
    func cached(_ slot: Int) -> [FHIRPathValue]? {
        slot < slotValues.count ? slotValues[slot] : nil
    }

    func store(_ value: [FHIRPathValue], in slot: Int) {
        if slotValues.isEmpty { slotValues = Array(repeating: nil, count: max(slotCount, slot + 1)) }
        guard slot < slotValues.count else { return }
        slotValues[slot] = value
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

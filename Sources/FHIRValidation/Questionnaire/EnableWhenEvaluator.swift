import FHIRModel
import FHIRPath

/// Whether an item is enabled, from its `enableWhen` conditions (or SDC `enableWhenExpression`)
/// and the answers in the response.
enum Enablement: Sendable, Equatable {
    case enabled
    case disabled
    /// A condition could not be evaluated (a malformed Questionnaire): neither "required" nor
    /// "answered while disabled" is reported.
    case unknown

    /// An item inside a disabled item is disabled; inside an unknown one it is at best unknown.
    func within(_ parent: Enablement) -> Enablement {
        switch (parent, self) {
        case (.disabled, _), (_, .disabled): .disabled
        case (.unknown, _), (_, .unknown): .unknown
        default: .enabled
        }
    }
}

struct EnableWhenEvaluator {
    let index: ResponseAnswerIndex
    let response: ElementNode
    let context: ValidationContext

    /// Why an item's enablement is unknown, for an information issue.
    enum Problem: Equatable {
        case condition
        case expression
    }

    /// The item's own enablement (its ancestors' is combined by the caller) for an item held by
    /// `containerPath`.
    func enablement(of item: QuestionnaireItemDefinition, at containerPath: String) -> (Enablement, Problem?) {
        if let expression = item.enableWhenExpression {
            guard let result = evaluate(expression) else { return (.unknown, .expression) }
            return (result ? .enabled : .disabled, nil)
        }
        guard !item.enableWhen.isEmpty else { return (.enabled, nil) }
        let results = item.enableWhen.map { evaluate($0, at: containerPath) }
        let problem: Problem? = results.contains(nil) ? .condition : nil
        if item.enableWhenAll {
            if results.contains(false) { return (.disabled, problem) }
            return (problem == nil ? .enabled : .unknown, problem)
        }
        if results.contains(true) { return (.enabled, problem) }
        return (problem == nil ? .disabled : .unknown, problem)
    }

    /// One condition; `nil` when it cannot be evaluated (no operator or answer, `exists` without
    /// a boolean).
    func evaluate(_ condition: EnableWhenCondition, at containerPath: String) -> Bool? {
        guard let op = condition.op, let expected = condition.answer, !condition.question.isEmpty else { return nil }
        let values = index.answers(to: condition.question, from: containerPath)
        switch op {
        case .exists:
            guard let wanted = expected.booleanValue else { return nil }
            return !values.isEmpty == wanted
        case .equal:
            return values.contains { AnswerValueComparison.equal($0, expected) == true }
        case .notEqual:
            // True when no answer equals the value (so also when the question has no answer).
            return !values.contains { AnswerValueComparison.equal($0, expected) == true }
        case .greater:
            return values.contains { AnswerValueComparison.compare($0, expected) == .greater }
        case .less:
            return values.contains { AnswerValueComparison.compare($0, expected) == .less }
        case .greaterOrEqual:
            return values.contains { [.greater, .equal].contains(AnswerValueComparison.compare($0, expected)) }
        case .lessOrEqual:
            return values.contains { [.less, .equal].contains(AnswerValueComparison.compare($0, expected)) }
        }
    }

    /// An `enableWhenExpression` on the response: `true`/`false`, or `nil` when it does not
    /// compile, fails, or gives no single boolean.
    private func evaluate(_ expression: String) -> Bool? {
        guard case .success(let compiled) = context.invariants.compiled(expression),
            let result = try? compiled.evaluate(response), result.count == 1
        else { return nil }
        if case .boolean(let b)? = result[0].systemValue { return b }
        return nil
    }
}

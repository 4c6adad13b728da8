/// Sub-expressions whose value does not depend on the focus: rooted at an environment variable
/// (`%resource`, `%context`, caller variables), with no `$this`, `$index`, `$total` and no path
/// that starts from the focus. Within one evaluation they always give the same result, so the
/// compiler caches them: dom-3 reads `%resource.descendants()` inside a `where()` over every
/// contained resource, and computes it once.
enum FocusIndependence {
    /// Functions whose result may differ between two calls on the same input.
    static let impure: Set<String> = ["trace"]

    /// Whether `e` is focus-independent and costly enough to cache (it navigates or calls a
    /// function; constants are already free).
    static func isWorthCaching(_ e: FHIRPathExpression) -> Bool {
        switch e.kind {
        case .member, .function: return isIndependent(e)
        default: return false
        }
    }

    static func isIndependent(_ e: FHIRPathExpression) -> Bool {
        switch e.kind {
        case .empty, .boolean, .string, .integer, .long, .decimal, .date, .dateTime, .time, .quantity,
            .externalConstant:
            return true
        case .variable, .identifier, .memberVariable:
            return false
        case .member(let target, _):
            return isIndependent(target)
        case .function(let target, let name, let arguments):
            // Without a target the function applies to the focus.
            guard let target, !impure.contains(name), isIndependent(target) else { return false }
            if FHIRPathFunctionLibrary.all[name]?.takesType == true { return true }
            return arguments.allSatisfy(isIndependent)
        case .indexer(let a, let b), .binary(_, let a, let b):
            return isIndependent(a) && isIndependent(b)
        case .unary(_, let a), .type(_, let a, _):
            return isIndependent(a)
        }
    }
}

/// Hands out cache slots while compiling one expression.
final class SlotAllocator: @unchecked Sendable {
    private(set) var count = 0
    /// Set while compiling inside a cached sub-expression (its parts need no slots of their own).
    var suppressed = false

    func next() -> Int {
        count += 1
        return count - 1
    }
}

import FHIRModel

extension FHIRPathFunctionLibrary {
    static let utilityFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("iif", arity: 2...3) { call throws(FHIRPathError) in try iif(call) },
        // trace(name [, projection]): reports the input (or its projection) and returns the input.
        FHIRPathFunction("trace", arity: 1...2) { call throws(FHIRPathError) in
            let name = try call.stringArgument(0) ?? ""
            guard let sink = call.environment.trace else { return call.input }
            var values = call.input
            if call.argumentCount > 1 {
                values = []
                for (index, item) in call.input.enumerated() {
                    values += try call.evaluate(1, on: item, index: index)
                }
            }
            sink.trace(name: name, values: values)
            return call.input
        },
        FHIRPathFunction("now") { call throws(FHIRPathError) in
            [.dateTime(try currentMoment(call))]
        },
        FHIRPathFunction("today") { call throws(FHIRPathError) in
            let now = try currentMoment(call)
            var text = pad(now.year, 4)
            if let month = now.month { text += "-" + pad(month, 2) }
            if let day = now.day { text += "-" + pad(day, 2) }
            guard let date = FHIRDateTime(text) else { throw call.failure("the current date is not valid") }
            return [.date(date)]
        },
        FHIRPathFunction("timeOfDay") { call throws(FHIRPathError) in
            let now = try currentMoment(call)
            guard let hour = now.hour else { return [] }
            var text = pad(hour, 2)
            if let minute = now.minute { text += ":" + pad(minute, 2) }
            if let second = now.second { text += ":" + pad(second, 2) }
            if let fraction = now.fractionDigits { text += "." + fraction }
            guard let time = FHIRTime(text) else { throw call.failure("the current time is not valid") }
            return [.time(time)]
        },
        FHIRPathFunction("sort", arity: 0...32, takesSortKeys: true) { call throws(FHIRPathError) in
            try FHIRPathSorting.sort(call)
        },
    ]

    /// `iif(criterion, true-result [, otherwise-result])`. Only the chosen branch is evaluated.
    /// With one input item, `$this` in the arguments is that item; more than one is an error.
    static func iif(_ call: FHIRPathCall) throws(FHIRPathError) -> [FHIRPathValue] {
        guard call.input.count <= 1 else {
            throw call.failure("expects at most one input item, got \(call.input.count)")
        }
        let item = call.input.first
        func argument(_ i: Int) throws(FHIRPathError) -> [FHIRPathValue] {
            if let item { return try call.evaluate(i, focusedOn: item) }
            return try call.argument(i)
        }
        let criterion = try argument(0)
        guard criterion.count <= 1 else {
            throw call.failure("the criterion must be a single boolean, got \(criterion.count) items")
        }
        var chosen = false
        if let first = criterion.first {
            switch first.systemValue {
            case .boolean(let b)?: chosen = b
            case nil where first.node?.element.isPrimitive == true: chosen = false
            default: throw call.failure("the criterion must be a boolean")
            }
        }
        if chosen { return try argument(1) }
        return call.argumentCount > 2 ? try argument(2) : []
    }

    /// The evaluation's moment (the environment's clock, else the system clock, read once).
    private static func currentMoment(_ call: FHIRPathCall) throws(FHIRPathError) -> FHIRDateTime {
        guard let now = call.state.context.now else { throw call.failure("the current time is not available") }
        return now
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// `sort([key, ...])`: a stable sort of the input by each key in turn (`-key` for descending),
/// or by the items themselves without keys. An empty key sorts after every value (so first when
/// descending); keys whose order is unknown (date-times of different precision) count as equal.
enum FHIRPathSorting {
    static func sort(_ call: FHIRPathCall) throws(FHIRPathError) -> [FHIRPathValue] {
        guard call.input.count > 1 else { return call.input }
        var keys: [[FHIRPathValue?]] = []
        keys.reserveCapacity(call.input.count)
        for (index, item) in call.input.enumerated() {
            guard call.argumentCount > 0 else {
                keys.append([item])
                continue
            }
            var row: [FHIRPathValue?] = []
            for k in 0..<call.argumentCount {
                let result = try call.evaluate(k, on: item, index: index)
                guard result.count <= 1 else { throw call.failure("sort key \(k + 1) must be a single item") }
                row.append(result.first)
            }
            keys.append(row)
        }
        var failure: FHIRPathError?
        let order = call.input.indices.sorted { a, b in
            guard failure == nil else { return a < b }
            do throws(FHIRPathError) {
                let c = try compare(keys[a], keys[b], call)
                return c == .equal ? a < b : c == .less
            } catch {
                failure = error
                return a < b
            }
        }
        if let failure { throw failure }
        return order.map { call.input[$0] }
    }

    private static func compare(_ a: [FHIRPathValue?], _ b: [FHIRPathValue?], _ call: FHIRPathCall)
        throws(FHIRPathError) -> FHIRComparison
    {
        for k in a.indices {
            let descending = k < call.descendingArguments.count && call.descendingArguments[k]
            var order: FHIRComparison
            switch (a[k], b[k]) {
            case (nil, nil): order = .equal
            case (nil, _): order = .greater
            case (_, nil): order = .less
            case (let x?, let y?):
                order =
                    try FHIRPathComparison.compare(
                        [x], [y], op: .lessThan, at: call.location, context: call.context) ?? .equal
            }
            if descending { order = order.reversed }
            if order != .equal { return order }
        }
        return .equal
    }
}

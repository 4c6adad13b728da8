import FHIRModel

/// Turns a syntax tree into nested closures, once; evaluation then only runs closures.
struct FHIRPathCompiler {
    let model: ModelInfo?
    /// See ``FHIRPathEngine/asFiltersCollections``.
    var asFiltersCollections = false
    /// Slots for results of sub-expressions that do not depend on the focus (see
    /// ``FocusIndependence``): computed once per evaluation, however often they are reached.
    let slots = SlotAllocator()
    /// The lowest stack address compiling may reach (see `StackGuard`), taken once per compile.
    let stackFloor = StackGuard.floor()

    func compile(_ e: FHIRPathExpression) throws(FHIRPathError) -> Evaluation {
        guard stackFloor == 0 || StackGuard.currentAddress() > stackFloor else {
            throw FHIRPathError(.syntax, "expression is too deeply nested to compile on this thread", at: e.location)
        }
        guard !slots.suppressed, FocusIndependence.isWorthCaching(e) else { return try compileNode(e) }
        slots.suppressed = true
        defer { slots.suppressed = false }
        let inner = try compileNode(e)
        let slot = slots.next()
        return { focus, state throws(FHIRPathError) in
            if let cached = state.context.cached(slot) { return cached }
            let value = try inner(focus, state)
            state.context.store(value, in: slot)
            return value
        }
    }

    func compileNode(_ e: FHIRPathExpression) throws(FHIRPathError) -> Evaluation {
        let at = e.location
        switch e.kind {
        case .empty:
            return { _, _ in [] }
        case .boolean(let b):
            return constant(.boolean(b))
        case .string(let s):
            return constant(.string(s))
        case .integer(let lexeme):
            guard let n = Int(lexeme), FHIRPathNumbers.integerRange.contains(n) else {
                throw FHIRPathError(.syntax, "integer literal out of range", at: at)
            }
            return constant(.integer(n))
        case .long(let lexeme):
            guard let n = Int(lexeme) else { throw FHIRPathError(.syntax, "long literal out of range", at: at) }
            return constant(.long(n))
        case .decimal(let lexeme):
            guard let d = FHIRDecimal(lexeme) else {
                throw FHIRPathError(.syntax, "decimal literal out of range", at: at)
            }
            return constant(.decimal(d))
        case .date(let text):
            guard let d = FHIRDateTime(fhirPathLiteral: text) else {
                throw FHIRPathError(.syntax, "not a valid date", at: at)
            }
            return constant(.date(d))
        case .dateTime(let text):
            guard let d = FHIRDateTime(fhirPathLiteral: text) else {
                throw FHIRPathError(.syntax, "not a valid date-time", at: at)
            }
            return constant(d.hasTime || text.hasSuffix("T") ? .dateTime(d) : .date(d))
        case .time(let text):
            guard let t = FHIRTime(fhirPathLiteral: text) else {
                // A time with a zone (`@T14:34:28Z`) parses but is not a valid Time value.
                return { _, _ throws(FHIRPathError) in
                    throw FHIRPathError(.execution, "a time literal cannot have a time zone", at: at)
                }
            }
            return constant(.time(t))
        case .quantity(let value, let unit):
            guard let d = FHIRDecimal(value) else {
                throw FHIRPathError(.syntax, "quantity value out of range", at: at)
            }
            switch unit {
            case .ucum(let code):
                return constant(.quantity(FHIRPathQuantity(value: d, unit: code)))
            case .calendar(let word):
                let keyword = FHIRPathQuantity.calendarKeyword(word) ?? word
                return constant(.quantity(FHIRPathQuantity(value: d, unit: keyword, isCalendarDuration: true)))
            }
        case .externalConstant(let name):
            return try externalConstant(name, at: at)
        case .variable(let v):
            return variable(v)
        case .identifier(let name):
            let model = self.model
            return { focus, _ in FHIRPathNavigation.start(focus, named: name, model: model) }
        case .member(let target, let name):
            if let fused = try fusedDescendantMember(target, name) { return fused }
            let t = try compile(target)
            return { focus, state throws(FHIRPathError) in
                FHIRPathNavigation.children(of: try t(focus, state), named: name)
            }
        case .memberVariable(let target, let v):
            let t = try compile(target)
            let read = variable(v)
            return { focus, state throws(FHIRPathError) in
                _ = try t(focus, state)
                return try read(focus, state)
            }
        case .function(let target, let name, let arguments):
            return try function(target: target, name: name, arguments: arguments, at: at)
        case .indexer(let target, let index):
            let t = try compile(target)
            let i = try compile(index)
            return { focus, state throws(FHIRPathError) in
                let items = try t(focus, state)
                let idx = try i(state.this, state)
                guard let first = idx.first else { return [] }
                guard idx.count == 1, case .integer(let n)? = first.systemValue else {
                    throw FHIRPathError(.execution, "an index must be a single integer", at: at)
                }
                return n >= 0 && n < items.count ? [items[n]] : []
            }
        case .unary(let op, let operand):
            let o = try compile(operand)
            if op == .plus { return o }
            return { focus, state throws(FHIRPathError) in
                try FHIRPathArithmetic.negate(try o(focus, state), at: at)
            }
        case .binary(let op, let left, let right):
            return try binary(op, left, right, at: e.location)
        case .type(let op, let operand, let type):
            let o = try compile(operand)
            let test = FHIRPathTypeTest(type, model: model, r4Primitives: asFiltersCollections)
            let typeAt = type.range.start
            if op == .as && asFiltersCollections {
                return { focus, state throws(FHIRPathError) in
                    let items = try o(focus, state)
                    try test.validate(at: typeAt)
                    var out: [FHIRPathValue] = []
                    for item in items where try test.castMatches(item, at: typeAt) { out.append(item) }
                    return out
                }
            }
            return { focus, state throws(FHIRPathError) in
                let items = try o(focus, state)
                guard let first = items.first else { return [] }
                guard items.count == 1 else {
                    throw FHIRPathError(.execution, "'\(op.rawValue)' needs a single item", at: at)
                }
                let matches = try test.matches(first, at: typeAt)
                switch op {
                case .is: return FHIRPathLogic.just(matches)
                case .as: return matches ? [first] : []
                }
            }
        }
    }

    private func constant(_ value: FHIRPathValue) -> Evaluation {
        let result = [value]
        return { _, _ in result }
    }

    private func variable(_ v: SpecialVariable) -> Evaluation {
        switch v {
        case .this: return { _, state in state.this }
        case .index: return { _, state in state.index.map { [.integer($0)] } ?? [] }
        case .total: return { _, state in state.total ?? [] }
        }
    }

    private func externalConstant(_ name: String, at: FHIRPathLocation) throws(FHIRPathError) -> Evaluation {
        switch name {
        case "context": return { _, state in state.context.context }
        case "resource": return { _, state in state.context.resource }
        case "rootResource": return { _, state in state.context.rootResource }
        case "ucum": return constant(.string("http://unitsofmeasure.org"))
        case "sct": return constant(.string("http://snomed.info/sct"))
        case "loinc": return constant(.string("http://loinc.org"))
        default:
            if name.hasPrefix("vs-") {
                return constant(.string("http://hl7.org/fhir/ValueSet/" + name.dropFirst(3)))
            }
            if name.hasPrefix("ext-") {
                return constant(.string("http://hl7.org/fhir/StructureDefinition/" + name.dropFirst(4)))
            }
            return { _, state throws(FHIRPathError) in
                guard let value = state.context.environment.variables[name] else {
                    throw FHIRPathError(.execution, "the variable %\(name) is not defined", at: at)
                }
                return value
            }
        }
    }
}

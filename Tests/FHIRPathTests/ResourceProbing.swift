import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath

/// Evaluation helpers for tests that run expressions on small JSON resources with the core model.
protocol ResourceProbing {}

extension ResourceProbing {
    func evaluate(_ text: String, on json: String? = nil, environment: FHIRPathEnvironment = .init()) throws
        -> [FHIRPathValue]
    {
        let model = try TestSupport.coreModel()
        let compiled = try FHIRPathEngine(model: model).compile(text)
        guard let json else { return try compiled.evaluate(input: [], environment: environment) }
        return try compiled.evaluate(try FHIRJSONReader(model: model).read(json).root, environment: environment)
    }

    /// The result as text: System values and FHIR primitives by value (dates and times with their
    /// type), other elements as `{Type}`.
    func texts(_ text: String, on json: String? = nil, environment: FHIRPathEnvironment = .init()) throws -> [String] {
        try evaluate(text, on: json, environment: environment).map { item in
            switch item.systemValue {
            case .boolean(let b)?: return b ? "true" : "false"
            case .string(let s)?: return s
            case .integer(let n)?: return String(n)
            case .decimal(let d)?: return d.plainString
            case .date(let d)?: return "date " + d.lexeme
            case .dateTime(let d)?: return "dateTime " + d.lexeme
            case .time(let t)?: return "time " + t.lexeme
            case .some(let other): return "\(other)"
            case nil: return "{\(item.node?.typeName ?? "?")}"
            }
        }
    }

    /// The kind of error the expression raises, `nil` when it evaluates.
    func errorKind(_ text: String, on json: String? = nil) -> FHIRPathError.Kind? {
        do {
            _ = try evaluate(text, on: json)
            return nil
        } catch let error as FHIRPathError {
            return error.kind
        } catch {
            return nil
        }
    }
}

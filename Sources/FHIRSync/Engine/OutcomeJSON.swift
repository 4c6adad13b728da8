import FHIRClient
import FHIRJSON
import FHIRModel

/// A server's OperationOutcome as the outbox keeps it with a dead letter: an OperationOutcome JSON
/// of its issues (severity, code, details text, diagnostics, expression), read back for display.
public enum OutcomeJSON {
    public static func encode(_ outcome: OperationOutcomeSummary) -> [UInt8] {
        let issues: [JSONValue] = outcome.issues.map { item in
            var members: [(String, JSONValue)] = [("severity", .string(item.severity)), ("code", .string(item.code))]
            if let text = item.detailsText {
                members.append(("details", .object(JSONObject([("text", .string(text))]))))
            }
            if let diagnostics = item.diagnostics { members.append(("diagnostics", .string(diagnostics))) }
            if !item.expression.isEmpty { members.append(("expression", .array(item.expression.map { .string($0) }))) }
            return .object(JSONObject(members))
        }
        return JSONValue.object(JSONObject([("resourceType", .string("OperationOutcome")), ("issue", .array(issues))]))
            .serialized()
    }

    /// The stored outcome read back (nil when it is absent or not an OperationOutcome).
    public static func decode(_ bytes: [UInt8]?, model: ModelInfo) -> OperationOutcomeSummary? {
        guard let bytes, let parsed = try? FHIRJSONReader(model: model).read(bytes) else { return nil }
        return OperationOutcomeSummary(parsed.root)
    }
}

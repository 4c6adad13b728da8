import FHIRGate
import FHIRGateTesting

/// One case of ../shared/corpora/validator/manifest.json (R4 cases of FHIR/fhir-test-cases that
/// need no terminology server), with the Java validator's expected error counts.
struct ValidatorSuiteCase: Sendable {
    var name: String
    /// The instance, relative to the validator folder (JSON or XML).
    var file: String
    var module: String
    /// Definitions the case needs (StructureDefinitions, ValueSets, CodeSystems, ...).
    var supporting: [String]
    /// The profile to validate against as well, one of `supporting`.
    var profile: String?
    /// Expected error + fatal count of the base validation, and of the profile validation.
    var errors: Int
    var profileErrors: Int?
    /// The Java validator's OperationOutcomes, relative to the validator folder.
    var expectedOutcome: String?
    var profileOutcome: String?
    /// The case's `options.validateContains` is `IGNORE`: contained resources are not validated.
    var ignoresContained = false
    /// The case's `options.noHtmlInMarkdown`: raw HTML in markdown is an error.
    var noHTMLInMarkdown = false
    /// The case's `options.validateReference`: `CHECK_EXISTS_AND_TYPE` -> `exists`, `CHECK_VALID`
    /// -> `valid` (references leaving the input resolve among the other files of the folder).
    var referenceCheck: ReferenceCheckLevel = .syntax

    struct ManifestError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads the manifest's `cases`.
    static func load(manifest path: String) throws -> [ValidatorSuiteCase] {
        let json = try JSONValue.parse(try FileBytes.read(path))
        guard let cases = json["cases"]?.arrayValue else {
            throw ManifestError(description: "\(path): no 'cases' array")
        }
        return try cases.enumerated().map { index, item in
            guard let name = item["name"]?.stringValue, let file = item["file"]?.stringValue,
                let errors = integer(item["errors"])
            else {
                throw ManifestError(description: "\(path): case \(index) lacks name, file or errors")
            }
            return ValidatorSuiteCase(
                name: name, file: file, module: item["module"]?.stringValue ?? "?",
                supporting: (item["supporting"]?.arrayValue ?? []).compactMap(\.stringValue),
                profile: item["profile"]?.stringValue, errors: errors,
                profileErrors: integer(item["profile_errors"]),
                expectedOutcome: item["expected_outcome"]?.stringValue,
                profileOutcome: item["profile_outcome"]?.stringValue,
                ignoresContained: item["options"]?["validateContains"]?.stringValue == "IGNORE",
                noHTMLInMarkdown: item["options"]?["noHtmlInMarkdown"] == .bool(true),
                referenceCheck: referenceLevel(item["options"]?["validateReference"]?.stringValue))
        }
    }

    private static func referenceLevel(_ policy: String?) -> ReferenceCheckLevel {
        switch policy {
        case "CHECK_VALID": .valid
        case "CHECK_EXISTS", "CHECK_EXISTS_AND_TYPE": .exists
        default: .syntax
        }
    }

    private static func integer(_ value: JSONValue?) -> Int? {
        guard case .number(let lexeme)? = value else { return nil }
        return Int(lexeme)
    }

    /// The error and fatal issues of a Java OperationOutcome, one line each: severity, expression
    /// and `details.text` (else `diagnostics`).
    static func javaErrors(outcome path: String) -> [String] {
        guard let bytes = try? FileBytes.read(path), let json = try? JSONValue.parse(bytes) else {
            return ["(outcome file not readable: \(path))"]
        }
        return (json["issue"]?.arrayValue ?? []).compactMap { issue in
            let severity = issue["severity"]?.stringValue ?? "?"
            guard severity == "error" || severity == "fatal" else { return nil }
            let expression = (issue["expression"]?.arrayValue ?? issue["location"]?.arrayValue ?? [])
                .compactMap(\.stringValue).joined(separator: ", ")
            let text = issue["details"]?["text"]?.stringValue ?? issue["diagnostics"]?.stringValue ?? ""
            return "\(severity) \(expression.isEmpty ? "-" : expression): \(text)"
        }
    }
}

/// Why a target's capabilities could not be built. Messages name files, types and paths only.
public enum TargetCapabilityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read or is not FHIR JSON (the reader's message, which carries no values).
    case unreadable(file: String, reason: String)
    /// The resource is not a CapabilityStatement (its resource type, if any).
    case notACapabilityStatement(found: String?)
    /// The statement has no `rest` entry with mode `server`.
    case noServerRest
    /// A `rest.resource` has no `type` (its position among the server's resources, from 0).
    case resourceWithoutType(index: Int)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "cannot read the capability statement \(file): \(reason)"
        case .notACapabilityStatement(let found):
            "expected a CapabilityStatement, found \(found ?? "something that is not a resource")"
        case .noServerRest: "the CapabilityStatement has no rest entry with mode 'server'"
        case .resourceWithoutType(let index): "CapabilityStatement.rest.resource[\(index)] has no type"
        }
    }
}

import FHIRClient
import HTTPTransport

/// How sending one outbox item ended.
enum DeliveryOutcome: Sendable {
    /// The target holds the resource now (`serverId` is its id there).
    case delivered(status: Int, serverId: String?, etag: String?)
    /// A failure that may pass: try again at the policy's time.
    case retry(status: Int?, error: String, outcome: [UInt8]?, retryAfter: Duration?)
    /// A failure that will not change on retry.
    case deadLetter(status: Int?, error: String, outcome: [UInt8]?, hint: String)
    /// The target cannot be used as configured (credentials refused even after renewing them, TLS
    /// verification failed, an invalid URL): the item waits, and the rest of this target's run stops.
    case targetFailed(status: Int?, error: String)
}

/// What to tell the operator about a dead letter, by the server's status.
enum DeadLetterHint {
    static func forStatus(_ status: Int?) -> String {
        switch status {
        case 400:
            "the server rejected the content (see its OperationOutcome): correct the source record, then `fhirgate outbox retry`"
        case 403:
            "the client's scopes or the server's policy do not allow this write: ask the EHR to grant the scope, then `fhirgate outbox retry`"
        case 404: "the server has no such endpoint for this type: check the target's base URL and capabilities"
        case 405:
            "the server does not allow this interaction on this type: declare it refused in the target's capabilities"
        case 409, 412:
            "a version conflict on the server: check who else writes this resource, then `fhirgate outbox retry`"
        case 410: "the resource was deleted on the server: decide whether to re-create it, then `fhirgate outbox retry`"
        case 413: "the request is too large for the server: lower the target's maxBundleEntries"
        case 415: "the server does not accept this format: set the target's format to json or xml"
        case 422:
            "the server's profile validation failed (see its OperationOutcome): correct the record or the target's profile"
        default: "the server refused the request: see the status and OperationOutcome, then `fhirgate outbox retry`"
        }
    }
}

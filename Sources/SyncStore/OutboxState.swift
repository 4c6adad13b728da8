/// Where one outbox item is in its life.
public enum OutboxState: String, Sendable, CaseIterable, Codable {
    /// Accepted and stored, not yet delivered (possibly waiting for a retry).
    case pending
    /// Handed to the sender; a crash here leaves it to be re-sent (idempotently) on restart.
    case inFlight = "in-flight"
    /// The server accepted it.
    case delivered
    /// The same content was already delivered to this target: nothing sent.
    case unchanged
    /// A failure that will not change on retry: kept with the server's answer until someone acts.
    case deadLetter = "dead-letter"

    /// Whether the item still has to be sent.
    public var isOpen: Bool { self == .pending || self == .inFlight }
}

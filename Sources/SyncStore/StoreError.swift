/// A failure of the outbox store. It names the store (its file) and the operation, with the
/// database's own reason; never resource content or other values.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The store cannot be opened or migrated (missing folder, not a database, newer schema).
        case open
        /// Another connection held the database longer than the busy timeout.
        case busy
        /// The operation named an item that does not exist.
        case notFound
        /// A stored row could not be read back (damaged or foreign data).
        case corrupt
        /// Any other database failure.
        case database
    }

    public var kind: Kind
    /// The store's location (a file path for SQLite).
    public var store: String
    /// The store operation, such as `enqueue` or `claim`.
    public var operation: String
    /// What went wrong.
    public var reason: String

    public init(_ kind: Kind, store: String, operation: String, reason: String) {
        self.kind = kind
        self.store = store
        self.operation = operation
        self.reason = reason
    }

    public var description: String {
        "outbox store \(store): \(operation) failed: \(reason)"
    }
}

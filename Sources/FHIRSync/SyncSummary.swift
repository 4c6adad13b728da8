/// What one push, pull or sync run did, for the summary line and `--format json`.
public struct SyncSummary: Sendable, Equatable {
    /// Resources the target accepted in this run.
    public var sent = 0
    /// Resources whose identical content the target already holds (nothing sent).
    public var unchanged = 0
    /// Attempts that failed and were scheduled again.
    public var retried = 0
    /// Resources set aside with the server's answer (a 4xx that will not change on retry).
    public var deadLettered = 0
    /// Resources folded into a clinical-note DocumentReference because the target refuses their type.
    public var foldedIntoNotes = 0
    /// Referral records pulled from targets.
    public var pulled = 0

    public init() {}

    /// Adds another run's counts.
    public mutating func add(_ other: SyncSummary) {
        sent += other.sent
        unchanged += other.unchanged
        retried += other.retried
        deadLettered += other.deadLettered
        foldedIntoNotes += other.foldedIntoNotes
        pulled += other.pulled
    }
}

/// The durable outbox: every resource accepted for sending is stored here, with its target, state,
/// attempts and last error, before anything is sent. The sync engine works only through this
/// protocol; ``SQLiteOutboxStore`` is the embedded implementation.
///
/// Times are unix milliseconds passed in by the caller (`now`), so the store has no clock of its own.
///
/// ## Delivery order
/// Items of one `(target, group)` are claimed in `sequence` order: an item is claimable only when
/// every item of its group with a lower sequence is `delivered` or `unchanged`. A dead letter
/// therefore holds back the rest of its own group (their references would not resolve), never
/// another group. New content queued for a dead-lettered resource replaces the dead letter.
///
/// ## Enqueue idempotency
/// Per item, in one transaction, for its `(target, resourceType, resourceId)`:
/// 1. an open item (pending or in-flight) with the same hash exists: `alreadyQueued`;
/// 2. an open item with another hash exists: a pending one takes the new content; an in-flight one
///    is left alone and a new item is queued after it (claimed only once the older one is settled);
/// 3. no open item, and the target holds the same hash (``DeliveredRecord``): `unchanged`, nothing queued;
/// 4. no open item, and the latest item is a dead letter with the same hash: `deadLettered`, nothing
///    queued (the same content would fail the same way; see ``retryDeadLetters(target:ids:now:)``);
/// 5. otherwise the item is queued (an older dead letter of the resource is dropped: superseded).
///
/// ## Another implementation (PostgreSQL)
/// The schema uses only portable column types (text, 64-bit integers, binary content) and four
/// tables: `outbox` (one row per item; indexes on `(target, state, next_attempt_at)`,
/// `(target, group_key, sequence)` and `(target, resource_type, resource_id)`), `delivered`
/// (primary key `(target, resource_type, resource_id)`), `watermark` (primary key `(target, key)`)
/// and `audit` (append-only). Every operation is one transaction and its rules are plain SQL
/// (`NOT EXISTS` for the group order, `ON CONFLICT ... DO UPDATE` for upserts), so a PostgreSQL
/// store can implement the protocol with the same tables; for several gateway instances on one
/// database, `claim` becomes `SELECT ... FOR UPDATE SKIP LOCKED` and `recoverInFlight` needs a lease
/// (an owner and an expiry per in-flight row) instead of resetting every in-flight item.
public protocol OutboxStore: Sendable {
    /// Stores a batch (one transaction), applying the idempotency rules above.
    func enqueue(_ items: [NewOutboxItem], now: Int64) throws(StoreError) -> EnqueueResult
    /// Items of `target` that may be sent now: pending, `nextAttemptAt <= now`, and every earlier item
    /// (lower sequence) of the same group already delivered/unchanged. Marks them in-flight
    /// (attempts += 1) in the same transaction. Ordered by group, sequence. At most `limit`.
    func claim(target: String, now: Int64, limit: Int) throws(StoreError) -> [OutboxItem]
    /// Like ``claim(target:now:limit:)``, for a target that takes a group's items in one transaction:
    /// from each of at most `groups` claimable groups, its next items in sequence order (at most
    /// `perGroup`, stopping before one that is not claimable now), all marked in flight.
    func claimRuns(target: String, now: Int64, groups: Int, perGroup: Int) throws(StoreError) -> [[OutboxItem]]
    /// The server accepted the item; also records what the target now holds (``DeliveredRecord``).
    func markDelivered(_ id: Int64, status: Int, serverId: String?, etag: String?, now: Int64) throws(StoreError)
    /// Several deliveries in one transaction (one durable write for a whole Bundle).
    func markDelivered(_ deliveries: [Delivery], now: Int64) throws(StoreError)
    /// Claimed items that were not attempted (an earlier item of their run failed): back to
    /// pending, the claim not counted as an attempt.
    func release(_ ids: [Int64], now: Int64) throws(StoreError)
    /// The target already held this content; recorded as delivered content, nothing was written.
    func markUnchanged(_ id: Int64, now: Int64) throws(StoreError)
    /// A failure worth retrying: back to pending, not claimable before `at`.
    func scheduleRetry(_ id: Int64, status: Int?, error: String, outcome: [UInt8]?, at: Int64, now: Int64)
        throws(StoreError)
    /// A failure that will not change on retry: kept with the server's answer and a hint.
    func markDeadLetter(_ id: Int64, status: Int?, error: String, outcome: [UInt8]?, hint: String?, now: Int64)
        throws(StoreError)
    /// On start: in-flight items of a crashed run go back to pending (they are re-sent idempotently).
    /// Returns how many.
    func recoverInFlight(now: Int64) throws(StoreError) -> Int
    /// Dead letters (of one target, or with the given ids, or all) back to pending with attempts 0.
    func retryDeadLetters(target: String?, ids: [Int64]?, now: Int64) throws(StoreError) -> Int
    /// The dead letters, oldest first.
    func deadLetters(target: String?) throws(StoreError) -> [OutboxItem]
    func counts() throws(StoreError) -> OutboxCounts
    /// Pending and in-flight items (of one target or all).
    func openItemCount(target: String?) throws(StoreError) -> Int
    /// The earliest `nextAttemptAt` of a pending item of `target`.
    func nextDueTime(target: String) throws(StoreError) -> Int64?
    /// What the target is known to hold for one resource.
    func delivered(target: String, resourceType: String, resourceId: String) throws(StoreError) -> DeliveredRecord?
    /// A named position of a target (for example the `_since` of the last referral pull).
    func watermark(target: String, key: String) throws(StoreError) -> String?
    func setWatermark(target: String, key: String, value: String) throws(StoreError)
    func appendAudit(_ events: [AuditEvent]) throws(StoreError)
    /// The latest `limit` audit events (of one target or all), oldest first.
    func auditEvents(target: String?, limit: Int) throws(StoreError) -> [AuditEvent]
}

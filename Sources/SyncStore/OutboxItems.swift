/// A resource accepted for sending to one target, before it is stored.
public struct NewOutboxItem: Sendable, Equatable {
    /// The target's configured name.
    public var target: String
    /// The delivery group (for example the patient's id): items of a group are delivered in
    /// `sequence` order, and one group's failure never blocks another group.
    public var group: String
    /// The position within the group (lower first).
    public var sequence: Int
    public var resourceType: String
    public var resourceId: String
    /// The serialised resource.
    public var content: [UInt8]
    /// A hash of the content: the same hash means the same resource content.
    public var contentHash: String
    /// The consent decision behind the disclosure (no patient data).
    public var disclosure: String

    public init(
        target: String, group: String, sequence: Int, resourceType: String, resourceId: String, content: [UInt8],
        contentHash: String, disclosure: String
    ) {
        self.target = target
        self.group = group
        self.sequence = sequence
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.content = content
        self.contentHash = contentHash
        self.disclosure = disclosure
    }
}

/// One stored outbox item with its delivery state.
public struct OutboxItem: Sendable, Identifiable, Equatable {
    /// The store's id for the item (not a FHIR id).
    public var id: Int64
    public var target: String
    public var group: String
    public var sequence: Int
    public var resourceType: String
    public var resourceId: String
    public var content: [UInt8]
    public var contentHash: String
    public var state: OutboxState
    /// How many times the item was handed to a sender (incremented by `claim`).
    public var attempts: Int
    /// Unix time in milliseconds before which the item is not claimed.
    public var nextAttemptAt: Int64
    /// The HTTP status of the last answer, if any.
    public var lastStatus: Int?
    /// What went wrong last (no patient data).
    public var lastError: String?
    /// The server's OperationOutcome of the last failure, raw.
    public var lastOutcome: [UInt8]?
    /// What an operator can do about a dead letter.
    public var hint: String?
    /// The id the server gave the resource.
    public var serverId: String?
    /// The ETag the server returned.
    public var etag: String?
    public var disclosure: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: Int64, target: String, group: String, sequence: Int, resourceType: String, resourceId: String,
        content: [UInt8], contentHash: String, state: OutboxState, attempts: Int, nextAttemptAt: Int64,
        lastStatus: Int? = nil, lastError: String? = nil, lastOutcome: [UInt8]? = nil, hint: String? = nil,
        serverId: String? = nil, etag: String? = nil, disclosure: String, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.target = target
        self.group = group
        self.sequence = sequence
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.content = content
        self.contentHash = contentHash
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.lastOutcome = lastOutcome
        self.hint = hint
        self.serverId = serverId
        self.etag = etag
        self.disclosure = disclosure
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a target is known to hold: the content last delivered for one resource.
public struct DeliveredRecord: Sendable, Equatable {
    public var target: String
    public var resourceType: String
    public var resourceId: String
    public var contentHash: String
    /// The id the server gave the resource (nil when it was not reported).
    public var serverId: String?
    public var etag: String?
    /// Unix time in milliseconds.
    public var deliveredAt: Int64

    public init(
        target: String, resourceType: String, resourceId: String, contentHash: String, serverId: String?,
        etag: String?, deliveredAt: Int64
    ) {
        self.target = target
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.contentHash = contentHash
        self.serverId = serverId
        self.etag = etag
        self.deliveredAt = deliveredAt
    }
}

/// What `enqueue` did with a batch.
public struct EnqueueResult: Sendable, Equatable {
    /// Items stored (new rows, or new content written over a pending item of the same resource).
    public var inserted: Int
    /// Items whose content the target already holds (same hash delivered): not queued.
    public var unchanged: Int
    /// Items with the same content already open in the outbox: not queued again.
    public var alreadyQueued: Int
    /// Items with the same content already in the dead-letter list: not queued again (they wait
    /// for `retryDeadLetters`, since the same content would fail the same way).
    public var deadLettered: Int

    public init(inserted: Int = 0, unchanged: Int = 0, alreadyQueued: Int = 0, deadLettered: Int = 0) {
        self.inserted = inserted
        self.unchanged = unchanged
        self.alreadyQueued = alreadyQueued
        self.deadLettered = deadLettered
    }
}

/// How many items each target has in each state.
public struct OutboxCounts: Sendable, Equatable {
    /// target -> state -> count (states with no item are absent).
    public var byTarget: [String: [OutboxState: Int]]

    public init(byTarget: [String: [OutboxState: Int]] = [:]) {
        self.byTarget = byTarget
    }

    /// The targets that have items, sorted.
    public var targets: [String] { byTarget.keys.sorted() }

    /// The number of items of `target` in `state`.
    public func count(target: String, state: OutboxState) -> Int {
        byTarget[target]?[state] ?? 0
    }

    /// The number of items in `state` over all targets.
    public func total(_ state: OutboxState) -> Int {
        byTarget.values.reduce(0) { $0 + ($1[state] ?? 0) }
    }
}

/// One accepted item, for ``OutboxStore/markDelivered(_:now:)``.
public struct Delivery: Sendable, Equatable {
    public var id: Int64
    public var status: Int
    /// The resource's id on the target.
    public var serverId: String?
    public var etag: String?

    public init(id: Int64, status: Int, serverId: String?, etag: String?) {
        self.id = id
        self.status = status
        self.serverId = serverId
        self.etag = etag
    }
}

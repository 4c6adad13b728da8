import FHIRClient
import FHIRModel
import SyncStore

/// How a delivery run behaves.
public struct DeliveryOptions: Sendable {
    /// Requests in flight at once to one target (one per patient group at most: order holds within a group).
    public var concurrency: Int
    public var retry: RetryPolicy
    /// Wait for scheduled retries that fall due before this many milliseconds from the start; 0 ends
    /// the run when nothing is due now (the items stay pending for the next run).
    public var waitForRetriesMilliseconds: Int64
    /// Send a patient's items as transaction Bundles (up to the target's `maxBundleEntries`) when
    /// the target accepts transactions and PUT with our ids.
    public var useTransactions: Bool

    public init(
        concurrency: Int = 4, retry: RetryPolicy = RetryPolicy(), waitForRetriesMilliseconds: Int64 = 0,
        useTransactions: Bool = true
    ) {
        self.concurrency = max(1, concurrency)
        self.retry = retry
        self.waitForRetriesMilliseconds = waitForRetriesMilliseconds
        self.useTransactions = useTransactions
    }
}

/// What one delivery run to one target did.
public struct DeliveryReport: Sendable {
    public var target: String
    public var summary = SyncSummary()
    /// Items still open at the end (waiting for a retry, or behind a dead letter of their group).
    public var stillOpen = 0
    /// Set when the run stopped early because the target cannot be used as configured (credentials
    /// refused, TLS verification failed): the items wait for the next run.
    public var targetFailure: String?

    public init(target: String) {
        self.target = target
    }
}

/// Sends a target's open outbox items: claims what is due (each patient group in order, groups in
/// parallel), sends each, records the result (delivered with the server's id and ETag, a retry at
/// the policy's time, or a dead letter with the server's answer and a hint), audits every
/// disclosure. A crash at any point leaves claimed items in flight; ``recover`` sends them again
/// on the next run, and every write is idempotent on the target.
public struct OutboxDeliverer: Sendable {
    public let model: ModelInfo
    public let store: any OutboxStore
    public var options: DeliveryOptions
    public var clock: @Sendable () -> Int64
    /// Called after every item with the running counts (progress on stderr in the CLI).
    public var progress: (@Sendable (DeliveryReport) -> Void)?

    public init(
        model: ModelInfo, store: any OutboxStore, options: DeliveryOptions = DeliveryOptions(),
        clock: @escaping @Sendable () -> Int64 = SyncTime.nowMilliseconds,
        progress: (@Sendable (DeliveryReport) -> Void)? = nil
    ) {
        self.model = model
        self.store = store
        self.options = options
        self.clock = clock
        self.progress = progress
    }

    /// Items a crashed run left in flight go back to pending. Call once before delivering.
    public func recover() throws(StoreError) -> Int {
        try store.recoverInFlight(now: clock())
    }

    public func deliver(to target: SyncTarget, runId: String) async throws(StoreError) -> DeliveryReport {
        var report = DeliveryReport(target: target.name)
        let sender = ItemSender(target: target, model: model, store: store)
        let bundleSize = transactionSize(target)
        let start = clock()
        while !Task.isCancelled {
            let now = clock()
            let results: [(OutboxItem, DeliveryOutcome?)]
            if let bundleSize {
                let runs = try store.claimRuns(
                    target: target.name, now: now, groups: options.concurrency, perGroup: bundleSize)
                results = await withTaskGroup(of: [(OutboxItem, DeliveryOutcome?)].self) { group in
                    for run in runs { group.addTask { await RunSender(sender: sender).send(run) } }
                    var all: [(OutboxItem, DeliveryOutcome?)] = []
                    for await done in group { all += done }
                    return all
                }
            } else {
                let batch = try store.claim(target: target.name, now: now, limit: options.concurrency)
                results = await withTaskGroup(of: (OutboxItem, DeliveryOutcome?).self) { group in
                    for item in batch { group.addTask { (item, await sender.send(item)) } }
                    var all: [(OutboxItem, DeliveryOutcome?)] = []
                    for await done in group { all.append(done) }
                    return all
                }
            }
            if results.isEmpty {
                guard try store.openItemCount(target: target.name) > 0,
                    let due = try store.nextDueTime(target: target.name), due > now,
                    due - start <= options.waitForRetriesMilliseconds
                else { break }
                try? await Task.sleep(for: .milliseconds(min(due - now, 60_000)))
                continue
            }
            let targetFailed = try record(results, target: target, runId: runId, report: &report)
            progress?(report)
            if targetFailed { break }
        }
        report.stillOpen = try store.openItemCount(target: target.name)
        return report
    }

    /// Entries per transaction Bundle for this target, or nil to send items one by one.
    private func transactionSize(_ target: SyncTarget) -> Int? {
        guard options.useTransactions, target.capabilities.supportsTransaction, target.format == .json,
            let limit = target.capabilities.maxBundleEntries, limit > 1
        else { return nil }
        return limit
    }

    /// Stores the outcomes of a round (deliveries in one write); true when the target cannot be
    /// used (the run stops).
    private func record(
        _ results: [(OutboxItem, DeliveryOutcome?)], target: SyncTarget, runId: String, report: inout DeliveryReport
    ) throws(StoreError) -> Bool {
        let now = clock()
        var deliveries: [Delivery] = []
        var released: [Int64] = []
        var audit: [AuditEvent] = []
        var targetFailed = false
        for (item, outcome) in results {
            guard let outcome else {
                released.append(item.id)
                continue
            }
            var auditOutcome: String
            var status: Int?
            switch outcome {
            case .delivered(let s, let serverId, let etag):
                deliveries.append(Delivery(id: item.id, status: s, serverId: serverId, etag: etag))
                report.summary.sent += 1
                auditOutcome = "delivered"
                status = s
            case .retry(let s, let error, let body, let retryAfter):
                status = s
                if item.attempts >= options.retry.maxAttempts {
                    try store.markDeadLetter(
                        item.id, status: s, error: error, outcome: body,
                        hint: "gave up after \(item.attempts) attempts: check the target, then `fhirgate outbox retry`",
                        now: now)
                    report.summary.deadLettered += 1
                    auditOutcome = "dead-letter"
                } else {
                    let delay = options.retry.delay(afterAttempt: item.attempts, retryAfter: retryAfter)
                    try store.scheduleRetry(
                        item.id, status: s, error: error, outcome: body, at: now + Self.milliseconds(delay), now: now)
                    report.summary.retried += 1
                    auditOutcome = "retry"
                }
            case .deadLetter(let s, let error, let body, let hint):
                try store.markDeadLetter(item.id, status: s, error: error, outcome: body, hint: hint, now: now)
                report.summary.deadLettered += 1
                auditOutcome = "dead-letter"
                status = s
            case .targetFailed(let s, let error):
                let delay = options.retry.delay(afterAttempt: item.attempts, retryAfter: nil)
                try store.scheduleRetry(
                    item.id, status: s, error: error, outcome: nil, at: now + Self.milliseconds(delay), now: now)
                report.summary.retried += 1
                report.targetFailure = error
                auditOutcome = "target-failed"
                status = s
                targetFailed = true
            }
            audit.append(
                AuditEvent(
                    time: now, target: target.name, resourceType: item.resourceType, resourceId: item.resourceId,
                    action: "disclose", outcome: auditOutcome, status: status, consentDecision: item.disclosure,
                    runId: runId))
        }
        try store.markDelivered(deliveries, now: now)
        try store.release(released, now: now)
        try store.appendAudit(audit)
        return targetFailed
    }

    public static func milliseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}

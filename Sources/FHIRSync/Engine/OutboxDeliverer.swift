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

    public init(concurrency: Int = 4, retry: RetryPolicy = RetryPolicy(), waitForRetriesMilliseconds: Int64 = 0) {
        self.concurrency = max(1, concurrency)
        self.retry = retry
        self.waitForRetriesMilliseconds = waitForRetriesMilliseconds
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
        let start = clock()
        while !Task.isCancelled {
            let now = clock()
            let batch = try store.claim(target: target.name, now: now, limit: options.concurrency)
            if batch.isEmpty {
                guard try store.openItemCount(target: target.name) > 0,
                    let due = try store.nextDueTime(target: target.name), due > now,
                    due - start <= options.waitForRetriesMilliseconds
                else { break }
                try? await Task.sleep(for: .milliseconds(min(due - now, 60_000)))
                continue
            }
            let results = await withTaskGroup(of: (OutboxItem, DeliveryOutcome).self) { group in
                for item in batch { group.addTask { (item, await sender.send(item)) } }
                var results: [(OutboxItem, DeliveryOutcome)] = []
                for await result in group { results.append(result) }
                return results
            }
            var targetFailed = false
            for (item, outcome) in results {
                if try record(item, outcome, target: target, runId: runId, report: &report) { targetFailed = true }
            }
            progress?(report)
            if targetFailed { break }
        }
        report.stillOpen = try store.openItemCount(target: target.name)
        return report
    }

    /// Stores the outcome of one item; true when the target cannot be used (the run stops).
    private func record(
        _ item: OutboxItem, _ outcome: DeliveryOutcome, target: SyncTarget, runId: String,
        report: inout DeliveryReport
    ) throws(StoreError) -> Bool {
        let now = clock()
        var auditOutcome: String
        var status: Int?
        var targetFailed = false
        switch outcome {
        case .delivered(let s, let serverId, let etag):
            try store.markDelivered(item.id, status: s, serverId: serverId, etag: etag, now: now)
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
        try store.appendAudit([
            AuditEvent(
                time: now, target: target.name, resourceType: item.resourceType, resourceId: item.resourceId,
                action: "disclose", outcome: auditOutcome, status: status, consentDecision: item.disclosure,
                runId: runId)
        ])
        return targetFailed
    }

    public static func milliseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}

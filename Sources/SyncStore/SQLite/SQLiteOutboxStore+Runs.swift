import GRDB

extension SQLiteOutboxStore {
    public func claimRuns(target: String, now: Int64, groups: Int, perGroup: Int) throws(StoreError)
        -> [[OutboxItem]]
    {
        guard groups > 0, perGroup > 0 else { return [] }
        return try write("claim runs") { db in
            let heads = try Self.claimable(db, target: target, now: now, limit: groups)
            var runs: [[OutboxItem]] = []
            for head in heads {
                // The items after the head, in order; the run stops at the first one that is not
                // pending and due, or that waits for an older open version of its resource.
                let rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(OutboxSchema.outboxColumns),
                                EXISTS (SELECT 1 FROM outbox e WHERE e.target = o.target
                                    AND e.resource_type = o.resource_type AND e.resource_id = o.resource_id
                                    AND e.id < o.id AND e.state IN ('pending', 'in-flight')) AS older_open
                            FROM outbox o
                            WHERE o.target = ? AND o.group_key = ? AND o.state IN ('pending', 'in-flight', 'dead-letter')
                                AND (o.sequence > ? OR (o.sequence = ? AND o.id > ?))
                            ORDER BY o.sequence, o.id
                            LIMIT ?
                            """),
                    arguments: [target, head.group, head.sequence, head.sequence, head.id, perGroup - 1])
                var run = [head]
                for row in rows {
                    let item = try OutboxRow.item(row)
                    let olderOpen: Bool = row["older_open"]
                    guard item.state == .pending, item.nextAttemptAt <= now, !olderOpen else { break }
                    run.append(item)
                }
                for index in run.indices {
                    try db.run(
                        "UPDATE outbox SET state = 'in-flight', attempts = attempts + 1, updated_at = ? WHERE id = ?",
                        [now, run[index].id])
                    run[index].state = .inFlight
                    run[index].attempts += 1
                    run[index].updatedAt = now
                }
                runs.append(run)
            }
            return runs
        }
    }

    public func markDelivered(_ deliveries: [Delivery], now: Int64) throws(StoreError) {
        guard !deliveries.isEmpty else { return }
        try write("mark delivered") { db in
            for d in deliveries {
                try Self.recordDelivery(d, now: now, store: path, db: db)
            }
        }
    }

    public func release(_ ids: [Int64], now: Int64) throws(StoreError) {
        guard !ids.isEmpty else { return }
        try write("release") { db in
            for id in ids {
                try db.run(
                    """
                    UPDATE outbox SET state = 'pending', attempts = MAX(attempts - 1, 0), updated_at = ?
                    WHERE id = ? AND state = 'in-flight'
                    """, [now, id])
            }
        }
    }
}

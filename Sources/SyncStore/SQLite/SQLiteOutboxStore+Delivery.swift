import Foundation
import GRDB

extension SQLiteOutboxStore {
    public func claim(target: String, now: Int64, limit: Int) throws(StoreError) -> [OutboxItem] {
        guard limit > 0 else { return [] }
        return try write("claim") { db in
            var items = try Self.claimable(db, target: target, now: now, limit: limit)
            for index in items.indices {
                try db.run(
                    "UPDATE outbox SET state = 'in-flight', attempts = attempts + 1, updated_at = ? WHERE id = ?",
                    [now, items[index].id])
                items[index].state = .inFlight
                items[index].attempts += 1
                items[index].updatedAt = now
            }
            return items
        }
    }

    /// The first claimable item of each group that has one, in group order (at most `limit`).
    static func claimable(_ db: Database, target: String, now: Int64, limit: Int) throws -> [OutboxItem] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(OutboxSchema.outboxColumns) FROM outbox o
                    WHERE o.target = ? AND o.state = 'pending' AND o.next_attempt_at <= ?
                        AND NOT \(OutboxSchema.heldBack)
                    ORDER BY o.group_key, o.sequence, o.id
                    LIMIT ?
                    """), arguments: [target, now, limit]
        ).map(OutboxRow.item)
    }

    public func markDelivered(_ id: Int64, status: Int, serverId: String?, etag: String?, now: Int64)
        throws(StoreError)
    {
        try write("mark delivered") { db in
            try Self.recordDelivery(
                Delivery(id: id, status: status, serverId: serverId, etag: etag), now: now, store: path, db: db)
        }
    }

    /// The item is delivered, and the target holds its content (``DeliveredRecord``).
    static func recordDelivery(_ d: Delivery, now: Int64, store: String, db: Database) throws {
        try update(
            d.id, operation: "mark delivered", store: store, db: db,
            sql: """
                UPDATE outbox SET state = 'delivered', last_status = ?, server_id = ?, etag = ?, hint = NULL,
                    updated_at = ?
                WHERE id = ?
                """, arguments: [d.status, d.serverId, d.etag, now, d.id])
        try db.run(
            """
            INSERT INTO delivered (target, resource_type, resource_id, content_hash, server_id, etag,
                delivered_at)
            SELECT target, resource_type, resource_id, content_hash, ?, ?, ? FROM outbox WHERE id = ?
            ON CONFLICT (target, resource_type, resource_id) DO UPDATE SET
                content_hash = excluded.content_hash,
                server_id = COALESCE(excluded.server_id, delivered.server_id),
                etag = excluded.etag,
                delivered_at = excluded.delivered_at
            """, [d.serverId, d.etag, now, d.id])
    }

    public func markUnchanged(_ id: Int64, now: Int64) throws(StoreError) {
        try write("mark unchanged") { db in
            try Self.update(
                id, operation: "mark unchanged", store: path, db: db,
                sql: "UPDATE outbox SET state = 'unchanged', hint = NULL, updated_at = ? WHERE id = ?",
                arguments: [now, id])
            // The target holds this content: later identical content counts as unchanged.
            try db.run(
                """
                INSERT INTO delivered (target, resource_type, resource_id, content_hash, server_id, etag,
                    delivered_at)
                SELECT target, resource_type, resource_id, content_hash, NULL, NULL, ? FROM outbox WHERE id = ?
                ON CONFLICT (target, resource_type, resource_id) DO UPDATE SET
                    content_hash = excluded.content_hash,
                    delivered_at = excluded.delivered_at
                """, [now, id])
        }
    }

    public func scheduleRetry(_ id: Int64, status: Int?, error: String, outcome: [UInt8]?, at: Int64, now: Int64)
        throws(StoreError)
    {
        try write("schedule retry") { db in
            try Self.update(
                id, operation: "schedule retry", store: path, db: db,
                sql: """
                    UPDATE outbox SET state = 'pending', last_status = ?, last_error = ?, last_outcome = ?,
                        next_attempt_at = ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [status, error, outcome.map { Data($0) }, at, now, id])
        }
    }

    public func markDeadLetter(
        _ id: Int64, status: Int?, error: String, outcome: [UInt8]?, hint: String?, now: Int64
    ) throws(StoreError) {
        try write("mark dead letter") { db in
            try Self.update(
                id, operation: "mark dead letter", store: path, db: db,
                sql: """
                    UPDATE outbox SET state = 'dead-letter', last_status = ?, last_error = ?, last_outcome = ?,
                        hint = ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [status, error, outcome.map { Data($0) }, hint, now, id])
        }
    }

    /// In-flight items go back to pending, due now. The interrupted attempt had no answer, so it is
    /// not counted (a crash loop must not use up an item's attempts).
    public func recoverInFlight(now: Int64) throws(StoreError) -> Int {
        try write("recover in-flight items") { db in
            try db.run(
                """
                UPDATE outbox SET state = 'pending', attempts = MAX(attempts - 1, 0),
                    next_attempt_at = MIN(next_attempt_at, ?), updated_at = ?
                WHERE state = 'in-flight'
                """, [now, now])
            return db.changesCount
        }
    }

    public func retryDeadLetters(target: String?, ids: [Int64]?, now: Int64) throws(StoreError) -> Int {
        if let ids, ids.isEmpty { return 0 }
        return try write("retry dead letters") { db in
            var filter = "state = 'dead-letter'"
            var base: [(any DatabaseValueConvertible)?] = [now, now]
            if let target {
                filter += " AND target = ?"
                base.append(target)
            }
            let update = """
                UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, hint = NULL, updated_at = ?
                WHERE \(filter)
                """
            guard let ids else {
                try db.execute(sql: update, arguments: StatementArguments(base))
                return db.changesCount
            }
            var changed = 0
            var start = 0
            while start < ids.count {
                let chunk = ids[start..<min(start + 500, ids.count)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                try db.execute(
                    sql: update + " AND id IN (\(marks))",
                    arguments: StatementArguments(base + chunk.map { $0 as (any DatabaseValueConvertible)? }))
                changed += db.changesCount
                start += 500
            }
            return changed
        }
    }

    /// Runs an UPDATE of one item; an unknown id is a `notFound` error.
    static func update(
        _ id: Int64, operation: String, store: String, db: Database, sql: String, arguments: StatementArguments
    ) throws {
        try db.run(sql, arguments)
        guard db.changesCount == 1 else {
            throw StoreError(.notFound, store: store, operation: operation, reason: "no outbox item \(id)")
        }
    }
}

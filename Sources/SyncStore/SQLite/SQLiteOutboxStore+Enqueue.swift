import Foundation
import GRDB

extension SQLiteOutboxStore {
    public func enqueue(_ items: [NewOutboxItem], now: Int64) throws(StoreError) -> EnqueueResult {
        guard !items.isEmpty else { return EnqueueResult() }
        return try write("enqueue") { db in
            var result = EnqueueResult()
            for item in items {
                try Self.enqueue(item, now: now, into: db, result: &result)
            }
            return result
        }
    }

    /// One item's idempotency decision (see ``OutboxStore``).
    private static func enqueue(_ item: NewOutboxItem, now: Int64, into db: Database, result: inout EnqueueResult)
        throws
    {
        let resource: StatementArguments = [item.target, item.resourceType, item.resourceId]
        let open = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT id, state, content_hash FROM outbox
                    WHERE target = ? AND resource_type = ? AND resource_id = ? AND state IN ('pending', 'in-flight')
                    ORDER BY id DESC LIMIT 1
                    """), arguments: resource)
        if let open {
            let id: Int64 = try OutboxRow.value(open, "id")
            let state: String = try OutboxRow.value(open, "state")
            let hash: String = try OutboxRow.value(open, "content_hash")
            let pending = state == OutboxState.pending.rawValue
            if hash == item.contentHash {
                // Same content already on its way; a pending item follows the latest delivery plan.
                if pending {
                    try db.run(
                        "UPDATE outbox SET group_key = ?, sequence = ?, updated_at = ? WHERE id = ?",
                        [item.group, item.sequence, now, id])
                }
                result.alreadyQueued += 1
            } else if pending {
                try db.run(
                    """
                    UPDATE outbox SET content = ?, content_hash = ?, disclosure = ?, group_key = ?, sequence = ?,
                        updated_at = ?
                    WHERE id = ?
                    """,
                    [
                        Data(item.content), item.contentHash, item.disclosure, item.group, item.sequence, now, id,
                    ])
                result.inserted += 1
            } else {
                // In flight: the new content goes after it (claim holds it back until the older one settles).
                try insert(item, now: now, into: db)
                result.inserted += 1
            }
            return
        }
        let deliveredHash = try String.fetchOne(
            db.cachedStatement(
                sql: "SELECT content_hash FROM delivered WHERE target = ? AND resource_type = ? AND resource_id = ?"),
            arguments: resource)
        if deliveredHash == item.contentHash {
            try dropDeadLetters(resource, from: db)
            result.unchanged += 1
            return
        }
        let latest = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT state, content_hash FROM outbox
                    WHERE target = ? AND resource_type = ? AND resource_id = ?
                    ORDER BY id DESC LIMIT 1
                    """), arguments: resource)
        if let latest {
            let state: String = try OutboxRow.value(latest, "state")
            let hash: String = try OutboxRow.value(latest, "content_hash")
            if state == OutboxState.deadLetter.rawValue && hash == item.contentHash {
                result.deadLettered += 1
                return
            }
        }
        try dropDeadLetters(resource, from: db)
        try insert(item, now: now, into: db)
        result.inserted += 1
    }

    /// Dead letters of a resource whose content is superseded (new content queued, or the target
    /// holds the wanted content): they would only hold back their group.
    private static func dropDeadLetters(_ resource: StatementArguments, from db: Database) throws {
        try db.run(
            """
            DELETE FROM outbox
            WHERE target = ? AND resource_type = ? AND resource_id = ? AND state = 'dead-letter'
            """, resource)
    }

    private static func insert(_ item: NewOutboxItem, now: Int64, into db: Database) throws {
        try db.run(
            """
            INSERT INTO outbox (target, group_key, sequence, resource_type, resource_id, content, content_hash,
                state, attempts, next_attempt_at, disclosure, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)
            """,
            [
                item.target, item.group, item.sequence, item.resourceType, item.resourceId, Data(item.content),
                item.contentHash, now, item.disclosure, now, now,
            ])
    }
}

extension Database {
    /// Runs a statement through the connection's statement cache (hot paths run it per item).
    func run(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

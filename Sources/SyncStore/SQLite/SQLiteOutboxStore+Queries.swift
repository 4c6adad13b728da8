import Foundation
import GRDB

extension SQLiteOutboxStore {
    public func deadLetters(target: String?) throws(StoreError) -> [OutboxItem] {
        try read("list dead letters") { db in
            var sql = "SELECT \(OutboxSchema.outboxColumns) FROM outbox WHERE state = 'dead-letter'"
            var arguments: StatementArguments = []
            if let target {
                sql += " AND target = ?"
                arguments = [target]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map(OutboxRow.item)
        }
    }

    public func counts() throws(StoreError) -> OutboxCounts {
        try read("count items") { db in
            var counts = OutboxCounts()
            let rows = try Row.fetchAll(
                db, sql: "SELECT target, state, COUNT(*) AS n FROM outbox GROUP BY target, state")
            for row in rows {
                let target: String = try OutboxRow.value(row, "target")
                let stateText: String = try OutboxRow.value(row, "state")
                guard let state = OutboxState(rawValue: stateText) else {
                    throw OutboxRow.Damaged(column: "state")
                }
                counts.byTarget[target, default: [:]][state] = try OutboxRow.value(row, "n")
            }
            return counts
        }
    }

    public func openItemCount(target: String?) throws(StoreError) -> Int {
        try read("count open items") { db in
            var sql = "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'in-flight')"
            var arguments: StatementArguments = []
            if let target {
                sql += " AND target = ?"
                arguments = [target]
            }
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
    }

    /// The earliest `nextAttemptAt` of a pending item that its group does not hold back (items behind
    /// a dead letter or an unsettled earlier item would not be claimed at their time anyway).
    public func nextDueTime(target: String) throws(StoreError) -> Int64? {
        try read("next due time") { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MIN(o.next_attempt_at) FROM outbox o
                    WHERE o.target = ? AND o.state = 'pending' AND NOT \(OutboxSchema.heldBack)
                    """, arguments: [target])
        }
    }

    public func delivered(target: String, resourceType: String, resourceId: String) throws(StoreError)
        -> DeliveredRecord?
    {
        try read("read delivered record") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT target, resource_type, resource_id, content_hash, server_id, etag, delivered_at
                    FROM delivered WHERE target = ? AND resource_type = ? AND resource_id = ?
                    """, arguments: [target, resourceType, resourceId]
            ).map(OutboxRow.delivered)
        }
    }

    public func watermark(target: String, key: String) throws(StoreError) -> String? {
        try read("read watermark") { db in
            try String.fetchOne(
                db, sql: "SELECT value FROM watermark WHERE target = ? AND key = ?", arguments: [target, key])
        }
    }

    public func setWatermark(target: String, key: String, value: String) throws(StoreError) {
        try write("set watermark") { db in
            try db.execute(
                sql: """
                    INSERT INTO watermark (target, key, value) VALUES (?, ?, ?)
                    ON CONFLICT (target, key) DO UPDATE SET value = excluded.value
                    """, arguments: [target, key, value])
        }
    }

    public func appendAudit(_ events: [AuditEvent]) throws(StoreError) {
        guard !events.isEmpty else { return }
        try write("append audit events") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO audit (time, target, resource_type, resource_id, action, outcome, status,
                        consent_decision, run_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for event in events {
                try statement.execute(arguments: [
                    event.time, event.target, event.resourceType, event.resourceId, event.action, event.outcome,
                    event.status, event.consentDecision, event.runId,
                ])
            }
        }
    }

    public func auditEvents(target: String?, limit: Int) throws(StoreError) -> [AuditEvent] {
        guard limit > 0 else { return [] }
        return try read("read audit events") { db in
            var filter = ""
            var arguments: StatementArguments = []
            if let target {
                filter = "WHERE target = ?"
                arguments = [target]
            }
            arguments += [limit]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT id, time, target, resource_type, resource_id, action, outcome, status,
                            consent_decision, run_id
                        FROM audit \(filter) ORDER BY id DESC LIMIT ?
                    ) ORDER BY id
                    """, arguments: arguments
            ).map(OutboxRow.audit)
        }
    }
}

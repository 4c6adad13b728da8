import GRDB

/// The outbox tables and their migrations. Column types are portable (TEXT, INTEGER as 64-bit,
/// BLOB as binary) so the same layout serves a PostgreSQL store (see ``OutboxStore``).
enum OutboxSchema {
    /// The migrator: append a new migration for every change, never edit a shipped one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: outbox, delivered, watermark, audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        target TEXT NOT NULL,
                        group_key TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        resource_type TEXT NOT NULL,
                        resource_id TEXT NOT NULL,
                        content BLOB NOT NULL,
                        content_hash TEXT NOT NULL,
                        state TEXT NOT NULL
                            CHECK (state IN ('pending', 'in-flight', 'delivered', 'unchanged', 'dead-letter')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_status INTEGER,
                        last_error TEXT,
                        last_outcome BLOB,
                        hint TEXT,
                        server_id TEXT,
                        etag TEXT,
                        disclosure TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX outbox_claim ON outbox (target, state, group_key, sequence);
                    CREATE INDEX outbox_group ON outbox (target, group_key, sequence);
                    CREATE INDEX outbox_resource ON outbox (target, resource_type, resource_id);
                    CREATE TABLE delivered (
                        target TEXT NOT NULL,
                        resource_type TEXT NOT NULL,
                        resource_id TEXT NOT NULL,
                        content_hash TEXT NOT NULL,
                        server_id TEXT,
                        etag TEXT,
                        delivered_at INTEGER NOT NULL,
                        PRIMARY KEY (target, resource_type, resource_id)
                    );
                    CREATE TABLE watermark (
                        target TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (target, key)
                    );
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        time INTEGER NOT NULL,
                        target TEXT NOT NULL,
                        resource_type TEXT NOT NULL,
                        resource_id TEXT NOT NULL,
                        action TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        status INTEGER,
                        consent_decision TEXT NOT NULL,
                        run_id TEXT NOT NULL
                    );
                    CREATE INDEX audit_target ON audit (target, id);
                    """)
        }
        return migrator
    }

    /// The columns of an outbox row, in the order ``OutboxRow`` reads them.
    static let outboxColumns = """
        id, target, group_key, sequence, resource_type, resource_id, content, content_hash, state, attempts, \
        next_attempt_at, last_status, last_error, last_outcome, hint, server_id, etag, disclosure, created_at, \
        updated_at
        """

    /// The condition under which the outbox row `o` is held back by its group: an earlier item of the
    /// group that is not settled (pending, in flight or dead letter), or an older open item of the
    /// same resource (its versions go out in order), or an open item of a group ordered before it
    /// (``OutboxGroups``: `first` before all, `last` after all).
    static let heldBack = """
        (EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.target = o.target AND e.group_key = o.group_key AND e.sequence < o.sequence
                AND e.state IN ('pending', 'in-flight', 'dead-letter'))
        OR EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.target = o.target AND e.resource_type = o.resource_type AND e.resource_id = o.resource_id
                AND e.id < o.id AND e.state IN ('pending', 'in-flight'))
        OR (o.group_key <> '\(OutboxGroups.first)' AND EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.target = o.target AND e.state IN ('pending', 'in-flight')
                AND e.group_key = '\(OutboxGroups.first)'))
        OR (o.group_key = '\(OutboxGroups.last)' AND EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.target = o.target AND e.state IN ('pending', 'in-flight')
                AND e.group_key <> '\(OutboxGroups.last)')))
        """
}

import Foundation
import GRDB

/// Reading stored rows back into values, without trapping on damaged data: a value of the wrong
/// type or an unknown state is a ``StoreError`` of kind `corrupt`.
enum OutboxRow {
    struct Damaged: Error {
        var column: String
    }

    static func item(_ row: Row) throws -> OutboxItem {
        let stateText: String = try value(row, "state")
        guard let state = OutboxState(rawValue: stateText) else { throw Damaged(column: "state") }
        return OutboxItem(
            id: try value(row, "id"), target: try value(row, "target"), group: try value(row, "group_key"),
            sequence: try value(row, "sequence"), resourceType: try value(row, "resource_type"),
            resourceId: try value(row, "resource_id"), content: [UInt8](try value(row, "content") as Data),
            contentHash: try value(row, "content_hash"), state: state, attempts: try value(row, "attempts"),
            nextAttemptAt: try value(row, "next_attempt_at"), lastStatus: try value(row, "last_status"),
            lastError: try value(row, "last_error"),
            lastOutcome: (try value(row, "last_outcome") as Data?).map { [UInt8]($0) },
            hint: try value(row, "hint"), serverId: try value(row, "server_id"), etag: try value(row, "etag"),
            disclosure: try value(row, "disclosure"), createdAt: try value(row, "created_at"),
            updatedAt: try value(row, "updated_at"))
    }

    static func delivered(_ row: Row) throws -> DeliveredRecord {
        DeliveredRecord(
            target: try value(row, "target"), resourceType: try value(row, "resource_type"),
            resourceId: try value(row, "resource_id"), contentHash: try value(row, "content_hash"),
            serverId: try value(row, "server_id"), etag: try value(row, "etag"),
            deliveredAt: try value(row, "delivered_at"))
    }

    static func audit(_ row: Row) throws -> AuditEvent {
        AuditEvent(
            time: try value(row, "time"), target: try value(row, "target"),
            resourceType: try value(row, "resource_type"), resourceId: try value(row, "resource_id"),
            action: try value(row, "action"), outcome: try value(row, "outcome"), status: try value(row, "status"),
            consentDecision: try value(row, "consent_decision"), runId: try value(row, "run_id"))
    }

    /// One column, decoded with GRDB's throwing decoder (never its trapping subscript).
    static func value<T: DatabaseValueConvertible>(_ row: Row, _ column: String) throws -> T {
        do {
            return try row.decode(T.self, forColumn: column)
        } catch {
            throw Damaged(column: column)
        }
    }
}

import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The outbox on an embedded SQLite file (GRDB `DatabasePool`).
///
/// - WAL journal with `synchronous = FULL`: a transaction is on disk when its method returns, so a
///   `kill -9` (or a power cut) right after loses nothing.
/// - Several processes may open the same file: writes take the write lock at the start of their
///   transaction (`BEGIN IMMEDIATE`) and wait up to the busy timeout for it. Run one *sender* per
///   file, though: `recoverInFlight` resets every in-flight item, including another live sender's.
/// - The file is created with mode 0600 (it holds resource content), its folder if missing with 0700.
/// - The schema is migrated on open (`DatabaseMigrator`); a file from a newer FHIRGate is refused.
public final class SQLiteOutboxStore: OutboxStore {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens (creating it if needed) the store at `path`; `busyTimeout` is how long a write waits
    /// for another connection's transaction to finish.
    public init(path: String, busyTimeout: Duration = .seconds(15)) throws(StoreError) {
        self.path = path
        do {
            try Self.prepareFile(path)
            var config = Configuration()
            config.label = "fhirgate-outbox"
            config.busyMode = .timeout(Self.seconds(busyTimeout))
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            pool = try DatabasePool(path: path, configuration: config)
            let migrator = OutboxSchema.migrator
            try pool.write { db in
                if try migrator.hasBeenSuperseded(db) {
                    throw StoreError(
                        .open, store: path, operation: "open",
                        reason: "the store was written by a newer FHIRGate (unknown schema migrations)")
                }
            }
            try migrator.migrate(pool)
        } catch {
            throw Self.storeError(error, store: path, operation: "open")
        }
    }

    /// Runs `body` in one write transaction (IMMEDIATE), mapping every failure to a ``StoreError``.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.storeError(error, store: path, operation: operation)
        }
    }

    /// Runs `body` on a snapshot (a read transaction that sees only committed data).
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.storeError(error, store: path, operation: operation)
        }
    }

    /// Writes all committed WAL frames into the database file (optional: SQLite does it on its own).
    public func checkpoint() throws(StoreError) {
        do {
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch {
            throw Self.storeError(error, store: path, operation: "checkpoint")
        }
    }

    static func storeError(_ error: any Error, store: String, operation: String) -> StoreError {
        switch error {
        case let error as StoreError:
            var copy = error
            if copy.operation.isEmpty { copy.operation = operation }
            return copy
        case let error as DatabaseError:
            let code = error.resultCode
            let kind: StoreError.Kind
            switch code {
            case .SQLITE_BUSY, .SQLITE_LOCKED: kind = .busy
            case .SQLITE_CANTOPEN, .SQLITE_NOTADB, .SQLITE_PERM, .SQLITE_READONLY: kind = .open
            case .SQLITE_CORRUPT: kind = .corrupt
            default: kind = .database
            }
            // SQLite's message names tables, columns and constraints, never bound values.
            let message = error.message.map { ": \($0)" } ?? ""
            return StoreError(
                kind, store: store, operation: operation, reason: "SQLite error \(code.rawValue)\(message)")
        case let error as OutboxRow.Damaged:
            return StoreError(
                .corrupt, store: store, operation: operation,
                reason: "a stored row has an unreadable \(error.column) column")
        case let error as PrepareError:
            return StoreError(.open, store: store, operation: operation, reason: error.reason)
        default:
            return StoreError(
                .database, store: store, operation: operation, reason: String(describing: type(of: error)))
        }
    }

    struct PrepareError: Error {
        var reason: String
    }

    /// Creates the folder (0700) and an empty file (0600) when missing, so SQLite's own files
    /// (`-wal`, `-shm`) inherit the file's mode.
    private static func prepareFile(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw PrepareError(reason: "cannot create the folder \(folder)")
            }
        }
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw PrepareError(reason: "cannot open the file (\(String(cString: strerror(errno))))")
        }
        close(fd)
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (s, atto) = duration.components
        return max(0, Double(s) + Double(atto) / 1e18)
    }
}

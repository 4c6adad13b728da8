import FHIRGateTesting

@testable import SyncStore

/// A store on a real SQLite file in a fresh temporary folder (removed by `close`).
struct TemporaryStore {
    let folder: String
    let path: String
    let store: SQLiteOutboxStore

    init() throws {
        folder = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-store")
        path = folder + "/state/outbox.sqlite"
        store = try SQLiteOutboxStore(path: path)
    }

    /// Another connection pool on the same file (what a second process sees).
    func reopen() throws -> SQLiteOutboxStore {
        try SQLiteOutboxStore(path: path)
    }

    func remove() {
        TestSupport.removeTree(folder)
    }
}

/// An item of `group` at `sequence`, its content and hash derived from `version`.
func item(
    _ type: String, _ id: String, group: String = "patient-1", sequence: Int = 0, version: Int = 1,
    target: String = "ehr"
) -> NewOutboxItem {
    let content = Array("{\"resourceType\":\"\(type)\",\"id\":\"\(id)\",\"v\":\(version)}".utf8)
    return NewOutboxItem(
        target: target, group: group, sequence: sequence, resourceType: type, resourceId: id, content: content,
        contentHash: "\(type)/\(id)#\(version)", disclosure: "treatment disclosure")
}

extension Array where Element == OutboxItem {
    /// `Type/id` of each item, in order.
    var references: [String] { map { "\($0.resourceType)/\($0.resourceId)" } }
}

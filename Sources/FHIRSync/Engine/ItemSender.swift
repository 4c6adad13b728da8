import FHIRClient
import FHIRJSON
import FHIRModel
import FHIRXML
import HTTPTransport
import SyncStore

/// Sends one outbox item the way its target accepts it, idempotently:
/// - `put`: `PUT Type/id` with our deterministic id (a repeat is an update to the same resource);
/// - `conditionalCreate`: `POST Type` with `If-None-Exist` on the resource's identifier (or, for a
///   resource without one, on a `meta.tag` holding our id), references rewritten to the ids the
///   target gave earlier items;
/// - `create`: a search on that same key first, then a plain `POST` only when nothing is found.
struct ItemSender: Sendable {
    let target: SyncTarget
    let model: ModelInfo
    let store: any OutboxStore

    func send(_ item: OutboxItem) async -> DeliveryOutcome {
        let mode = target.capabilities.writeMode(for: item.resourceType)
        do {
            switch mode {
            case .put:
                let response = try await target.client.send(
                    .put, item.resourceType + "/" + item.resourceId, body: try body(item),
                    headers: ["Prefer": "return=minimal"])
                return .delivered(
                    status: response.status, serverId: response.resourceId ?? item.resourceId, etag: response.etag)
            case .conditionalCreate, .create:
                let parsed = try FHIRJSONReader(model: model).read(item.content).root
                let params = target.capabilities.capability(of: item.resourceType)?.searchParams ?? []
                let (key, keyed) = ResourceEditing.idempotencyKey(
                    parsed, ourID: item.resourceId,
                    identifierSearchable: params.isEmpty || params.contains("identifier"))
                if mode == .create, let found = try await existingID(item.resourceType, key: key) {
                    return .delivered(status: 200, serverId: found, etag: nil)
                }
                let edited = try rewritten(keyed)
                var headers: HTTPHeaders = ["Prefer": "return=minimal"]
                if mode == .conditionalCreate { headers.set("If-None-Exist", key.query) }
                let response = try await target.client.send(
                    .post, item.resourceType, body: try encode(edited), headers: headers)
                return .delivered(status: response.status, serverId: response.resourceId, etag: response.etag)
            case .refused:
                return .deadLetter(
                    status: nil, error: "the target does not accept \(item.resourceType) writes", outcome: nil,
                    hint:
                        "restage the records so the content is folded into a clinical note, or change the target's capabilities"
                )
            }
        } catch let error as FHIRClientError {
            return Self.outcome(of: error)
        } catch {
            return .deadLetter(
                status: nil, error: "cannot prepare the request: \(error)", outcome: nil,
                hint: "the stored content could not be read back; restage the records")
        }
    }

    /// The id of a resource of `type` the target already holds with this key (each match checked).
    private func existingID(_ type: String, key: IdempotencyKey) async throws(FHIRClientError) -> String? {
        let response = try await target.client.send(.get, type + "?" + key.query, body: nil)
        guard let bundle = response.resource else { return nil }
        for entry in bundle.children(named: "entry") {
            if let resource = entry.child(named: "resource"), key.matches(resource), let id = resource.childValue("id")
            {
                return id
            }
        }
        return nil
    }

    private func rewritten(_ resource: ElementNode) throws(StoreError) -> ElementNode {
        var failure: StoreError?
        let edited = ResourceEditing.rewritingReferences(ResourceEditing.withoutID(resource)) { type, id in
            do throws(StoreError) {
                return try store.delivered(target: target.name, resourceType: type, resourceId: id)?.serverId
            } catch {
                failure = error
                return nil
            }
        }
        if let failure { throw failure }
        return edited
    }

    /// The stored JSON as is, or converted to XML for an XML target.
    private func body(_ item: OutboxItem) throws -> [UInt8] {
        if target.format == .json { return item.content }
        return try encode(try FHIRJSONReader(model: model).read(item.content).root)
    }

    private func encode(_ node: ElementNode) throws -> [UInt8] {
        switch target.format {
        case .json: return FHIRJSONWriter(model: model).write(node)
        case .xml: return try FHIRXMLWriter(model: model).write(node)
        }
    }

    static func outcome(of error: FHIRClientError) -> DeliveryOutcome {
        let outcome = error.outcome.map(OutcomeJSON.encode)
        if error.kind == .auth || error.status == 401 {
            return .targetFailed(status: error.status, error: "credentials refused: " + error.message)
        }
        if error.isRetryable {
            return .retry(status: error.status, error: error.message, outcome: outcome, retryAfter: error.retryAfter)
        }
        if error.kind == .transport || error.kind == .invalidRequest {
            return .targetFailed(status: nil, error: "the target cannot be reached as configured: " + error.message)
        }
        return .deadLetter(
            status: error.status, error: error.message, outcome: outcome, hint: DeadLetterHint.forStatus(error.status))
    }
}

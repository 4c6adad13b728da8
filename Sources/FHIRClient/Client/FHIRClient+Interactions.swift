import FHIRModel
import HTTPTransport

/// The FHIR RESTful interactions on single resources, batches and the server.
extension FHIRClient {
    /// `GET [base]/metadata`: the server's CapabilityStatement.
    public func capabilities() async throws(FHIRClientError) -> FHIRResponse {
        try await send(.get, "metadata", body: nil)
    }

    /// `GET [base]/Type/id`.
    public func read(_ type: String, id: String) async throws(FHIRClientError) -> FHIRResponse {
        try await send(.get, try resourcePath(type, id: id), body: nil)
    }

    /// `GET [base]/Type/id/_history/version`.
    public func vread(_ type: String, id: String, version: String) async throws(FHIRClientError) -> FHIRResponse {
        try checkID(version, what: "version id")
        return try await send(.get, try resourcePath(type, id: id) + "/_history/" + version, body: nil)
    }

    /// `POST [base]/Type`: creates `resource` (its `id`, if any, is ignored by servers).
    /// - Parameters:
    ///   - ifNoneExist: a conditional create's search (`identifier=http://x|123`), sent as
    ///     `If-None-Exist`: the server creates nothing when exactly one resource matches (200).
    ///   - returnMinimal: asks for no body (`Prefer: return=minimal`); the id comes from `Location`.
    public func create(_ resource: ElementNode, ifNoneExist: String? = nil, returnMinimal: Bool = false)
        async throws(FHIRClientError) -> FHIRResponse
    {
        let type = try resourceType(of: resource)
        var headers: HTTPHeaders = [:]
        if let ifNoneExist {
            guard !Credentials.hasControlCharacters(ifNoneExist), !ifNoneExist.isEmpty else {
                throw FHIRClientError(.invalidRequest, "the If-None-Exist search is empty or has control characters")
            }
            headers.set("If-None-Exist", ifNoneExist.hasPrefix("?") ? String(ifNoneExist.dropFirst()) : ifNoneExist)
        }
        if returnMinimal { headers.set("Prefer", "return=minimal") }
        let body = try serialize(resource, label: "POST " + type)
        return try await send(.post, type, body: body, headers: headers)
    }

    /// `PUT [base]/Type/id` with the resource's own id.
    /// - Parameter ifMatch: the version the server must still hold (`3`, `W/"3"`): a stale one
    ///   gives 412 Precondition Failed.
    public func update(_ resource: ElementNode, ifMatch: String? = nil) async throws(FHIRClientError) -> FHIRResponse {
        let type = try resourceType(of: resource)
        guard let id = resource.childValue("id") else {
            throw FHIRClientError(.invalidRequest, "update of a \(type) without an id")
        }
        let path = try resourcePath(type, id: id)
        var headers: HTTPHeaders = [:]
        if let ifMatch { headers.set("If-Match", try Self.entityTag(ifMatch)) }
        let body = try serialize(resource, label: "PUT " + path)
        return try await send(.put, path, body: body, headers: headers)
    }

    /// `PUT [base]/Type?query`: updates the one resource matching `query` (for example
    /// `identifier=http://x|123`), or creates it when none matches.
    public func conditionalUpdate(_ resource: ElementNode, query: String) async throws(FHIRClientError)
        -> FHIRResponse
    {
        let type = try resourceType(of: resource)
        var clean = Substring(query)
        if clean.hasPrefix("?") { clean = clean.dropFirst() }
        guard !clean.isEmpty else { throw FHIRClientError(.invalidRequest, "conditional update without a query") }
        let body = try serialize(resource, label: "PUT " + type)
        return try await send(.put, type + "?" + clean, body: body)
    }

    /// `DELETE [base]/Type/id`.
    public func delete(_ type: String, id: String) async throws(FHIRClientError) -> FHIRResponse {
        try await send(.delete, try resourcePath(type, id: id), body: nil)
    }

    /// `POST [base]` with a `batch` Bundle: entries succeed or fail one by one (see each
    /// `entry.response.status` of the returned Bundle).
    public func batch(_ bundle: ElementNode) async throws(FHIRClientError) -> FHIRResponse {
        try await postBundle(bundle, type: "batch")
    }

    /// `POST [base]` with a `transaction` Bundle: all entries succeed or none.
    public func transaction(_ bundle: ElementNode) async throws(FHIRClientError) -> FHIRResponse {
        try await postBundle(bundle, type: "transaction")
    }

    private func postBundle(_ bundle: ElementNode, type: String) async throws(FHIRClientError) -> FHIRResponse {
        guard bundle.resourceType == "Bundle" else {
            throw FHIRClientError(
                .invalidRequest, "a \(type) needs a Bundle, not \(bundle.typeName ?? "a non-resource")")
        }
        guard bundle.childValue("type") == type else {
            throw FHIRClientError(.invalidRequest, "the Bundle's type is not \(type)")
        }
        let body = try serialize(bundle, label: "POST [base]")
        return try await send(.post, "", body: body)
    }

    // MARK: - Checks

    /// `Type/id` after checking both.
    func resourcePath(_ type: String, id: String) throws(FHIRClientError) -> String {
        try checkType(type)
        try checkID(id, what: "id")
        return type + "/" + id
    }

    func checkType(_ type: String) throws(FHIRClientError) {
        guard model.isResourceType(type) else {
            throw FHIRClientError(.invalidRequest, "\(Self.safeName(type)) is not a resource type of the model")
        }
    }

    /// FHIR ids: 1 to 64 of `A-Z a-z 0-9 - .`. The value is not repeated in the message.
    func checkID(_ id: String, what: String) throws(FHIRClientError) {
        let ok =
            (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { b in
                (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2D
                    || b == 0x2E
            }
        guard ok else { throw FHIRClientError(.invalidRequest, "the \(what) is not a valid FHIR id") }
    }

    func resourceType(of resource: ElementNode) throws(FHIRClientError) -> String {
        guard let type = resource.resourceType else {
            throw FHIRClientError(.invalidRequest, "the node is not a resource")
        }
        try checkType(type)
        return type
    }

    /// `W/"3"` for `3`; a tag given with quotes is kept.
    static func entityTag(_ version: String) throws(FHIRClientError) -> String {
        let text = version.trimmedWhitespace
        guard !text.isEmpty, !Credentials.hasControlCharacters(text) else {
            throw FHIRClientError(.invalidRequest, "the If-Match version is empty or has control characters")
        }
        if text.hasPrefix("W/\"") || text.hasPrefix("\"") { return text }
        return "W/\"" + text + "\""
    }

    /// A type name for a message: itself when it looks like a type name, else a placeholder.
    static func safeName(_ type: String) -> String {
        let ok =
            (1...64).contains(type.utf8.count) && type.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        return ok ? type : "the given name"
    }
}

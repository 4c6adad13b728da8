import FHIRModel
import HTTPTransport

/// Search, paging and history.
extension FHIRClient {
    /// One page of a search: `GET [base]/Type?params` (or `[base]?params` without a type), or with
    /// `usePost` `POST [base]/Type/_search` with the parameters as a form body (they then stay out
    /// of URLs and server logs). Both are retried under the client's ``RetryPolicy``.
    public func search(_ type: String?, _ parameters: [(String, String)], usePost: Bool = false)
        async throws(FHIRClientError) -> FHIRResponse
    {
        if let type { try checkType(type) }
        let query = FHIRQuery.string(parameters)
        let base = try self.base
        if usePost {
            let url = try base.resolve((type.map { $0 + "/" } ?? "") + "_search")
            let headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
            return try await perform(.post, url: url, body: Array(query.utf8), headers: headers, safe: true)
        }
        let url = try base.resolve((type ?? "") + (query.isEmpty ? "" : "?" + query))
        return try await perform(.get, url: url, body: nil, headers: [:], safe: true)
    }

    /// The page after `bundle` (its `link` with relation `next`), or nil on the last page. A `next`
    /// link on another origin than the base is refused (the credentials would go there).
    public func nextPage(_ bundle: ElementNode) async throws(FHIRClientError) -> FHIRResponse? {
        guard let next = Self.nextLink(of: bundle) else { return nil }
        let url = try base.resolve(next)
        return try await perform(.get, url: url, body: nil, headers: [:], safe: true)
    }

    /// Every `entry.resource` of every page of a search, following `next` links. More than
    /// `maxPages` pages, or a `next` link seen before, is an error (a server looping).
    public func searchAll(_ type: String?, _ parameters: [(String, String)], maxPages: Int = 1000)
        async throws(FHIRClientError) -> [ElementNode]
    {
        let first = try await search(type, parameters)
        return try await collect(from: first, maxPages: maxPages, what: "search")
    }

    /// `GET [base]/_history`, `[base]/Type/_history` or `[base]/Type/id/_history`, with `_since`
    /// (an instant) and `_count` when given: the first page (follow it with ``nextPage(_:)``).
    public func history(_ type: String?, id: String?, since: String?, count: Int? = nil)
        async throws(FHIRClientError) -> FHIRResponse
    {
        var path: String
        switch (type, id) {
        case (nil, nil): path = "_history"
        case (let type?, nil):
            try checkType(type)
            path = type + "/_history"
        case (let type?, let id?): path = try resourcePath(type, id: id) + "/_history"
        case (nil, _?): throw FHIRClientError(.invalidRequest, "a history by id needs the resource type")
        }
        var parameters: [(String, String)] = []
        if let since { parameters.append(("_since", since)) }
        if let count { parameters.append(("_count", String(count))) }
        if !parameters.isEmpty { path += "?" + FHIRQuery.string(parameters) }
        return try await send(.get, path, body: nil)
    }

    /// The resources of `first` and of the pages after it.
    func collect(from first: FHIRResponse, maxPages: Int, what: String) async throws(FHIRClientError)
        -> [ElementNode]
    {
        var resources: [ElementNode] = []
        var page: FHIRResponse? = first
        var pages = 0
        var seen: Set<String> = []
        while let current = page {
            guard let bundle = current.resource, bundle.resourceType == "Bundle" else {
                throw FHIRClientError(.format, "a \(what) page is not a Bundle", status: current.status)
            }
            pages += 1
            resources += Self.entryResources(of: bundle)
            guard let next = Self.nextLink(of: bundle) else { break }
            guard pages < maxPages else {
                throw FHIRClientError(.invalidRequest, "the \(what) has more than \(maxPages) pages")
            }
            guard seen.insert(next).inserted else {
                throw FHIRClientError(.invalidRequest, "the server's next link repeats an earlier page")
            }
            page = try await nextPage(bundle)
        }
        return resources
    }

    /// The `url` of the Bundle's link with relation `next`.
    public static func nextLink(of bundle: ElementNode) -> String? {
        bundle.children(named: "link").first { $0.childValue("relation") == "next" }?.childValue("url")
    }

    /// The `entry.resource` nodes of a Bundle, in order.
    public static func entryResources(of bundle: ElementNode) -> [ElementNode] {
        bundle.children(named: "entry").compactMap { $0.child(named: "resource") }
    }
}

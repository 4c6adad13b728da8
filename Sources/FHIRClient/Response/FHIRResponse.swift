import FHIRModel
import HTTPTransport

/// A successful (2xx, or 304) answer of a FHIR server, with the body parsed when it is a resource.
public struct FHIRResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The format of the body (from `Content-Type`), or nil for an empty or non-FHIR body.
    public var format: FHIRFormat?
    /// The parsed body when it is a FHIR resource (nil for an empty body).
    public var resource: ElementNode?
    /// What the reader reported about the body (unknown elements...), without values.
    public var readIssues: [Issue]
    /// The `ETag` header as sent (`W/"3"`).
    public var etag: String?
    /// The version: from the `ETag` (`W/"3"` -> `3`), else `meta.versionId` of the body, else the
    /// `_history` segment of the `Location`.
    public var versionId: String?
    /// `Location`, else `Content-Location`.
    public var location: String?
    public var lastModified: String?
    /// The body's issues when it is an `OperationOutcome`.
    public var outcome: OperationOutcomeSummary?
    /// The id of the resource: from the body (unless it is an OperationOutcome), else from the
    /// `Location` (`.../Type/id/_history/v`).
    public var resourceId: String?

    public init(
        status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], format: FHIRFormat? = nil,
        resource: ElementNode? = nil, readIssues: [Issue] = []
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.format = format
        self.resource = resource
        self.readIssues = readIssues
        etag = headers["ETag"]
        location = headers["Location"] ?? headers["Content-Location"]
        lastModified = headers["Last-Modified"]
        outcome = resource.flatMap { OperationOutcomeSummary($0) }
        let locationParts = location.flatMap(Self.locationParts)
        let isOutcome = resource?.resourceType == "OperationOutcome"
        let bodyId = isOutcome ? nil : resource?.childValue("id")
        resourceId = bodyId ?? locationParts?.id
        let bodyVersion = isOutcome ? nil : resource?.child(named: "meta")?.childValue("versionId")
        versionId = etag.flatMap(Self.version(fromETag:)) ?? bodyVersion ?? locationParts?.version
    }

    /// The resource type named by the `Location`, else the body's type.
    public var resourceType: String? {
        location.flatMap(Self.locationParts)?.type ?? resource?.resourceType
    }

    /// `3` for `W/"3"` or `"3"`; nil for an empty tag.
    public static func version(fromETag etag: String) -> String? {
        var text = Substring(etag.trimmedWhitespace)
        if text.hasPrefix("W/") || text.hasPrefix("w/") { text = text.dropFirst(2) }
        if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 { text = text.dropFirst().dropLast() }
        return text.isEmpty ? nil : String(text)
    }

    /// Type, id and version of `[base/]Type/id[/_history/version]` (query ignored).
    public static func locationParts(_ location: String) -> (type: String, id: String, version: String?)? {
        var text = Substring(location)
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<cut] }
        let segments = text.split(separator: "/").map(String.init)
        if let h = segments.lastIndex(of: "_history"), h >= 2, h + 1 < segments.count {
            return (segments[h - 2], segments[h - 1], segments[h + 1])
        }
        guard segments.count >= 2 else { return nil }
        return (segments[segments.count - 2], segments[segments.count - 1], nil)
    }
}

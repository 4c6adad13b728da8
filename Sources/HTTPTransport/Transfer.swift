import CCurl

/// One request in flight: its easy handle, the buffers libcurl writes into, and the caller's
/// continuation. Created, driven and closed only on the transport thread.
final class Transfer {
    let id: UInt64
    let handle: UnsafeMutableRawPointer
    let continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>
    let limit: Int
    var body: [UInt8] = []
    var headers: [HTTPHeaders.Field] = []
    var overLimit = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var upload: UnsafeMutableRawBufferPointer?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The +1 reference that libcurl's callbacks use through `WRITEDATA`/`HEADERDATA`; released by `close()`.
    private var callbackReference: Unmanaged<Transfer>?

    private init(
        id: UInt64, handle: UnsafeMutableRawPointer, limit: Int,
        continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>
    ) {
        self.id = id
        self.handle = handle
        self.limit = limit
        self.continuation = continuation
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    /// A configured transfer, or the reason it cannot be made (the continuation is not resumed).
    static func make(
        id: UInt64, request: HTTPRequest, configuration: TransportConfiguration,
        continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>
    ) -> Result<Transfer, TransportError> {
        if let problem = validate(request) { return .failure(TransportError(.invalidRequest, message: problem)) }
        guard let handle = curl_easy_init() else {
            return .failure(TransportError(.other, message: "libcurl could not create a transfer"))
        }
        let transfer = Transfer(
            id: id, handle: handle, limit: configuration.maxResponseBytes, continuation: continuation)
        let reference = Unmanaged.passRetained(transfer)
        transfer.callbackReference = reference
        var options = EasyOptions(handle: handle)
        transfer.configure(&options, request: request, configuration: configuration, context: reference.toOpaque())
        if let failure = options.failure {
            transfer.close()
            return .failure(failure)
        }
        return .success(transfer)
    }

    private func configure(
        _ o: inout EasyOptions, request: HTTPRequest, configuration: TransportConfiguration,
        context: UnsafeMutableRawPointer
    ) {
        o.set(CURLOPT_URL, request.url)
        o.set(CURLOPT_PROTOCOLS_STR, "http,https")
        o.set(CURLOPT_NOSIGNAL, 1)
        o.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        o.set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        o.set(CURLOPT_ACCEPT_ENCODING, "")
        o.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout))
        o.set(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout ?? configuration.requestTimeout))
        o.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(configuration.maxResponseBytes))
        if let proxy = configuration.proxy { o.set(CURLOPT_PROXY, proxy) }
        if !request.headers.contains("User-Agent") { o.set(CURLOPT_USERAGENT, configuration.userAgent) }
        o.configureTLS(configuration.tls)

        o.set(CURLOPT_WRITEDATA, pointer: context)
        o.set(CURLOPT_WRITEFUNCTION, write: Transfer.writeCallback)
        o.set(CURLOPT_HEADERDATA, pointer: context)
        o.set(CURLOPT_HEADERFUNCTION, write: Transfer.headerCallback)

        switch request.method {
        case .get: o.set(CURLOPT_HTTPGET, 1)
        case .head: o.set(CURLOPT_NOBODY, 1)
        case .post: o.set(CURLOPT_POST, 1)
        case .put, .patch, .delete: o.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        // A POST without a body sends an empty one (never libcurl's default read from stdin).
        if let body = request.body ?? (request.method == .post ? [] : nil) {
            // POSTFIELDS is not copied by libcurl: the transfer owns this copy until close().
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(body.count, 1), alignment: 1)
            copy.copyBytes(from: body)
            upload = copy
            o.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
            o.set(CURLOPT_POSTFIELDS, pointer: copy.baseAddress)
        }

        // An empty Expect: stops a one-second stall on servers that ignore 100-continue.
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        if upload != nil && !request.headers.contains("Content-Type") {
            list = curl_slist_append(list, "Content-Type:")  // not libcurl's form-urlencoded default
        }
        for field in request.headers {
            let line = field.value.isEmpty ? field.name + ";" : field.name + ": " + field.value
            list = curl_slist_append(list, line)
        }
        headerList = list
        o.set(CURLOPT_HTTPHEADER, list: list)
    }

    /// Why `request` cannot be handed to libcurl (C strings end at NUL; CR or LF in a header would
    /// let a value inject headers), or nil. Names the header, never its value.
    private static func validate(_ request: HTTPRequest) -> String? {
        if request.url.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return "the URL contains control characters"
        }
        for field in request.headers {
            let badName = field.name.isEmpty || field.name.utf8.contains { $0 <= 0x20 || $0 == 0x3A || $0 == 0x7F }
            if badName { return "a header name is empty or contains a separator or control character" }
            if field.value.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) {
                return "header \(field.name) contains CR, LF or NUL"
            }
        }
        return nil
    }

    /// libcurl's message for the last failure of this transfer.
    var errorDetail: String { String(cString: errorBuffer) }

    /// Frees everything the transfer owns. The caller removed the handle from the multi handle.
    func close() {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        headerList = nil
        upload?.deallocate()
        upload = nil
        errorBuffer.deallocate()
        callbackReference?.release()
        callbackReference = nil
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        guard !ms.overflow else { return Int.max }
        return max(1, Int(ms.partialValue + attoseconds / 1_000_000_000_000_000))
    }

    private static let writeCallback: curl_write_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
        let total = size * count
        guard transfer.body.count + total <= transfer.limit else {
            transfer.overLimit = true
            return 0
        }
        UnsafeRawPointer(data).withMemoryRebound(to: UInt8.self, capacity: total) {
            transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: total))
        }
        return total
    }

    private static let headerCallback: curl_write_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
        let total = size * count
        let line = UnsafeRawPointer(data).withMemoryRebound(to: UInt8.self, capacity: total) { bytes -> String in
            // Trim on bytes: "\r\n" is one Character in Swift.
            var end = total
            while end > 0, bytes[end - 1] == 0x0D || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x20 { end -= 1 }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: end), as: UTF8.self)
        }
        transfer.addHeaderLine(line)
        return total
    }

    private func addHeaderLine(_ line: String) {
        guard !line.isEmpty else { return }
        if line.hasPrefix("HTTP/") {
            headers = []  // a new response block (after 1xx or a redirect)
        } else if line.first == " " || line.first == "\t", let previous = headers.popLast() {
            let folded = previous.value + " " + line.drop { $0 == " " || $0 == "\t" }
            headers.append(HTTPHeaders.Field(name: previous.name, value: folded))
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append(HTTPHeaders.Field(name: name, value: String(value)))
        }
    }
}

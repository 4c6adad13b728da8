import CCurl

/// Sets options on one easy handle and keeps the first failure (an option libcurl refuses, such as
/// pinning on a build without it, must fail the request rather than silently weaken it).
struct EasyOptions {
    let handle: UnsafeMutableRawPointer
    private(set) var failure: TransportError?

    init(handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    mutating func set(_ option: CURLoption, _ value: Int) {
        check(option, fg_curl_setopt_long(handle, option, value))
    }

    mutating func set(_ option: CURLoption, _ value: String) {
        check(option, fg_curl_setopt_string(handle, option, value))
    }

    mutating func set(_ option: CURLoption, offset value: Int64) {
        check(option, fg_curl_setopt_off(handle, option, curl_off_t(value)))
    }

    mutating func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) {
        check(option, fg_curl_setopt_pointer(handle, option, value))
    }

    mutating func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>?) {
        check(option, fg_curl_setopt_slist(handle, option, value))
    }

    mutating func set(_ option: CURLoption, write value: curl_write_callback) {
        check(option, fg_curl_setopt_write(handle, option, value))
    }

    /// Verification always on, TLS 1.2 or newer, and the configured CA, client certificate and pins.
    mutating func configureTLS(_ tls: TLSConfiguration) {
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        if let caFile = tls.caFile { set(CURLOPT_CAINFO, caFile) }
        if let client = tls.clientCertificate {
            set(CURLOPT_SSLCERTTYPE, "PEM")
            set(CURLOPT_SSLCERT, client.certificateFile)
            set(CURLOPT_SSLKEYTYPE, "PEM")
            set(CURLOPT_SSLKEY, client.keyFile)
            if let password = client.keyPassword { set(CURLOPT_KEYPASSWD, password) }
        }
        if let pins = tls.pinnedPublicKeyOption { set(CURLOPT_PINNEDPUBLICKEY, pins) }
    }

    private mutating func check(_ option: CURLoption, _ code: CURLcode) {
        guard code != CURLE_OK, failure == nil else { return }
        // The option number only: values may be secrets.
        let kind: TransportError.Kind =
            code == CURLE_NOT_BUILT_IN || code == CURLE_UNKNOWN_OPTION ? .other : .invalidRequest
        failure = TransportError(
            kind, curlCode: Int(code.rawValue),
            message: "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
    }
}

extension Transfer {
    /// The response once libcurl reports the transfer done with `code`, or the error. Call before `close()`.
    func outcome(_ code: CURLcode) -> Result<HTTPResponse, TransportError> {
        guard code == CURLE_OK else {
            return .failure(
                TransportError.from(curl: code, detail: errorDetail, overLimit: overLimit, limit: limit))
        }
        var response = HTTPResponse(
            status: Int(long(CURLINFO_RESPONSE_CODE)), headers: HTTPHeaders(headers), body: body)
        var url: UnsafeMutablePointer<CChar>?
        if fg_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK, let url {
            response.effectiveURL = String(cString: url)
        }
        switch long(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: response.version = .http10
        case CURL_HTTP_VERSION_1_1: response.version = .http11
        case CURL_HTTP_VERSION_2_0: response.version = .http2
        case CURL_HTTP_VERSION_3: response.version = .http3
        default: response.version = .unknown
        }
        response.newConnections = long(CURLINFO_NUM_CONNECTS)
        response.timing.nameLookup = microseconds(CURLINFO_NAMELOOKUP_TIME_T)
        response.timing.connect = microseconds(CURLINFO_CONNECT_TIME_T)
        response.timing.tlsHandshake = microseconds(CURLINFO_APPCONNECT_TIME_T)
        response.timing.firstByte = microseconds(CURLINFO_STARTTRANSFER_TIME_T)
        response.timing.total = microseconds(CURLINFO_TOTAL_TIME_T)
        return .success(response)
    }

    /// How many new connections the transfer opened (for the transport's statistics).
    var newConnections: Int { long(CURLINFO_NUM_CONNECTS) }

    private func long(_ info: CURLINFO) -> Int {
        var value = 0
        return fg_curl_getinfo_long(handle, info, &value) == CURLE_OK ? value : 0
    }

    private func microseconds(_ info: CURLINFO) -> Duration {
        var value: curl_off_t = 0
        return fg_curl_getinfo_off(handle, info, &value) == CURLE_OK ? .microseconds(value) : .zero
    }
}

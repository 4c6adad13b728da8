import CCurl

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Downloads a package tarball over HTTP(S) with libcurl into a local file, for
/// `fhirgate packages install --from URL`. TLS peer and host verification are always on;
/// redirects are followed only to http/https; the body is capped in size.
///
/// This is a one-shot blocking download for the command line. The gateway's own transport
/// (connection reuse, a multi handle on its own thread, retries) is a separate layer.
enum PackageDownloader {
    struct DownloadError: Error, CustomStringConvertible {
        let description: String
    }

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Fetches `url` into `path`; the file is removed again on failure.
    static func download(_ url: String, to path: String, maxBytes: Int = 1 << 30) throws -> Int {
        guard globalInit == CURLE_OK else { throw DownloadError(description: "libcurl failed to initialise") }
        guard let handle = curl_easy_init() else { throw DownloadError(description: "libcurl failed to start") }
        defer { curl_easy_cleanup(handle) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DownloadError(description: "\(path): \(String(cString: strerror(errno)))") }
        let sink = Sink(fd: fd, limit: maxBytes)
        let status: CURLcode = withExtendedLifetime(sink) {
            let context = Unmanaged.passUnretained(sink).toOpaque()
            var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
            return errorBuffer.withUnsafeMutableBufferPointer { errors in
                _ = fg_curl_setopt_string(handle, CURLOPT_URL, url)
                _ = fg_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                _ = fg_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
                _ = fg_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
                _ = fg_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 5)
                _ = fg_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
                _ = fg_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
                _ = fg_curl_setopt_long(handle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
                _ = fg_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 30)
                _ = fg_curl_setopt_long(handle, CURLOPT_TIMEOUT, 900)
                _ = fg_curl_setopt_long(handle, CURLOPT_FAILONERROR, 1)
                _ = fg_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                _ = fg_curl_setopt_string(handle, CURLOPT_USERAGENT, "fhirgate")
                _ = fg_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress)
                _ = fg_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
                _ = fg_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, writeCallback)
                let code = curl_easy_perform(handle)
                if code != CURLE_OK {
                    let detail = errors.baseAddress.map { String(cString: $0) } ?? ""
                    sink.failure = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
                }
                return code
            }
        }
        close(fd)
        guard status == CURLE_OK, !sink.overLimit, !sink.writeFailed else {
            unlink(path)
            if sink.overLimit { throw DownloadError(description: "the download exceeds \(maxBytes) bytes") }
            if sink.writeFailed { throw DownloadError(description: "\(path): cannot write the download") }
            throw DownloadError(description: "download failed: \(sink.failure ?? "unknown error")")
        }
        return sink.written
    }

    private final class Sink {
        let fd: Int32
        let limit: Int
        var written = 0
        var overLimit = false
        var writeFailed = false
        var failure: String?

        init(fd: Int32, limit: Int) {
            self.fd = fd
            self.limit = limit
        }
    }

    private static let writeCallback: curl_write_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let sink = Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue()
        let total = size * count
        guard sink.written + total <= sink.limit else {
            sink.overLimit = true
            return 0
        }
        var offset = 0
        while offset < total {
            let n = write(sink.fd, data + offset, total - offset)
            if n < 0 {
                if errno == EINTR { continue }
                sink.writeFailed = true
                return 0
            }
            offset += n
        }
        sink.written += total
        return total
    }
}

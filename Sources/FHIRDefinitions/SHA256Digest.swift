import COpenSSL
import FHIRModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// SHA-256 through OpenSSL's EVP interface.
public struct SHA256Digest: ~Copyable {
    private let context: OpaquePointer

    public init() throws(PackageError) {
        guard let ctx = EVP_MD_CTX_new() else {
            throw PackageError(.packageChecksum, "cannot create a SHA-256 context")
        }
        guard EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            throw PackageError(.packageChecksum, "cannot initialise SHA-256")
        }
        self.context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = EVP_DigestUpdate(context, base, bytes.count)
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as lowercase hex.
    public consuming func finalizeHex() -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        return Self.hex(out.prefix(Int(length)))
    }

    /// The SHA-256 of some bytes, as lowercase hex.
    public static func hex(of bytes: [UInt8]) throws(PackageError) -> String {
        var d = try SHA256Digest()
        d.update(bytes)
        return d.finalizeHex()
    }

    /// The SHA-256 of a file, read in chunks, as lowercase hex.
    public static func hex(ofFile path: String) throws(PackageError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PackageError(.ioRead, "cannot open file", file: path) }
        defer { close(fd) }
        var d = try SHA256Digest()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw PackageError(.ioRead, "read failed", file: path) }
            if n == 0 { break }
            buffer.withUnsafeBytes { d.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return d.finalizeHex()
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Normalises a user-supplied hex digest (case, `sha256:` prefix, spaces); `nil` when it is not
    /// 64 hex digits.
    public static func normalizedHex(_ text: String) -> String? {
        var t = text.trimmingSpaces.lowercased()
        if t.hasPrefix("sha256:") || t.hasPrefix("sha256-") { t.removeFirst(7) }
        guard t.utf8.count == 64, t.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { return nil }
        return t
    }
}

import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Where a command writes its data: standard output, or a file that appears only when complete
/// (written to a temporary name beside it and renamed on `finish`).
final class OutputSink {
    private let fd: Int32
    private let path: String?
    private let temporaryPath: String?

    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    /// `nil` or `-` is standard output.
    init(path: String?) throws {
        guard let path, path != "-" else {
            fd = 1
            self.path = nil
            temporaryPath = nil
            return
        }
        let tmp = path + ".tmp-\(getpid())"
        let opened = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw OpenError(description: "\(path): \(String(cString: strerror(errno)))") }
        fd = opened
        self.path = path
        temporaryPath = tmp
    }

    func write(_ bytes: [UInt8]) {
        StandardStreams.write(fd: fd, bytes)
    }

    /// Closes the file and moves it into place (or removes it when `keep` is false).
    func finish(keep: Bool = true) throws {
        guard let path, let temporaryPath else { return }
        close(fd)
        if keep {
            guard rename(temporaryPath, path) == 0 else {
                throw OpenError(description: "\(path): \(String(cString: strerror(errno)))")
            }
        } else {
            unlink(temporaryPath)
        }
    }
}

import FHIRModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The current moment as a FHIR date-time in the local zone, with millisecond precision.
///
/// The formatted value is kept for the millisecond it describes, so the many evaluations that
/// run within one millisecond (a validator's invariants) share it instead of each formatting
/// and parsing the clock again.
enum SystemClock {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var key: (Int, Int) = (-1, -1)
        var value: FHIRDateTime?
    }

    private static let cache = Cache()

    static func now() -> FHIRDateTime? {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let key = (Int(spec.tv_sec), Int(spec.tv_nsec) / 1_000_000)
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if cache.key == key, let value = cache.value { return value }
        let value = format(spec)
        cache.key = key
        cache.value = value
        return value
    }

    private static func format(_ spec: timespec) -> FHIRDateTime? {
        var seconds = spec.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        let offsetMinutes = Int(parts.tm_gmtoff) / 60
        let millis = Int(spec.tv_nsec) / 1_000_000
        let sign = offsetMinutes < 0 ? "-" : "+"
        let zone = "\(sign)\(pad(abs(offsetMinutes) / 60)):\(pad(abs(offsetMinutes) % 60))"
        let text =
            "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1))-\(pad(Int(parts.tm_mday)))"
            + "T\(pad(Int(parts.tm_hour))):\(pad(Int(parts.tm_min))):\(pad(Int(parts.tm_sec))).\(pad(millis, 3))"
            + zone
        return FHIRDateTime(text)
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

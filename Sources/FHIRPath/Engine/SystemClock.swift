import FHIRModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The current moment as a FHIR date-time in the local zone, with millisecond precision.
enum SystemClock {
    static func now() -> FHIRDateTime? {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
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

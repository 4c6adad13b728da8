/// Durations in the configuration: a whole number and a unit, `250ms`, `30s`, `5m`, `1h`.
enum DurationText {
    static func parse(_ text: String) -> Duration? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
        let value: Duration
        switch unit {
        case "ms": value = .milliseconds(amount)
        case "s": value = .seconds(amount)
        case "m": value = .seconds(amount * 60)
        case "h": value = .seconds(amount * 3600)
        default: return nil
        }
        return value
    }

    /// The shortest spelling of a duration in whole units (`1500ms`, `90s`, `5m`).
    static func format(_ duration: Duration) -> String {
        let (seconds, atto) = duration.components
        let milliseconds = seconds * 1000 + atto / 1_000_000_000_000_000
        if milliseconds % 3_600_000 == 0 && milliseconds > 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 && milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}

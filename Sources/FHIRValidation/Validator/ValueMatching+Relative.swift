import FHIRJSON
import FHIRModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bounds relative to the current time: for date, dateTime and instant elements a
/// `minValue[x]`/`maxValue[x]` may be a Duration (R4 ElementDefinition.minValue[x] comment: "the
/// type of minValue[x] SHALL be either the same, or a Duration which specifies a relative time
/// limit to the current time"). The duration is subtracted from now for a minimum and added to
/// now for a maximum (`maxValueDuration` 10 a on a birth date: at most ten years from today).
extension ValueMatching {
    /// A moment in UTC, in whole seconds since 1970-01-01T00:00:00Z.
    struct Moment: Sendable, Equatable {
        var seconds: Int

        static var current: Moment { Moment(seconds: Int(time(nil))) }
    }

    /// A duration read from a Quantity-like JSON value.
    struct RelativeDuration: Sendable, Equatable {
        /// Calendar months (years are twelve), applied first.
        var months: Int
        /// Then seconds (weeks, days, hours, minutes, seconds, milliseconds).
        var seconds: Int

        /// The duration of `value`/`code` (UCUM when the system is UCUM or absent; else the
        /// written `unit`); `nil` when the quantity is not a time span or its value is unusable.
        init?(_ json: JSONValue) {
            guard let text = json["value"].flatMap(Self.lexeme), let amount = Double(text), amount.isFinite,
                amount >= 0, amount < 1e7
            else { return nil }
            let system = json["system"]?.stringValue
            let ucum = system == nil || system == "http://unitsofmeasure.org"
            let unit = (ucum ? json["code"]?.stringValue : nil) ?? json["unit"]?.stringValue ?? ""
            switch unit {
            case "a", "year", "years":
                months = Int(amount * 12)
                seconds = 0
            case "mo", "month", "months":
                months = Int(amount)
                seconds = 0
            default:
                guard let factor = Self.secondsPerUnit[unit] else { return nil }
                months = 0
                seconds = Int(amount * factor)
            }
        }

        static let secondsPerUnit: [String: Double] = [
            "wk": 604_800, "week": 604_800, "weeks": 604_800, "d": 86_400, "day": 86_400, "days": 86_400,
            "h": 3_600, "hour": 3_600, "hours": 3_600, "min": 60, "minute": 60, "minutes": 60, "s": 1,
            "second": 1, "seconds": 1, "ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
        ]

        private static func lexeme(_ json: JSONValue) -> String? {
            switch json {
            case .number(let n): n
            case .string(let s): s
            default: nil
            }
        }
    }

    /// Whether a bound of this type on this node is relative to now (a time-span quantity on a
    /// date, dateTime or instant).
    static func isRelativeBound(_ node: ElementNode, _ bound: ElementDefinitionInfo.TypedValue) -> Bool {
        guard let type = node.typeName, type == "date" || type == "dateTime" || type == "instant" else {
            return false
        }
        switch bound.type {
        case "Duration", "Quantity", "Age": return RelativeDuration(bound.value) != nil
        default: return false
        }
    }

    /// Orders a date, dateTime or instant node against now minus (`isMinimum`) or plus the
    /// duration of `bound`: -1 below, 0 equal, 1 above; `nil` when undecided (no value, a
    /// lexeme that does not parse, a partial date whose shared part is equal to the limit's).
    static func compareRelative(
        _ node: ElementNode, _ bound: ElementDefinitionInfo.TypedValue, isMinimum: Bool, now: Moment = .current
    ) -> Int? {
        guard let duration = RelativeDuration(bound.value), let value = node.value.flatMap({ FHIRDateTime($0) }),
            let limit = limit(now, duration, subtracting: isMinimum)
        else { return nil }
        return value.compare(limit).map {
            switch $0 {
            case .less: -1
            case .equal: 0
            case .greater: 1
            }
        }
    }

    /// `now` moved by the duration, as a UTC dateTime to the second; `nil` outside 0001-9999.
    static func limit(_ now: Moment, _ duration: RelativeDuration, subtracting: Bool) -> FHIRDateTime? {
        let sign = subtracting ? -1 : 1
        var days = now.seconds.floorDiv(86_400)
        var secondOfDay = now.seconds - days * 86_400
        if duration.months != 0 {
            var (y, m, d) = CivilCalendar.date(days: days)
            let total = y * 12 + (m - 1) + sign * duration.months
            y = total.floorDiv(12)
            m = total - y * 12 + 1
            d = Swift.min(d, CivilCalendar.daysInMonth(year: y, month: m))
            days = CivilCalendar.days(year: y, month: m, day: d)
        }
        let moved = days * 86_400 + secondOfDay + sign * duration.seconds
        days = moved.floorDiv(86_400)
        secondOfDay = moved - days * 86_400
        let (y, m, d) = CivilCalendar.date(days: days)
        guard y >= 1 && y <= 9999 else { return nil }
        let text =
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2))"
            + ":\(pad(secondOfDay % 60, 2))Z"
        return FHIRDateTime(text)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int {
    /// Division rounding toward negative infinity.
    fileprivate func floorDiv(_ divisor: Int) -> Int {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}

import FHIRModel

/// A calendar day as a count of days since 1970-01-01 (proleptic Gregorian), for the synthetic
/// records' date arithmetic. No wall clock is ever read.
struct SyntheticDay: Sendable, Hashable, Comparable {
    var days: Int

    init(days: Int) {
        self.days = days
    }

    /// The day of a civil date.
    init(year: Int, month: Int, day: Int) {
        days = CivilCalendar.days(year: year, month: month, day: day)
    }

    /// The civil date.
    var civil: (year: Int, month: Int, day: Int) {
        CivilCalendar.date(days: days)
    }

    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int { ((days % 7) + 11) % 7 }

    func adding(_ n: Int) -> SyntheticDay { SyntheticDay(days: days + n) }

    /// The first day on or after this one that falls on `weekday`.
    func next(weekday target: Int) -> SyntheticDay { adding((target - weekday + 7) % 7) }

    var lexeme: String {
        let c = civil
        return Self.pad(c.year, 4) + "-" + Self.pad(c.month, 2) + "-" + Self.pad(c.day, 2)
    }

    var date: FHIRDate {
        // The lexeme of a civil date always parses.
        guard let date = FHIRDate(lexeme) else { preconditionFailure("not a date: \(days)") }
        return date
    }

    /// Whether US daylight saving time is in effect on this day (second Sunday of March to the
    /// first Sunday of November; the switch at 2 a.m. never matters for clinic hours).
    var isUSDaylightSaving: Bool {
        let year = civil.year
        let start = SyntheticDay(year: year, month: 3, day: 8).next(weekday: 0)
        let end = SyntheticDay(year: year, month: 11, day: 1).next(weekday: 0)
        return self >= start && self < end
    }

    static func < (a: SyntheticDay, b: SyntheticDay) -> Bool { a.days < b.days }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// A local clinic time (US Eastern) on a synthetic day: minutes after midnight, kept inside the
/// day.
struct SyntheticTime: Sendable, Hashable, Comparable {
    var day: SyntheticDay
    var minutes: Int

    init(_ day: SyntheticDay, hour: Int, minute: Int = 0) {
        self.day = day
        self.minutes = hour * 60 + minute
    }

    init(day: SyntheticDay, minutes: Int) {
        self.day = day
        self.minutes = min(max(minutes, 0), 24 * 60 - 1)
    }

    func adding(minutes n: Int) -> SyntheticTime { SyntheticTime(day: day, minutes: minutes + n) }

    var lexeme: String {
        let offset = day.isUSDaylightSaving ? "-04:00" : "-05:00"
        return day.lexeme + "T" + SyntheticDay.pad(minutes / 60, 2) + ":" + SyntheticDay.pad(minutes % 60, 2)
            + ":00" + offset
    }

    var dateTime: FHIRDateTime {
        // A civil date, a time inside the day and an offset always parse.
        guard let dateTime = FHIRDateTime(lexeme) else { preconditionFailure("not a date-time: \(minutes)") }
        return dateTime
    }

    static func < (a: SyntheticTime, b: SyntheticTime) -> Bool {
        (a.day.days, a.minutes) < (b.day.days, b.minutes)
    }
}

/// Fixed-point numbers for the records' decimals: `units` of 10^-`scale`, written with exactly
/// `scale` fraction digits (`704`, scale 1 -> `70.4`).
enum SyntheticDecimal {
    static func make(_ units: Int, scale: Int) -> FHIRDecimal {
        let negative = units < 0
        var digits = String(negative ? -units : units)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return FHIRDecimal((negative ? "-" : "") + digits) ?? FHIRDecimal(0)
    }

    /// `numerator / denominator` rounded half up to `scale` digits, as units of 10^-scale.
    static func divide(_ numerator: Int, _ denominator: Int, scale: Int) -> Int {
        var factor = 1
        for _ in 0..<scale { factor *= 10 }
        return (numerator * factor * 2 + denominator) / (denominator * 2)
    }
}

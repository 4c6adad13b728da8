/// Proleptic Gregorian calendar for years 0001 to 9999, counting days from 0001-01-01 (day 0).
enum GregorianDays {
    static let minYear = 1
    static let maxYear = 9999
    static let millisecondsPerDay = 86_400_000

    static func isLeapYear(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days before the first of each month in a common year.
    private static let daysBeforeMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

    /// The day number of a date (year ≥ 1, month 1...12, day 1...31).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = year - 1
        var n = y * 365 + y / 4 - y / 100 + y / 400
        n += daysBeforeMonth[max(0, min(11, month - 1))]
        if month > 2 && isLeapYear(year) { n += 1 }
        return n + day - 1
    }

    /// The last day number in range (9999-12-31).
    static let lastDayNumber = dayNumber(year: maxYear, month: 12, day: 31)

    /// The date of a day number, or `nil` outside 0001-01-01...9999-12-31.
    static func date(dayNumber: Int) -> (year: Int, month: Int, day: Int)? {
        guard dayNumber >= 0, dayNumber <= lastDayNumber else { return nil }
        var n = dayNumber
        let cycles400 = n / 146_097
        n %= 146_097
        let cycles100 = min(n / 36_524, 3)
        n -= cycles100 * 36_524
        let cycles4 = n / 1461
        n %= 1461
        let years = min(n / 365, 3)
        n -= years * 365
        let year = cycles400 * 400 + cycles100 * 100 + cycles4 * 4 + years + 1
        var month = 1
        while month < 12 {
            let next = daysBeforeMonth[month] + (month >= 2 && isLeapYear(year) ? 1 : 0)
            if n < next { break }
            month += 1
        }
        let start = daysBeforeMonth[month - 1] + (month > 2 && isLeapYear(year) ? 1 : 0)
        return (year, month, n - start + 1)
    }
}

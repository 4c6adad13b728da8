import FHIRModel

/// FHIRPath calendar duration units (`1 year`, `3 days`), ordered from the smallest.
enum CalendarDurationUnit: Int, Sendable, Comparable, CaseIterable {
    case millisecond, second, minute, hour, day, week, month, year

    static func < (a: CalendarDurationUnit, b: CalendarDurationUnit) -> Bool { a.rawValue < b.rawValue }

    /// A keyword as written, singular or plural (`day`, `days`).
    init?(keyword: String) {
        let singular = keyword.hasSuffix("s") ? String(keyword.dropLast()) : keyword
        switch singular {
        case "year": self = .year
        case "month": self = .month
        case "week": self = .week
        case "day": self = .day
        case "hour": self = .hour
        case "minute": self = .minute
        case "second": self = .second
        case "millisecond": self = .millisecond
        default: return nil
        }
    }

    /// The UCUM unit FHIRPath pairs with the keyword (`'a'` and `'mo'` only for equivalence).
    var ucumCode: String {
        switch self {
        case .year: "a"
        case .month: "mo"
        case .week: "wk"
        case .day: "d"
        case .hour: "h"
        case .minute: "min"
        case .second: "s"
        case .millisecond: "ms"
        }
    }

    /// The definite length in milliseconds, for weeks and below.
    var milliseconds: Int? {
        switch self {
        case .year, .month: nil
        case .week: 604_800_000
        case .day: 86_400_000
        case .hour: 3_600_000
        case .minute: 60_000
        case .second: 1000
        case .millisecond: 1
        }
    }
}

extension FHIRPathQuantity {
    /// The calendar unit of a calendar duration; also of a quoted keyword that is not a UCUM
    /// unit (`1 'month'`, as FHIR Quantity units are sometimes written).
    var calendarUnit: CalendarDurationUnit? {
        if isCalendarDuration { return CalendarDurationUnit(keyword: unit) }
        guard FHIRPathQuantity.calendarKeyword(unit) != nil, UCUMParser.parse(unit) == nil else { return nil }
        return CalendarDurationUnit(keyword: unit)
    }

    /// The unit quantity operations work with.
    ///
    /// Calendar weeks, days, hours, minutes, seconds and milliseconds are their UCUM
    /// counterparts (`1 day = 1 'd'`). Calendar years and months are calendar units, convertible
    /// to each other (`1 year = 12 months`) but not to UCUM's `'a'` and `'mo'`, whose lengths
    /// are fixed averages; only for equivalence (`equivalence: true`) do they stand for `'a'`
    /// and `'mo'` (`1 year ~ 1 'a'`). `nil` for an unknown unit.
    func operationalUnit(equivalence: Bool) -> UCUMUnit? {
        guard let calendar = calendarUnit else { return UCUMUnit(unit) }
        switch calendar {
        case .year where !equivalence:
            return UCUMUnit(terms: [UCUMTerm(prefix: "", atom: UCUMTable.calendarYear, exponent: 1)])
        case .month where !equivalence:
            return UCUMUnit(terms: [UCUMTerm(prefix: "", atom: UCUMTable.calendarMonth, exponent: 1)])
        default:
            return UCUMUnit(calendar.ucumCode)
        }
    }
}

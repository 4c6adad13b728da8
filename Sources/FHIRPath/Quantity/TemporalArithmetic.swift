import FHIRModel

/// Why date/time arithmetic failed (`@2019-01-01 + 1 'mo'`: months are not a UCUM calendar unit).
struct TemporalArithmeticFailure: Error {
    let message: String
}

/// `Date`, `DateTime` or `Time` plus or minus a time-valued quantity (FHIRPath N1, "Date/Time
/// Arithmetic").
///
/// - Units: the calendar keywords `year` ... `millisecond` (also quoted, `'month'`), and the
///   UCUM units `'wk'`, `'d'`, `'h'`, `'min'`, `'s'`, `'ms'`. UCUM `'a'` and `'mo'` are average
///   lengths, not calendar periods, and are an error, as is any other unit (`'cm'`); a `Time`
///   cannot be moved by days, weeks, months or years.
/// - Years and months respect the calendar: the day is clamped to the end of the resulting
///   month (`@2019-01-31 + 1 month` is `@2019-02-28`, `@2020-02-29 + 1 year` is `@2021-02-28`).
///   Weeks are seven days.
/// - The result keeps the value's precision, zone and type. A quantity finer than the value
///   (`@2014 + 24 months`, `@2019-01-01 + 36 hours`) is first converted to the value's
///   precision (12 months a year, 365 days a year, 30 days a month, then 24, 60, 60, 1000) and
///   truncated; the decimal part of a quantity is dropped (`+ 7.7 days` adds 7 days). The
///   official suite also expects `+ 0.1 's'` to add nothing, so seconds are whole too.
/// - Times wrap around midnight. A result outside the years 0001 to 9999 is empty.
enum FHIRPathTemporalArithmetic {
    /// `value + quantity` (or `-` when `subtracting`) for a Date, DateTime or Time value;
    /// `nil` for an empty result.
    static func add(_ quantity: FHIRPathQuantity, to value: FHIRPathValue, subtracting: Bool)
        throws(TemporalArithmeticFailure)
        -> FHIRPathValue?
    {
        let unit = try durationUnit(of: quantity)
        let amount = subtracting ? quantity.value.negated() : quantity.value
        switch value {
        case .date(let d):
            guard let p = shifted(TemporalParts(d), by: amount, unit: unit, isTime: false) else { return nil }
            return p.dateTime(keepingT: false).map { .date($0) }
        case .dateTime(let d):
            let keepT = d.precision < .hour && d.lexeme.hasSuffix("T")
            guard let p = shifted(TemporalParts(d), by: amount, unit: unit, isTime: false) else { return nil }
            return p.dateTime(keepingT: keepT).map { .dateTime($0) }
        case .time(let t):
            guard unit <= .hour else {
                throw TemporalArithmeticFailure(
                    message: "a Time can only be moved by hours, minutes, seconds or milliseconds")
            }
            guard let p = shifted(TemporalParts(t), by: amount, unit: unit, isTime: true) else { return nil }
            return p.time().map { .time($0) }
        default:
            throw TemporalArithmeticFailure(message: "date/time arithmetic needs a Date, DateTime or Time")
        }
    }

    /// The calendar unit of a time-valued quantity, or the error for any other.
    static func durationUnit(of q: FHIRPathQuantity) throws(TemporalArithmeticFailure) -> CalendarDurationUnit {
        if let calendar = q.calendarUnit { return calendar }
        switch q.unit {
        case "wk": return .week
        case "d": return .day
        case "h": return .hour
        case "min": return .minute
        case "s": return .second
        case "ms": return .millisecond
        case "a", "mo":
            throw TemporalArithmeticFailure(
                message: "UCUM years ('a') and months ('mo') are not calendar durations; use year or month")
        default:
            throw TemporalArithmeticFailure(message: "date/time arithmetic needs a time-valued quantity")
        }
    }

    /// The calendar unit a value is specified to.
    static func durationUnit(of precision: FHIRTemporalPrecision) -> CalendarDurationUnit {
        switch precision {
        case .year: .year
        case .month: .month
        case .day: .day
        case .hour: .hour
        case .minute: .minute
        case .second: .second
        case .fraction: .millisecond
        }
    }

    /// Moves `parts` by `amount` of `unit`; `nil` when the result leaves the supported range.
    static func shifted(
        _ parts: TemporalParts, by amount: FHIRDecimal, unit: CalendarDurationUnit, isTime: Bool
    ) -> TemporalParts? {
        guard let (count, step) = wholeCount(amount, unit: unit, precision: durationUnit(of: parts.precision)) else {
            return nil
        }
        var p = parts
        switch step {
        case .year:
            guard let y = checkedYear(p.year, plus: count) else { return nil }
            p.year = y
            p.clampDay()
        case .month:
            let (months, overflow) = (p.year * 12 + p.month - 1).addingReportingOverflow(count)
            guard !overflow else { return nil }
            let y = months >= 0 ? months / 12 : (months - 11) / 12
            guard y >= GregorianDays.minYear, y <= GregorianDays.maxYear else { return nil }
            p.year = y
            p.month = months - y * 12 + 1
            p.clampDay()
        case .week, .day:
            let days = count.multipliedReportingOverflow(by: step == .week ? 7 : 1)
            guard !days.overflow else { return nil }
            let (n, overflow) = GregorianDays.dayNumber(year: p.year, month: p.month, day: p.day)
                .addingReportingOverflow(days.partialValue)
            guard !overflow, let date = GregorianDays.date(dayNumber: n) else { return nil }
            (p.year, p.month, p.day) = date
        case .hour, .minute, .second, .millisecond:
            guard let size = step.milliseconds else { return nil }
            let (delta, o1) = count.multipliedReportingOverflow(by: size)
            guard !o1 else { return nil }
            let perDay = GregorianDays.millisecondsPerDay
            if isTime {
                let total = (p.millisecondOfDay + delta % perDay + perDay) % perDay
                p.setMillisecondOfDay(total)
            } else {
                let day = GregorianDays.dayNumber(year: p.year, month: p.month, day: p.day)
                let (base, o2) = day.multipliedReportingOverflow(by: perDay)
                let (total, o3) = (base + p.millisecondOfDay).addingReportingOverflow(delta)
                guard !o2, !o3 else { return nil }
                let newDay = total >= 0 ? total / perDay : (total - perDay + 1) / perDay
                guard let date = GregorianDays.date(dayNumber: newDay) else { return nil }
                (p.year, p.month, p.day) = date
                p.setMillisecondOfDay(total - newDay * perDay)
            }
        }
        return p
    }

    private static func checkedYear(_ year: Int, plus count: Int) -> Int? {
        let (y, overflow) = year.addingReportingOverflow(count)
        guard !overflow, y >= GregorianDays.minYear, y <= GregorianDays.maxYear else { return nil }
        return y
    }

    /// The whole number of steps to move by, and the step: the quantity's own unit when the
    /// value is at least that precise, else the value's precision with the quantity converted
    /// to it. Truncated toward zero. `nil` when the count is too large to matter.
    static func wholeCount(
        _ amount: FHIRDecimal, unit: CalendarDurationUnit, precision: CalendarDurationUnit
    ) -> (Int, CalendarDurationUnit)? {
        var amount = amount
        var unit = unit
        if unit == .week && precision > .day {
            // Weeks on a month or year: count them as days, converted below.
            guard let days = amount.multiplied(by: FHIRDecimal(7)) else { return nil }
            amount = days
            unit = .day
        }
        if unit >= precision {
            return truncated(amount).map { ($0, unit) }
        }
        // The quantity is finer than the value: convert it to the value's precision.
        let numerator: FHIRDecimal?
        let denominator: Int
        switch (precision, unit) {
        case (.year, .month):
            numerator = amount
            denominator = 12
        case (.year, _):
            numerator = amount.multiplied(by: FHIRDecimal(unit.milliseconds ?? 1))
            denominator = 365 * GregorianDays.millisecondsPerDay
        case (.month, _):
            numerator = amount.multiplied(by: FHIRDecimal(unit.milliseconds ?? 1))
            denominator = 30 * GregorianDays.millisecondsPerDay
        default:
            numerator = amount.multiplied(by: FHIRDecimal(unit.milliseconds ?? 1))
            denominator = precision.milliseconds ?? 1
        }
        guard let numerator, let q = numerator.quotientAndRemainder(dividingBy: FHIRDecimal(denominator)) else {
            return nil
        }
        return truncated(q.quotient).map { ($0, precision) }
    }

    /// The integer part (toward zero), when it fits comfortably.
    private static func truncated(_ d: FHIRDecimal) -> Int? {
        // Whole amounts (`18 years`, the usual case) need no division.
        if let n = d.exactIntValue { return abs(n) <= 1_000_000_000_000_000 ? n : nil }
        guard let q = d.quotientAndRemainder(dividingBy: FHIRDecimal(1)), let n = q.quotient.exactIntValue,
            abs(n) <= 1_000_000_000_000_000
        else { return nil }
        return n
    }
}

/// FHIRPath ordering of dates, dateTimes and times (FHIRPath N1, equality and comparison):
/// precisions are compared from the coarsest down; the first differing component decides; when
/// one value stops at a precision the other goes past and everything so far is equal, the
/// result is unknown (`nil`). Seconds and their fraction are one precision, compared as a
/// decimal (`10:00:00` equals `10:00:00.000`).
enum TemporalComparison {
    /// Compares from `firstLevel` (`.year` for calendar values, `.hour` for times).
    static func compare(
        _ a: TemporalFields, _ b: TemporalFields, from firstLevel: FHIRTemporalPrecision
    ) -> FHIRComparison? {
        let levels: [FHIRTemporalPrecision] = [.year, .month, .day, .hour, .minute]
        for level in levels where level >= firstLevel {
            let aHas = a.precision >= level
            let bHas = b.precision >= level
            if aHas != bHas { return nil }
            if !aHas { return .equal }
            let order = FHIRComparison.of(component(a, level), component(b, level))
            if order != .equal { return order }
        }
        let aHas = a.precision >= .second
        let bHas = b.precision >= .second
        if aHas != bHas { return nil }
        if !aHas { return .equal }
        let order = FHIRComparison.of(a.second, b.second)
        if order != .equal { return order }
        return compareFractions(a.fraction, b.fraction)
    }

    /// The component of a value at a precision (year ... minute).
    private static func component(_ f: TemporalFields, _ level: FHIRTemporalPrecision) -> Int {
        switch level {
        case .year: f.year
        case .month: Int(f.month)
        case .day: Int(f.day)
        case .hour: Int(f.hour)
        case .minute: Int(f.minute)
        case .second, .fraction: Int(f.second)
        }
    }

    /// Orders two fractional-second digit strings as the decimals `0.a` and `0.b`.
    static func compareFractions(_ a: String, _ b: String) -> FHIRComparison {
        var x = a.utf8.makeIterator()
        var y = b.utf8.makeIterator()
        while true {
            let dx = x.next()
            let dy = y.next()
            if dx == nil && dy == nil { return .equal }
            let vx = dx ?? ASCII.zero
            let vy = dy ?? ASCII.zero
            if vx != vy { return vx < vy ? .less : .greater }
        }
    }

    /// The value moved to UTC (offset removed), or `nil` when it cannot be moved exactly
    /// (an hour-precision value with an offset that is not whole hours). Values without an
    /// offset or without a time are returned unchanged.
    static func shiftedToUTC(_ f: TemporalFields) -> TemporalFields? {
        guard let offset = f.offset, f.precision >= .hour else { return f }
        if offset.minutes == 0 {
            var g = f
            g.offset = .utc
            return g
        }
        if f.precision == .hour && offset.minutes % 60 != 0 { return nil }
        let days = CivilCalendar.days(year: f.year, month: Int(f.month), day: Int(f.day))
        let total = days * 1440 + Int(f.hour) * 60 + Int(f.minute) - offset.minutes
        let newDays = total >= 0 ? total / 1440 : (total - 1439) / 1440
        let minuteOfDay = total - newDays * 1440
        let date = CivilCalendar.date(days: newDays)
        var g = f
        g.year = date.year
        g.month = UInt8(truncatingIfNeeded: date.month)
        g.day = UInt8(truncatingIfNeeded: date.day)
        g.hour = UInt8(truncatingIfNeeded: minuteOfDay / 60)
        g.minute = UInt8(truncatingIfNeeded: minuteOfDay % 60)
        g.offset = .utc
        return g
    }

    /// Compares two calendar values, normalising zones when both have one.
    ///
    /// When only one has an offset and `assumed` is given, the other (if it has a time) is taken
    /// to be at `assumed`; without `assumed` the wall-clock components are compared as written.
    static func compareCalendar(
        _ a: TemporalFields, _ b: TemporalFields, assuming assumed: FHIRTimeZoneOffset?
    ) -> FHIRComparison? {
        var x = a
        var y = b
        if let assumed {
            if x.offset == nil && x.precision >= .hour { x.offset = assumed }
            if y.offset == nil && y.precision >= .hour { y.offset = assumed }
        }
        if x.offset != nil && y.offset != nil {
            guard let ux = shiftedToUTC(x), let uy = shiftedToUTC(y) else { return nil }
            x = ux
            y = uy
        }
        return compare(x, y, from: .year)
    }
}

import FHIRModel

/// `precision()`, `lowBoundary([precision])`, `highBoundary([precision])` (FHIRPath 2.0 STU) on
/// decimals (integers count as decimals with no decimal places), quantities, dates, date-times
/// and times.
///
/// A decimal stands for every value that rounds to it: `1.587` for [1.5865, 1.5875]. The
/// boundaries are those ends, cut to `precision` decimal places (default 8, at most 28): the low
/// end of a positive value is truncated and the high end rounded (half away from zero), mirrored
/// for negative values. Temporal precisions count digits: a date-time is 4 (year), 6, 8, 10,
/// 12, 14 or 17 (milliseconds), a time 2, 4, 6 or 9; the default is the finest. Missing parts are
/// filled with their smallest (low) or largest (high) value, and a missing time zone with the
/// earliest (`+14:00`, low) or latest (`-12:00`, high) one. Any other precision gives empty.
extension FHIRPathFunctionLibrary {
    static let boundaryFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("precision") { call throws(FHIRPathError) in
            guard let v = try call.singleInputValue() else { return [] }
            switch v {
            case .integer, .long: return [.integer(0)]
            case .decimal(let d): return [.integer(d.precision)]
            case .date(let d), .dateTime(let d): return [.integer(FHIRPathBoundary.digits(of: d.precision))]
            case .time(let t): return [.integer(FHIRPathBoundary.digits(of: t.precision) - 8)]
            default: throw call.failure("expects a number, a date, a date-time or a time")
            }
        },
        FHIRPathFunction("lowBoundary", arity: 0...1) { call throws(FHIRPathError) in
            try FHIRPathBoundary.boundary(call, high: false)
        },
        FHIRPathFunction("highBoundary", arity: 0...1) { call throws(FHIRPathError) in
            try FHIRPathBoundary.boundary(call, high: true)
        },
    ]
}

enum FHIRPathBoundary {
    static let defaultDecimalPlaces = 8
    static let maxDecimalPlaces = 28

    /// The digit count FHIRPath uses for a calendar precision (`.day` -> 8, `.fraction` -> 17).
    static func digits(of precision: FHIRTemporalPrecision) -> Int {
        switch precision {
        case .year: 4
        case .month: 6
        case .day: 8
        case .hour: 10
        case .minute: 12
        case .second: 14
        case .fraction: 17
        }
    }

    static func boundary(_ call: FHIRPathCall, high: Bool) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let item = try call.singleInput(), var v = item.systemValue else { return [] }
        // A FHIR dateTime written as a date (`2001-05-06`) is still a DateTime: its boundaries
        // have a time and a zone.
        if case .date(let d) = v, let type = item.node?.typeName, type == "dateTime" || type == "instant" {
            v = .dateTime(d)
        }
        var requested: Int?
        if call.argumentCount > 0 {
            guard let p = try call.integerArgument(0) else { return [] }
            requested = p
        }
        switch v {
        case .integer(let n), .long(let n):
            return decimal(FHIRDecimal(n), places: requested, high: high).map { [.decimal($0)] } ?? []
        case .decimal(let d):
            return decimal(d, places: requested, high: high).map { [.decimal($0)] } ?? []
        case .quantity(var q):
            guard let value = decimal(q.value, places: requested, high: high) else { return [] }
            q.value = value
            return [.quantity(q)]
        case .date(let d):
            let digits = requested ?? 8
            guard [4, 6, 8].contains(digits) else { return [] }
            return dateTime(d, digits: digits, high: high).map { [.date($0)] } ?? []
        case .dateTime(let d):
            let digits = requested ?? 17
            guard [4, 6, 8, 10, 12, 14, 17].contains(digits) else { return [] }
            return dateTime(d, digits: digits, high: high).map { [.dateTime($0)] } ?? []
        case .time(let t):
            let digits = requested ?? 9
            guard [2, 4, 6, 9].contains(digits) else { return [] }
            return time(t, digits: digits, high: high).map { [.time($0)] } ?? []
        default:
            throw call.failure("expects a number, a quantity, a date, a date-time or a time")
        }
    }

    /// The decimal boundary; `nil` when `places` is out of range.
    static func decimal(_ d: FHIRDecimal, places: Int?, high: Bool) -> FHIRDecimal? {
        let places = places ?? defaultDecimalPlaces
        guard places >= 0, places <= maxDecimalPlaces else { return nil }
        // Half a unit in the last stated place.
        guard let half = FHIRDecimal("5e-\(d.precision + 1)") else { return nil }
        let magnitude = d.magnitude
        // The end away from zero is rounded, the end toward zero truncated; zero counts as
        // positive for the high end and negative for the low end.
        let awayFromZero = high != d.isNegative || (d.isZero && !high)
        let result: FHIRDecimal?
        if awayFromZero {
            result = magnitude.adding(half)?.rounded(toDecimalPlaces: places, rule: .toNearestOrAwayFromZero)
        } else {
            result = magnitude.subtracting(half)?.rounded(toDecimalPlaces: places, rule: .towardZero)
        }
        guard let result else { return nil }
        return high
            ? (d.isNegative ? result.negated() : result) : (d.isNegative || d.isZero ? result.negated() : result)
    }

    /// A date or date-time boundary at `digits` precision.
    static func dateTime(_ d: FHIRDateTime, digits: Int, high: Bool) -> FHIRDateTime? {
        let month = d.month ?? (high ? 12 : 1)
        var text = pad(d.year, 4)
        if digits >= 6 { text += "-" + pad(month, 2) }
        if digits >= 8 {
            let day = d.day ?? (high ? daysInMonth(year: d.year, month: month) : 1)
            text += "-" + pad(day, 2)
        }
        if digits >= 10 {
            // An hour-only value is read as that hour at minute 00.
            let minute = d.minute ?? (d.hour != nil ? 0 : (high ? 59 : 0))
            text += "T" + pad(d.hour ?? (high ? 23 : 0), 2)
            if digits >= 12 { text += ":" + pad(minute, 2) }
            if digits >= 14 { text += ":" + pad(d.second ?? (high ? 59 : 0), 2) }
            if digits >= 17 { text += "." + fraction(d.fractionDigits, high: high) }
            if let zone = d.timeZoneOffset {
                text += zone.description
            } else {
                text += high ? "-12:00" : "+14:00"
            }
        }
        return FHIRDateTime(fhirPathLiteral: text)
    }

    /// A time boundary at `digits` precision (2, 4, 6 or 9).
    static func time(_ t: FHIRTime, digits: Int, high: Bool) -> FHIRTime? {
        var text = pad(t.hour, 2)
        if digits >= 4 { text += ":" + pad(t.minute ?? (high ? 59 : 0), 2) }
        if digits >= 6 { text += ":" + pad(t.second ?? (high ? 59 : 0), 2) }
        if digits >= 9 { text += "." + fraction(t.fractionDigits, high: high) }
        return FHIRTime(fhirPathLiteral: text)
    }

    /// Milliseconds: the written digits cut or padded to three (with `0`, or `9` for high).
    private static func fraction(_ written: String?, high: Bool) -> String {
        let digits = String((written ?? "").prefix(3))
        return digits + String(repeating: high ? "9" : "0", count: 3 - digits.count)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

import FHIRModel

/// The components of a Date, DateTime or Time being moved by date/time arithmetic, with the
/// written form it must keep: precision, fractional-second digits and zone.
struct TemporalParts: Sendable, Equatable {
    var precision: FHIRTemporalPrecision
    var year = 1
    var month = 1
    var day = 1
    var hour = 0
    var minute = 0
    var second = 0
    var millisecond = 0
    /// Fractional-second digits written past the milliseconds (kept unchanged).
    var extraFraction = ""
    /// How many fractional-second digits the value was written with.
    var fractionDigitCount = 0
    var offset: FHIRTimeZoneOffset?

    init(_ d: FHIRDateTime) {
        precision = d.precision
        year = d.year
        month = d.month ?? 1
        day = d.day ?? 1
        hour = d.hour ?? 0
        minute = d.minute ?? 0
        second = d.second ?? 0
        offset = d.timeZoneOffset
        readFraction(d.fractionDigits)
    }

    init(_ t: FHIRTime) {
        precision = t.precision
        hour = t.hour
        minute = t.minute ?? 0
        second = t.second ?? 0
        readFraction(t.fractionDigits)
    }

    private mutating func readFraction(_ digits: String?) {
        guard let digits else { return }
        fractionDigitCount = digits.utf8.count
        var ms = 0
        for (i, c) in digits.utf8.prefix(3).enumerated() {
            ms += Int(c &- UInt8(ascii: "0")) * [100, 10, 1][i]
        }
        millisecond = ms
        extraFraction = String(digits.dropFirst(3))
    }

    var millisecondOfDay: Int { ((hour * 60 + minute) * 60 + second) * 1000 + millisecond }

    mutating func setMillisecondOfDay(_ ms: Int) {
        millisecond = ms % 1000
        second = ms / 1000 % 60
        minute = ms / 60_000 % 60
        hour = ms / 3_600_000
    }

    /// After a year or month change: the day moved back to the end of a shorter month.
    mutating func clampDay() {
        day = min(day, GregorianDays.daysInMonth(year: year, month: month))
    }

    /// The value as a FHIRPath DateTime (a Date when at most day precision); `keepingT` writes
    /// the `T` of a partial DateTime literal (`@2015T`).
    func dateTime(keepingT: Bool) -> FHIRDateTime? {
        var text = pad(year, 4)
        if precision >= .month { text += "-" + pad(month, 2) }
        if precision >= .day { text += "-" + pad(day, 2) }
        if precision >= .hour {
            text += "T" + clock
            if let offset { text += offset.description }
        } else if keepingT {
            text += "T"
        }
        return FHIRDateTime(fhirPathLiteral: text)
    }

    func time() -> FHIRTime? {
        FHIRTime(fhirPathLiteral: clock)
    }

    /// `hh(:mm(:ss(.f+)?)?)?` to the precision.
    private var clock: String {
        var text = pad(hour, 2)
        if precision >= .minute { text += ":" + pad(minute, 2) }
        if precision >= .second { text += ":" + pad(second, 2) }
        if precision == .fraction { text += "." + fraction }
        return text
    }

    /// The fractional digits: as many as written, or three when the milliseconds need them.
    private var fraction: String {
        let ms = pad(millisecond, 3)
        if fractionDigitCount >= 3 { return ms + extraFraction }
        let kept = ms.prefix(fractionDigitCount)
        let dropped = ms.dropFirst(fractionDigitCount)
        return fractionDigitCount > 0 && dropped.allSatisfy({ $0 == "0" }) ? String(kept) : ms
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

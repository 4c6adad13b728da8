/// The parts of a date, dateTime, instant or time lexeme. Components past `precision` are zero.
struct TemporalFields: Sendable, Hashable {
    var precision: FHIRTemporalPrecision = .year
    var year = 0
    var month: UInt8 = 0
    var day: UInt8 = 0
    var hour: UInt8 = 0
    var minute: UInt8 = 0
    var second: UInt8 = 0
    /// Fractional-second digits as written (`"250"` for `.250`), empty when none.
    var fraction = ""
    var offset: FHIRTimeZoneOffset?
}

/// Hand-written parsers for the R4 date, dateTime, instant and time regexes (and the looser
/// FHIRPath literal forms), with calendar checks the regexes cannot express.
enum TemporalParser {
    /// Which lexical form a calendar value must have.
    enum CalendarForm {
        /// R4 `date`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`.
        case date
        /// R4 `dateTime`: a date, or a full date with `Thh:mm:ss(.f+)?` and a required zone.
        case dateTime
        /// R4 `instant`: full date, time to seconds, and a zone.
        case instant
        /// FHIRPath DateTime literal (without `@`): a date, optionally `T`, optionally a time to
        /// hour, minute, second or fraction (after a full date), optionally a zone.
        case fhirPath
    }

    static func parseCalendar(_ b: UnsafeBufferPointer<UInt8>, form: CalendarForm) -> Result<
        TemporalFields, LexicalFailure
    > {
        var f = TemporalFields()
        let n = b.count
        guard n >= 4, ASCII.isDigit(b[0]), ASCII.isDigit(b[1]), ASCII.isDigit(b[2]), ASCII.isDigit(b[3]) else {
            return .failure(LexicalFailure("year must be four digits"))
        }
        f.year =
            Int(b[0] &- ASCII.zero) * 1000 + Int(b[1] &- ASCII.zero) * 100 + Int(b[2] &- ASCII.zero) * 10
            + Int(b[3] &- ASCII.zero)
        guard f.year > 0 else { return .failure(LexicalFailure("year 0000 is not allowed")) }
        var i = 4
        if i < n, b[i] == ASCII.minus {
            guard let m = twoDigits(b, i + 1), m >= 1, m <= 12 else {
                return .failure(LexicalFailure("month must be 01 to 12"))
            }
            f.month = UInt8(m)
            f.precision = .month
            i += 3
            if i < n, b[i] == ASCII.minus {
                guard let d = twoDigits(b, i + 1), d >= 1, d <= 31 else {
                    return .failure(LexicalFailure("day must be 01 to 31"))
                }
                guard d <= CivilCalendar.daysInMonth(year: f.year, month: m) else {
                    return .failure(LexicalFailure("day does not exist in that month"))
                }
                f.day = UInt8(d)
                f.precision = .day
                i += 3
            }
        }
        if i == n {
            if form == .instant { return .failure(LexicalFailure("instant needs a full date, time and zone")) }
            return .success(f)
        }
        guard b[i] == ASCII.upperT else { return .failure(LexicalFailure("unexpected characters after the date")) }
        guard form != .date else { return .failure(LexicalFailure("date cannot have a time")) }
        i += 1
        if form == .fhirPath && i == n { return .success(f) }  // `@2015T`, `@2015-02-04T`
        guard f.precision == .day else { return .failure(LexicalFailure("a time needs a full date")) }
        if let failure = parseClock(b, &i, into: &f, requireSeconds: form != .fhirPath) {
            return .failure(failure)
        }
        if i == n {
            if form == .fhirPath { return .success(f) }
            return .failure(LexicalFailure("a time in a dateTime or instant needs a time-zone offset"))
        }
        switch parseOffset(b, &i) {
        case .success(let offset): f.offset = offset
        case .failure(let failure): return .failure(failure)
        }
        guard i == n else { return .failure(LexicalFailure("unexpected characters after the time-zone offset")) }
        return .success(f)
    }

    /// R4 `time` (`hh:mm:ss(.f+)?`), or with `lenient` the FHIRPath Time form (`hh`, `hh:mm`,
    /// `hh:mm:ss(.f+)?`). Neither has a zone.
    static func parseTime(_ b: UnsafeBufferPointer<UInt8>, lenient: Bool) -> Result<TemporalFields, LexicalFailure> {
        var f = TemporalFields()
        var i = 0
        if let failure = parseClock(b, &i, into: &f, requireSeconds: !lenient) { return .failure(failure) }
        guard i == b.count else { return .failure(LexicalFailure("unexpected characters after the time")) }
        return .success(f)
    }

    /// Reads `hh(:mm(:ss(.f+)?)?)?` at `i`.
    private static func parseClock(
        _ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, into f: inout TemporalFields, requireSeconds: Bool
    ) -> LexicalFailure? {
        let n = b.count
        guard let h = twoDigits(b, i), h <= 23 else { return LexicalFailure("hour must be 00 to 23") }
        f.hour = UInt8(h)
        f.precision = .hour
        i += 2
        if i < n, b[i] == ASCII.colon {
            guard let m = twoDigits(b, i + 1), m <= 59 else { return LexicalFailure("minute must be 00 to 59") }
            f.minute = UInt8(m)
            f.precision = .minute
            i += 3
            if i < n, b[i] == ASCII.colon {
                guard let s = twoDigits(b, i + 1), s <= 60 else { return LexicalFailure("second must be 00 to 60") }
                f.second = UInt8(s)
                f.precision = .second
                i += 3
                if i < n, b[i] == ASCII.dot {
                    i += 1
                    let start = i
                    while i < n, ASCII.isDigit(b[i]) { i += 1 }
                    guard i > start else { return LexicalFailure("fractional seconds need at least one digit") }
                    f.fraction = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                    f.precision = .fraction
                }
            }
        }
        if requireSeconds && f.precision < .second {
            return LexicalFailure("time must be hh:mm:ss")
        }
        return nil
    }

    /// Reads `Z` or `(+|-)hh:mm` with hours 00 to 13 (any minutes) or exactly 14:00.
    private static func parseOffset(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Result<
        FHIRTimeZoneOffset, LexicalFailure
    > {
        let n = b.count
        if b[i] == ASCII.upperZ {
            i += 1
            return .success(.utc)
        }
        guard b[i] == ASCII.plus || b[i] == ASCII.minus else {
            return .failure(LexicalFailure("time-zone offset must be Z or +hh:mm or -hh:mm"))
        }
        let negative = b[i] == ASCII.minus
        guard i + 6 <= n, let hh = twoDigits(b, i + 1), b[i + 3] == ASCII.colon, let mm = twoDigits(b, i + 4),
            mm <= 59, hh <= 13 || (hh == 14 && mm == 0)
        else {
            return .failure(LexicalFailure("time-zone offset must be between -14:00 and +14:00 as hh:mm"))
        }
        i += 6
        let minutes = hh * 60 + mm
        return .success(FHIRTimeZoneOffset(minutes: negative ? -minutes : minutes, isZulu: false))
    }

    /// The two-digit number at `i`, or `nil` if there are not two digits there.
    @inline(__always)
    private static func twoDigits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i >= 0, i + 1 < b.count, ASCII.isDigit(b[i]), ASCII.isDigit(b[i + 1]) else { return nil }
        return Int(b[i] &- ASCII.zero) * 10 + Int(b[i + 1] &- ASCII.zero)
    }
}

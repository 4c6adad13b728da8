import FHIRModel

/// HTTP-dates (RFC 9110 section 5.6.7) as seconds since the Unix epoch: the preferred IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`) and the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`) forms. Written here (not with a locale-dependent
/// formatter) because the grammar is small and fixed.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Int64? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        switch tokens.count {
        case 6:  // Sun 06 Nov 1994 08:49:37 GMT
            guard tokens[5].uppercased() == "GMT", let day = Int(tokens[1]), let month = month(tokens[2]),
                let year = Int(tokens[3]), tokens[3].count == 4
            else { return nil }
            return make(year: year, month: month, day: day, time: tokens[4])
        case 4 where tokens[1].contains("-"):  // Sunday 06-Nov-94 08:49:37 GMT
            guard tokens[3].uppercased() == "GMT" else { return nil }
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard parts.count == 3, let day = Int(parts[0]), let month = month(parts[1]), let yy = Int(parts[2]),
                parts[2].count == 2
            else { return nil }
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            let year = yy < 70 ? 2000 + yy : 1900 + yy
            return make(year: year, month: month, day: day, time: tokens[2])
        case 5:  // Sun Nov 6 08:49:37 1994
            guard let month = month(tokens[1]), let day = Int(tokens[2]), let year = Int(tokens[4]),
                tokens[4].count == 4
            else { return nil }
            return make(year: year, month: month, day: day, time: tokens[3])
        default:
            return nil
        }
    }

    private static func month(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func make(year: Int, month: Int, day: Int, time: String) -> Int64? {
        let hms = time.split(separator: ":").map { Int($0) }
        guard hms.count == 3, let h = hms[0], let m = hms[1], let s = hms[2], time.count == 8,
            (0...23).contains(h), (0...59).contains(m), (0...60).contains(s), (1...31).contains(day),
            (1...9999).contains(year), day <= CivilCalendar.daysInMonth(year: year, month: month)
        else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(h * 3600 + m * 60 + s)
    }
}

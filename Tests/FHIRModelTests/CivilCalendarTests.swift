import FHIRModel
import Testing

struct CivilCalendarTests {
    @Test func dayCountsAndDatesRoundTrip() {
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.days(year: 1969, month: 12, day: 31) == -1)
        for count in [-800_000, -1, 0, 59, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = CivilCalendar.date(days: count)
            #expect(CivilCalendar.days(year: y, month: m, day: d) == count)
        }
        #expect(CivilCalendar.date(days: 19_782) == (2024, 2, 29))
    }

    @Test func monthLengthsFollowTheGregorianLeapRule() {
        #expect(CivilCalendar.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilCalendar.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CivilCalendar.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilCalendar.daysInMonth(year: 2023, month: 4) == 30)
        #expect(CivilCalendar.daysInMonth(year: 2023, month: 12) == 31)
    }
}

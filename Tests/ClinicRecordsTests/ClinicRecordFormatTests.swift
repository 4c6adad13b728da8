import ClinicRecords
import Testing

@Test func formatVersionIsOne() {
    #expect(ClinicRecordFormat.version == 1)
}

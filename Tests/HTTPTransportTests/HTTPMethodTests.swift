import HTTPTransport
import Testing

@Test func methodNamesAreUpperCase() {
    #expect(HTTPMethod.allCases.allSatisfy { $0.rawValue == $0.rawValue.uppercased() })
}

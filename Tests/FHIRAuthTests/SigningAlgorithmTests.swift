import FHIRAuth
import Testing

@Test func algorithmNamesAreTheJWSOnes() {
    #expect(SigningAlgorithm.allCases.map(\.rawValue) == ["RS384", "ES384"])
}

/// The JWS algorithms FHIRGate signs SMART Backend Services client assertions with.
public enum SigningAlgorithm: String, Sendable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    case rs384 = "RS384"
    /// ECDSA on P-384 with SHA-384.
    case es384 = "ES384"
}

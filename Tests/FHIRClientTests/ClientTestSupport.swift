import FHIRAuth
import FHIRClient
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Foundation
import HTTPTransport
import Testing

/// Shared pieces of the client tests: keys, resources from JSON text, servers started off the pool.
enum ClientTestSupport {
    /// The client key registered with the reference EHR (RSA generation takes a moment: once).
    static let rsaKey: SigningKey? = try? SigningKey.generate(.rs384, rsaBits: 2048)
    /// A key the server does not know (RSA too: sekmet answers 500, not invalid_client, when it
    /// checks an ES384 assertion against a registered RSA key).
    static let otherKey: SigningKey? = try? SigningKey.generate(.rs384, rsaBits: 2048)
    /// An EC P-384 key (ES384 assertions).
    static let ecKey: SigningKey? = try? SigningKey.generate(.es384)

    static var canUseEHR: Bool { ReferenceEHR.isAvailable && TestSupport.hasCorePackage }

    /// A resource node read from FHIR JSON text.
    static func resource(_ json: String) throws -> ElementNode {
        try FHIRJSONReader(model: try TestSupport.coreModel()).read(json).root
    }

    /// A transport that trusts `caFile`.
    static func transport(caFile: String) throws -> HTTPTransport {
        try HTTPTransport(configuration: TransportConfiguration(tls: TLSConfiguration(caFile: caFile)))
    }

    /// Starts the reference EHR on a thread of its own (start-up blocks); with `.smart`, the client
    /// `clinic-gateway` is registered with the public keys of `keys`.
    static func startEHR(
        auth: ReferenceEHR.Auth, keys: [SigningKey] = [], scopes: String = "system/*.cruds", tokenLifetime: Int? = nil
    ) async throws -> ReferenceEHR {
        let jwks = keys.isEmpty ? nil : JWKSet(keys: keys.map(\.publicJWK)).json.text()
        return try await offPool {
            try ReferenceEHR.start(auth: auth, jwks: jwks, scopes: scopes, tokenLifetime: tokenLifetime)
        }
    }

    /// Stops the server off the pool.
    static func stop(_ ehr: ReferenceEHR) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                ehr.stop()
                continuation.resume()
            }
        }
    }

    /// Runs `body` with a started server and always stops it (also when `body` throws).
    static func withEHR(
        auth: ReferenceEHR.Auth, keys: [SigningKey] = [], scopes: String = "system/*.cruds", tokenLifetime: Int? = nil,
        _ body: (ReferenceEHR) async throws -> Void
    ) async throws {
        let ehr = try await startEHR(auth: auth, keys: keys, scopes: scopes, tokenLifetime: tokenLifetime)
        do {
            try await body(ehr)
        } catch {
            await stop(ehr)
            throw error
        }
        await stop(ehr)
    }

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The error `body` throws (failing the test when it throws none).
    static func clientError<T>(
        _ body: () async throws(FHIRClientError) -> T, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> FHIRClientError? {
        do {
            _ = try await body()
            Testing.Issue.record("expected a FHIRClientError", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// The `Bearer` token of the reference EHR's bearer mode.
    static func bearerToken(_ ehr: ReferenceEHR) throws -> String {
        let file = try #require(ehr.tokenFile)
        return try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

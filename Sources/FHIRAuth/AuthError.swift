/// An error from key handling, signing or token checks.
///
/// Messages name files, algorithms and what went wrong; they never contain key material,
/// signatures or token contents.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The key file does not exist or cannot be read.
        case keyFileUnreadable
        /// The key file already exists and overwriting was not asked for.
        case keyFileExists
        /// The key file could not be created or written.
        case keyFileUnwritable
        /// The file is not a PEM private key OpenSSL can read (or it is encrypted).
        case keyInvalid
        /// The key's type or size does not fit the signing algorithm.
        case keyUnsupported
        /// A JWK is malformed or of an unsupported kind.
        case jwkInvalid
        /// A JWT is not in compact serialization form or its parts do not decode.
        case tokenMalformed
        /// A claim or parameter is out of range (lifetime, empty client id...).
        case invalidParameter
        /// OpenSSL failed where it should not (allocation, randomness, signing).
        case cryptoFailure
    }

    public let code: Code
    public let message: String
    /// The file concerned, when there is one.
    public let file: String?

    public init(_ code: Code, _ message: String, file: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
    }

    public var description: String {
        if let file { return "\(file): \(message)" }
        return message
    }
}

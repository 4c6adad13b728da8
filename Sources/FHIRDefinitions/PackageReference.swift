import FHIRModel

/// A FHIR package and version, written `id#version` (`hl7.fhir.r4.core#4.0.1`).
///
/// The id is one or more dot-separated parts of letters, digits, `-` and `_` (at most 214
/// characters, as for NPM). The version is a semantic version (`4.0.1`, `1.0.0-ballot`,
/// `2.1.0+build.5`; one to four numeric parts) or one of the FHIR labels `current` and `dev`.
/// `id@version` is accepted on input as well; the description always uses `#`.
public struct PackageReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let id: String
    public let version: String

    /// Creates a reference after checking both parts.
    public init(id: String, version: String) throws(PackageError) {
        guard Self.isValidID(id) else {
            throw PackageError(
                .packageInvalid,
                "invalid package id '\(displayName(id))': use dot-separated parts of letters, digits, '-' and '_'")
        }
        guard Self.isValidVersion(version) else {
            throw PackageError(
                .packageInvalid,
                "invalid version '\(displayName(version))' for package \(id): use a version such as 4.0.1")
        }
        self.id = id
        self.version = version
    }

    /// Parses `id#version` (or `id@version`).
    public init(parsing text: String) throws(PackageError) {
        let trimmed = text.trimmingSpaces
        guard let separator = trimmed.firstIndex(where: { $0 == "#" || $0 == "@" }) else {
            throw PackageError(
                .packageInvalid,
                "package reference '\(displayName(trimmed))' has no version: write it as id#version, e.g. hl7.fhir.r4.core#4.0.1"
            )
        }
        let id = String(trimmed[..<separator])
        let version = String(trimmed[trimmed.index(after: separator)...])
        try self.init(id: id, version: version)
    }

    public var description: String { id + "#" + version }

    public static func < (lhs: PackageReference, rhs: PackageReference) -> Bool {
        if lhs.id != rhs.id { return lhs.id < rhs.id }
        return VersionOrder.compare(lhs.version, rhs.version) < 0
    }

    /// Whether `id` is a valid package id.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty, bytes.count <= 214 else { return false }
        var partLength = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                partLength += 1
            case UInt8(ascii: "."):
                guard partLength > 0 else { return false }
                partLength = 0
            default:
                return false
            }
        }
        return partLength > 0 && bytes[0] != UInt8(ascii: "-") && bytes[0] != UInt8(ascii: "_")
    }

    /// Whether `version` is a valid concrete package version.
    public static func isValidVersion(_ version: String) -> Bool {
        if version == "current" || version == "dev" { return true }
        guard !version.isEmpty, version.utf8.count <= 64 else { return false }
        let (core, label) = splitOnce(Substring(version), "+")
        if let label, !isDottedIdentifiers(label) { return false }
        let (numbers, pre) = splitOnce(core, "-")
        if let pre, !isDottedIdentifiers(pre) { return false }
        let parts = numbers.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    private static func splitOnce(_ s: Substring, _ separator: Character) -> (Substring, Substring?) {
        guard let i = s.firstIndex(of: separator) else { return (s, nil) }
        return (s[..<i], s[s.index(after: i)...])
    }

    /// Semver pre-release and build labels: dot-separated, non-empty, `[0-9A-Za-z-]`.
    private static func isDottedIdentifiers(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            !part.isEmpty
                && part.utf8.allSatisfy { b in
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                }
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

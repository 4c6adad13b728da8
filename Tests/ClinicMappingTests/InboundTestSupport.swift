import ClinicMapping
import ClinicRecords
import FHIRGateTesting
import FHIRModel
import Testing

/// Fixtures under `Tests/ClinicMappingTests/Fixtures/inbound` and helpers for the inbound tests.
enum InboundFixtures {
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures/inbound"
    }()

    static func bytes(_ name: String) throws -> [UInt8] { try FileBytes.read(directory + "/" + name) }

    static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }

    /// Maps a fixture file (JSON or XML) with the default options.
    static func map(_ name: String) throws -> InboundReferralResult {
        InboundReferralMapper().map(try bytes(name), model: try TestSupport.coreModel(), fileName: name)
    }

    /// Maps JSON text.
    static func map(text: String, fileName: String = "inline.json") throws -> InboundReferralResult {
        InboundReferralMapper().map(Array(text.utf8), model: try TestSupport.coreModel(), fileName: fileName)
    }
}

extension InboundReferralResult {
    /// The issues as readable lines (for failure messages).
    var summary: String { issues.map(\.description).joined(separator: "\n") }

    /// The errors as `CODE path` strings.
    var errorKeys: Set<String> {
        Set(issues.filter { $0.severity <= .error }.map { $0.code.rawValue + " " + ($0.path ?? "-") })
    }
}

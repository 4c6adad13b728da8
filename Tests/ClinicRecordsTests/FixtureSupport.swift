import ClinicRecords
import FHIRModel

/// Paths and helpers for the fixtures under `Tests/ClinicRecordsTests/Fixtures`.
enum Fixtures {
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures"
    }()

    static func path(_ relative: String) -> String { directory + "/" + relative }

    static func bytes(_ relative: String) throws -> [UInt8] { try FileBytes.read(path(relative)) }

    static func text(_ relative: String) throws -> String { String(decoding: try bytes(relative), as: UTF8.self) }

    /// The names of the files in a fixture folder with the given suffix.
    static func files(_ folder: String, suffix: String) throws -> [String] {
        try FileBytes.listDirectory(path(folder)).filter { $0.hasSuffix(suffix) }
    }

    /// Reads a string as a record file.
    static func read(_ text: String, fileName: String = "test.json") -> ClinicRecordReadResult {
        ClinicRecordReader().read(Array(text.utf8), fileName: fileName)
    }

    /// The ```json blocks of a Markdown document with the line each starts on.
    static func jsonBlocks(ofMarkdown text: String) -> [(line: Int, text: String)] {
        var blocks: [(Int, String)] = []
        var current: [Substring]?
        var start = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line.hasPrefix("```json") {
                current = []
                start = i + 2
            } else if current != nil, line.hasPrefix("```") {
                blocks.append((start, (current ?? []).joined(separator: "\n")))
                current = nil
            } else if current != nil {
                current?.append(line)
            }
        }
        return blocks
    }
}

extension ClinicRecordReadResult {
    /// The issues as one readable string (for failure messages).
    var summary: String { issues.map(\.description).joined(separator: "\n") }
}

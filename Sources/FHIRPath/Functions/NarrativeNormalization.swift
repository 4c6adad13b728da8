import FHIRDefinitions
import FHIRModel
import FHIRXML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Normalised narrative XHTML (``XHTMLNarrative/normalized(_:limits:)``), remembered for the few
/// narratives seen last: validation reads each narrative more than once (`htmlChecks()` for
/// txt-1, the validator's narrative rules), and parsing is the costly part. Thread-safe.
public enum NarrativeNormalization {
    /// The normalised form of `xhtml` (default limits), or the error that parsing it raised.
    public static func normalized(_ xhtml: String) -> Result<String, FHIRFormatError> {
        entry(xhtml).result
    }

    /// A narrative's normal form with its markup read once (nil when the form is not of the
    /// simple shape ``NarrativeMarkup`` reads), for every reader of the same narrative.
    package struct Entry: Sendable {
        package let result: Result<String, FHIRFormatError>
        package let markup: NarrativeMarkup?
    }

    /// The normal form and markup of `xhtml`, remembered for the narratives seen last.
    package static func entry(_ xhtml: String) -> Entry {
        if let hit = recent.withLock({ entries in entries.first { sameBytes($0.text, xhtml) }?.entry }) {
            return hit
        }
        let written = Result { () throws(FHIRFormatError) in try XHTMLNarrative.normalizedWithMarkup(xhtml) }
        let result = written.map(\.text)
        let markup: NarrativeMarkup?
        switch written {
        case .success(let (text, record?)):
            markup = NarrativeMarkup.recorded(text, record) ?? NarrativeMarkup.read(text)
        case .success(let (text, nil)): markup = NarrativeMarkup.read(text)
        case .failure: markup = nil
        }
        let entry = Entry(result: result, markup: markup)
        recent.withLock { entries in
            if entries.count >= capacity { entries.removeFirst() }
            entries.append((xhtml, entry))
        }
        return entry
    }

    /// Whether two texts have the same UTF-8 bytes (byte counts first: different narratives of
    /// equal length are rare). Equal bytes give the same normal form; canonically equivalent
    /// texts with other bytes need not, so bytes are what the cache compares.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard b.utf8.count == count else { return false }
        let answer = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                guard let p = x.baseAddress, let q = y.baseAddress else { return count == 0 }
                return memcmp(p, q, count) == 0
            }
        }
        return (answer ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    /// How many narratives are remembered (a validation reads a narrative's rules close together).
    static let capacity = 8

    private static let recent = Locked<[(text: String, entry: Entry)]>([])
}

import FHIRDefinitions
import FHIRModel
import FHIRXML

/// Normalised narrative XHTML (``XHTMLNarrative/normalized(_:limits:)``), remembered for the few
/// narratives seen last: validation reads each narrative more than once (`htmlChecks()` for
/// txt-1, the validator's narrative rules), and parsing is the costly part. Thread-safe.
public enum NarrativeNormalization {
    /// The normalised form of `xhtml` (default limits), or the error that parsing it raised.
    public static func normalized(_ xhtml: String) -> Result<String, FHIRFormatError> {
        // (Byte counts first: comparing different narratives of equal length is rare.)
        let count = xhtml.utf8.count
        if let hit = recent.withLock({ entries in
            entries.first { $0.text.utf8.count == count && $0.text == xhtml }?.result
        }) {
            return hit
        }
        let result = Result { () throws(FHIRFormatError) in try XHTMLNarrative.normalized(xhtml) }
        recent.withLock { entries in
            if entries.count >= capacity { entries.removeFirst() }
            entries.append((xhtml, result))
        }
        return result
    }

    /// How many narratives are remembered (a validation reads a narrative's rules close together).
    static let capacity = 8

    private static let recent = Locked<[(text: String, result: Result<String, FHIRFormatError>)]>([])
}

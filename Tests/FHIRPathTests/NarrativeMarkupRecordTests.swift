import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRXML
import Testing

@testable import FHIRPath

/// The markup the quick normaliser records while writing a normal form must be what
/// ``NarrativeMarkup/read(_:)`` finds in that normal form, field for field.
struct NarrativeMarkupRecordTests {
    static let crafted: [String] = [
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a</p></div>",
        "<div xmlns='http://www.w3.org/1999/xhtml'  ><p  class = 'x\"y' title=\"a&amp;b\">t</p ><br /></div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<p>caf\u{E9}</p>\u{E9}<b>x</b>\u{301}<i/></div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p title=\"\u{E9}\">&#233;</p>&#x301;<b/>&#x600;<i/></div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"> &#9;&#10;&#13; <!-- c\r\nd --><p></p></div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><!--x-->\u{301}<p>&gt;&lt;&quot;</p></div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"a&#10;b\tc\" onclick=\"x\">l</a></div>  \n",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\">   </div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"data:image/png;base64,AAAA\"/></div>",
    ]

    private static func same(_ text: String) -> Bool? {
        guard
            case .success(let (normalized, record?)) = Result(catching: {
                try XHTMLNarrative.normalizedWithMarkup(text)
            })
        else { return nil }
        guard let recorded = NarrativeMarkup.recorded(normalized, record) else { return false }
        guard let read = NarrativeMarkup.read(normalized) else { return false }
        return recorded.tags.map(\.name) == read.tags.map(\.name)
            && recorded.tags.map(\.attributes) == read.tags.map(\.attributes)
            && recorded.attributes.map(\.name) == read.attributes.map(\.name)
            && recorded.attributes.map(\.value) == read.attributes.map(\.value)
            && recorded.attributes.map(\.hasReference) == read.attributes.map(\.hasReference)
            && recorded.hasText == read.hasText && recorded.hasComment == read.hasComment
            && recorded.asciiMarkup == read.asciiMarkup
    }

    @Test func recordedMarkupIsTheReadMarkupOnCraftedText() {
        var compared = 0
        for text in Self.crafted {
            guard let answer = Self.same(text) else { continue }
            compared += 1
            #expect(answer, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(compared >= 7)
    }

    @Test(.enabled(if: TestSupport.hasCorePackage && TestSupport.sharedPath("corpora/examples-r4-json") != nil))
    func recordedMarkupIsTheReadMarkupOnTheExamples() throws {
        let model = try TestSupport.coreModel()
        let reader = FHIRJSONReader(model: model)
        guard let folder = TestSupport.sharedPath("corpora/examples-r4-json") else { return }
        var compared = 0
        for file in TestSupport.files(in: folder, suffix: ".json") {
            let root = try reader.read(fileAtPath: folder + "/" + file).root
            root.walk { node, _ in
                guard node.typeName == "xhtml", let text = node.value, let answer = Self.same(text) else { return true }
                compared += 1
                #expect(answer, "\(file)")
                return true
            }
        }
        #expect(compared > 1000)
    }
}

import FHIRDefinitions
import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

/// The shortcuts the validator takes for speed answer as the longer ways they replace.
struct ValidationFastPathTests {
    @Test func primitiveKindsByTypeCode() {
        for kind in FHIRPrimitive.Kind.allCases {
            #expect(FHIRPrimitive.Kind(typeCode: kind.rawValue) == kind)
        }
        for code in ["", "String", "datetime", "Coding", "base64binary", "xhtml ", "unsignedIntX", "positiveInteger"] {
            #expect(FHIRPrimitive.Kind(typeCode: code) == FHIRPrimitive.Kind(rawValue: code), "\(code)")
        }
    }

    /// The byte test for script and data schemes agrees with the full check on what it lets
    /// through: whenever it says "no problem scheme", the full check finds no problem.
    @Test func urlSchemeShortcut() {
        let urls = [
            "#photo", "http://example.org/x", "https://x", "relative/path", "", ":", "javascript:alert(1)",
            "JavaScript:x", "java\tscript:x", " vbscript:x", "VBScript:x", "data:image/png;base64,AA",
            "data:text/html,x", "DATA:image/png", "d ata:x", "javascriptx:y", "vbscrip:x", "dat:x", "é:x",
            "java\u{0}script:x", "urn:uuid:1", "mailto:a@b", "jav\u{301}ascript:x",
        ]
        for url in urls {
            let full = NarrativeRules.urlProblem(url, imageSource: false)
            let fullImage = NarrativeRules.urlProblem(url, imageSource: true)
            if !NarrativeRules.mayHaveScriptOrDataScheme(url) {
                #expect(full == nil && fullImage == nil, "\(url)")
            }
        }
        #expect(NarrativeRules.urlProblem("java\tscript:x", imageSource: false) != nil)
        #expect(NarrativeRules.urlProblem("VBScript:x", imageSource: false) != nil)
        #expect(NarrativeRules.urlProblem("data:text/html,x", imageSource: true) != nil)
        #expect(NarrativeRules.urlProblem("data:image/png;base64,AA", imageSource: true) == nil)
        #expect(NarrativeRules.urlProblem("http://example.org", imageSource: false) == nil)
    }

    /// The byte test for image data URLs gives the full test's answer whenever it gives one.
    @Test func dataImagePrefix() {
        for url in [
            "data:image/png;base64,AAAA", "DATA:Image/png", "data: image/png", "data:image/", "data:image",
            "data:text/plain", "data:image/\u{301}png", "data:\u{130}mage/png", "d\ta\nta:image/x", "", "data",
            "data:imagex/", "\u{212A}data:image/",
        ] {
            let full = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 }))
                .lowercased().hasPrefix("data:image/")
            if let fast = NarrativeRules.startsWithDataImage(url) { #expect(fast == full, "\(url)") }
        }
        #expect(NarrativeRules.startsWithDataImage("data:image/png;base64,AAAA") == true)
        #expect(NarrativeRules.startsWithDataImage("data:image/\u{301}png") == nil)
    }

    @Test func eventAttributePrefix() {
        for name in ["onclick", "ONLOAD", "On", "o", "", "one", "title", "xon", "o\u{301}n", "on\u{301}x", "ön"] {
            #expect(NarrativeRules.hasEventPrefix(name) == name.lowercased().hasPrefix("on"), "\(name)")
        }
    }

    @Test func itemPaths() {
        #expect(ResourceWalker.itemPath("Patient.name", 0) == "Patient.name[0]")
        #expect(ResourceWalker.itemPath("Bundle.entry", 1234) == "Bundle.entry[1234]")
        #expect(ResourceWalker.itemPath("", 7) == "[7]")
    }
}

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct TerminologyAnswersTests {
    @Test func rememberedAnswersAreTheTerminologysAnswers() {
        let terminology = LocalTerminology(store: TestSupport.coreStore)
        let answers = TerminologyAnswers()
        let questions: [(String, String?, String)] = [
            ("http://hl7.org/fhir/ValueSet/administrative-gender", "http://hl7.org/fhir/administrative-gender", "male"),
            ("http://hl7.org/fhir/ValueSet/administrative-gender", nil, "female"),
            ("http://hl7.org/fhir/ValueSet/administrative-gender", nil, "nope"),
            ("http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1", nil, "other"),
            ("http://example.org/ValueSet/unknown", nil, "x"),
            ("http://hl7.org/fhir/ValueSet/observation-codes", "http://loinc.org", "1234-5"),
        ]
        for _ in 0..<2 {
            for (valueSet, system, code) in questions {
                #expect(
                    answers.membership(system: system, code: code, valueSet: valueSet, terminology)
                        == terminology.membership(system: system, code: code, valueSet: valueSet))
                #expect(answers.hasValueSet(valueSet, terminology) == terminology.hasValueSet(valueSet))
            }
        }
    }
}

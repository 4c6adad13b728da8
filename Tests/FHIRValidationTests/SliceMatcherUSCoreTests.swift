import FHIRGateTesting
import FHIRModel
import FHIRPath
import Testing

@testable import FHIRValidation

/// Slice assignment with US Core 3.1.0 profiles (from `../shared/packages`).
@Suite(
    .enabled(
        if: SlicingFixture.hasUSCore,
        "needs hl7.fhir.r4.core#4.0.1 in the package cache and ../shared/packages/hl7.fhir.us.core#3.1.0"))
struct SliceMatcherUSCoreTests {
    static let base = "http://hl7.org/fhir/us/core/StructureDefinition/"

    @Test func patientExtensionsByProfileURL() throws {
        let context = try #require(SlicingFixture.usCore)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Patient","extension":[
              {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"F"},
              {"url":"http://example.org/local","valueString":"x"},
              {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
               "extension":[{"url":"text","valueString":"r"}]},
              {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity",
               "extension":[{"url":"text","valueString":"e"}]}]}
            """#)
        let (names, issues) = try SlicingFixture.assign(
            context, profile: Self.base + "us-core-patient", element: "Patient.extension",
            items: SlicingFixture.items(root, "extension", resource: root), path: "Patient.extension")
        #expect(names == ["birthsex", nil, "race", "ethnicity"])
        #expect(issues.isEmpty)
    }

    @Test func raceExtensionParts() throws {
        let context = try #require(SlicingFixture.usCore)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Patient","extension":[
              {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[
                {"url":"ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2106-3"}},
                {"url":"detailed","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2108-9"}},
                {"url":"detailed","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2135-2"}},
                {"url":"text","valueString":"Mixed"}]}]}
            """#)
        let race = try #require(root.child(named: "extension"))
        let (names, issues) = try SlicingFixture.assign(
            context, profile: Self.base + "us-core-race", element: "Extension.extension",
            items: SlicingFixture.items(race, "extension", resource: root), path: "Patient.extension[0].extension")
        #expect(names == ["ombCategory", "detailed", "detailed", "text"])
        #expect(issues.isEmpty)
    }

    @Test func pulseOximetryCodingsAndComponents() throws {
        let context = try #require(SlicingFixture.usCore)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Observation","status":"final",
             "code":{"coding":[{"system":"http://loinc.org","code":"59408-5"},{"system":"http://loinc.org","code":"2708-6"},
                               {"system":"http://loinc.org","code":"59408-5"}]},
             "component":[
              {"code":{"coding":[{"system":"http://loinc.org","code":"3150-0","display":"Inhaled oxygen concentration"}]},
               "valueQuantity":{"value":6,"system":"http://unitsofmeasure.org","code":"%"}},
              {"code":{"coding":[{"system":"http://loinc.org","code":"3151-8"}],"text":"flow"},
               "valueQuantity":{"value":2,"system":"http://unitsofmeasure.org","code":"l/min"}},
              {"code":{"coding":[{"system":"http://snomed.info/sct","code":"3151-8"}]}}]}
            """#)
        let code = try #require(root.child(named: "code"))
        let url = Self.base + "us-core-pulse-oximetry"
        let codings = try SlicingFixture.assign(
            context, profile: url, element: "Observation.code.coding",
            items: SlicingFixture.items(code, "coding", resource: root), path: "Observation.code.coding")
        #expect(codings.names == ["PulseOx", "OxygenSatCode", "PulseOx"])
        #expect(codings.issues.isEmpty)
        let components = try SlicingFixture.assign(
            context, profile: url, element: "Observation.component",
            items: SlicingFixture.items(root, "component", resource: root), path: "Observation.component")
        #expect(components.names == ["Concentration", "FlowRate", nil])
        #expect(components.issues.isEmpty)
    }

    @Test func smokingStatusValueMustBeACodeableConcept() throws {
        let context = try #require(SlicingFixture.usCore)
        let url = Self.base + "us-core-smokingstatus"
        let good = try SlicingFixture.read(
            #"{"resourceType":"Observation","status":"final","code":{"text":"s"},"valueCodeableConcept":{"text":"never"}}"#
        )
        let ok = try SlicingFixture.assign(
            context, profile: url, element: "Observation.value[x]",
            items: SlicingFixture.items(good, "value", resource: good), path: "Observation.value")
        #expect(ok.names == ["valueCodeableConcept"] && ok.issues.isEmpty)
        let bad = try SlicingFixture.read(
            #"{"resourceType":"Observation","status":"final","code":{"text":"s"},"valueBoolean":true}"#)
        let wrong = try SlicingFixture.assign(
            context, profile: url, element: "Observation.value[x]",
            items: SlicingFixture.items(bad, "value", resource: bad), path: "Observation.value")
        #expect(wrong.names == [nil])
        #expect(wrong.issues.map(\.code) == [.sliceNoMatch])
    }
}

import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

/// Existence, filtering, subsetting, combining, aggregate, tree and type functions.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct CollectionFunctionTests: ResourceProbing {
    let patient = #"""
        {"resourceType":"Patient","id":"p","active":true,
         "name":[{"use":"official","family":"Lee","given":["Ann","Bo"]},
                 {"use":"usual","given":["Annie"]},
                 {"use":"old","family":"Lee","given":["Ann","Bo"]}],
         "telecom":[{"system":"phone","value":"1"},{"system":"email","value":"a@b"}],
         "gender":"female"}
        """#

    let questionnaire = #"""
        {"resourceType":"Questionnaire","status":"draft",
         "item":[{"linkId":"1","type":"group",
                  "item":[{"linkId":"1.1","type":"string"},
                          {"linkId":"1.2","type":"group","item":[{"linkId":"1.2.1","type":"boolean"}]}]},
                 {"linkId":"2","type":"string"}]}
        """#

    @Test func existence() throws {
        #expect(try texts("name.empty() | telecom.where(system = 'fax').empty()", on: patient) == ["false", "true"])
        #expect(try texts("name.exists()", on: patient) == ["true"])
        #expect(try texts("name.exists(use = 'usual')", on: patient) == ["true"])
        #expect(try texts("name.exists(use = 'temp')", on: patient) == ["false"])
        #expect(try texts("name.all(given.exists())", on: patient) == ["true"])
        #expect(try texts("name.all(family.exists())", on: patient) == ["false"])
        #expect(try texts("{}.all(false)") == ["true"])
        #expect(try texts("name.count()", on: patient) == ["3"])
        #expect(try texts("{}.count()") == ["0"])
    }

    @Test func booleanAggregates() throws {
        #expect(try texts("(true | false).allTrue()") == ["false"])
        #expect(try texts("(true | true).allTrue() | {}.allTrue()") == ["true"])
        #expect(try texts("(true | false).anyTrue()") == ["true"])
        #expect(try texts("(false).allFalse()") == ["true"])
        #expect(try texts("(true).anyFalse()") == ["false"])
        #expect(try texts("{}.anyTrue()") == ["false"])
        #expect(errorKind("(true | 'x').allTrue()") == .execution)
    }

    @Test func notUsesSingletonEvaluation() throws {
        #expect(try texts("true.not()") == ["false"])
        #expect(try texts("false.not()") == ["true"])
        #expect(try texts("{}.not()").isEmpty)
        #expect(try texts("'x'.not()") == ["false"])
        #expect(errorKind("(1 | 2).not()") == .execution)
    }

    @Test func subsetAndSuperset() throws {
        #expect(try texts("(1 | 2).subsetOf(1 | 2 | 3)") == ["true"])
        #expect(try texts("(1 | 4).subsetOf(1 | 2 | 3)") == ["false"])
        #expect(try texts("{}.subsetOf(1)") == ["true"])
        #expect(try texts("(1 | 2 | 3).supersetOf(3 | 1)") == ["true"])
        #expect(try texts("(1 | 2).supersetOf(4)") == ["false"])
        #expect(try texts("name.first().subsetOf(%resource.name)", on: patient) == ["true"])
    }

    @Test func distinctComparesByEquality() throws {
        #expect(try texts("(1 | 2).combine(1.0).combine(2).distinct()") == ["1", "2"])
        #expect(try texts("(1 | 2).combine(2).isDistinct()") == ["false"])
        #expect(try texts("('a' | 'b').isDistinct()") == ["true"])
        // The first and third names are structurally equal apart from `use`.
        #expect(try texts("name.select(given.first()).distinct()", on: patient) == ["Ann", "Annie"])
        #expect(try texts("name.select(given).distinct().count()", on: patient) == ["3"])
        #expect(try texts("name.isDistinct()", on: patient) == ["true"])
        #expect(try texts("name.where(use != 'usual').select(family | given).isDistinct()", on: patient) == ["false"])
    }

    @Test func whereAndSelect() throws {
        #expect(try texts("name.where(use = 'usual').given", on: patient) == ["Annie"])
        #expect(try texts("name.where($this.family = 'Lee').count()", on: patient) == ["2"])
        #expect(try texts("telecom.where($index = 1).system", on: patient) == ["email"])
        #expect(try texts("name.select(given.count())", on: patient) == ["2", "1", "2"])
        #expect(try texts("name.select($index)", on: patient) == ["0", "1", "2"])
        // A criterion with several items is not a boolean.
        #expect(errorKind("name.where(given)", on: patient) == .execution)
    }

    @Test func repeatCollectsNewItems() throws {
        #expect(try texts("Questionnaire.repeat(item).linkId", on: questionnaire) == ["1", "2", "1.1", "1.2", "1.2.1"])
        #expect(try texts("Questionnaire.repeat(item).count()", on: questionnaire) == ["5"])
        // A constant projection yields one new item and then nothing new.
        #expect(try texts("(1 | 2).repeat('x')") == ["x"])
        #expect(try texts("{}.repeat(item)").isEmpty)
    }

    @Test func repeatStopsRunawayGrowth() {
        #expect(errorKind("1.repeat($this + 1)") == .execution)
    }

    @Test func subsetting() throws {
        #expect(try texts("(1 | 2 | 3).first() | (1 | 2 | 3).last()") == ["1", "3"])
        #expect(try texts("(1 | 2 | 3).tail()") == ["2", "3"])
        #expect(try texts("(1 | 2 | 3).skip(2)") == ["3"])
        #expect(try texts("(1 | 2 | 3).skip(-1)") == ["1", "2", "3"])
        #expect(try texts("(1 | 2 | 3).skip(5)").isEmpty)
        #expect(try texts("(1 | 2 | 3).take(2)") == ["1", "2"])
        #expect(try texts("(1 | 2 | 3).take(0)").isEmpty)
        #expect(try texts("(1 | 2 | 3).take(10)") == ["1", "2", "3"])
        #expect(try texts("{}.first() | {}.tail()").isEmpty)
        #expect(try texts("5.single()") == ["5"])
        #expect(errorKind("(1 | 2).single()") == .execution)
        #expect(errorKind("(1 | 2).take('a')") == .execution)
    }

    @Test func intersectAndExclude() throws {
        #expect(try texts("(1 | 2 | 3).intersect(3 | 1 | 7)") == ["1", "3"])
        #expect(try texts("1.combine(1).intersect(1)") == ["1"])
        #expect(try texts("(1 | 2).intersect({})").isEmpty)
        #expect(try texts("1.combine(1).combine(2).exclude(2)") == ["1", "1"])
        #expect(try texts("(1 | 2).exclude({})") == ["1", "2"])
        #expect(try texts("name.given.exclude('Ann')", on: patient) == ["Bo", "Annie", "Bo"])
    }

    @Test func unionAndCombine() throws {
        #expect(try texts("(1 | 2).union(2 | 3)") == ["1", "2", "3"])
        #expect(try texts("1.combine(1).union({})") == ["1"])
        #expect(try texts("(1 | 2).combine(2)") == ["1", "2", "2"])
        #expect(try texts("{}.combine({})").isEmpty)
        // The argument is evaluated against the outer `$this`, not the input.
        #expect(try texts("name.given.combine(name.family).count()", on: patient) == ["7"])
    }

    @Test func aggregate() throws {
        #expect(try texts("(1 | 2 | 3 | 4).aggregate($this + $total, 0)") == ["10"])
        #expect(try texts("(1 | 2 | 3 | 4).aggregate($total + $index, 100)") == ["106"])
        #expect(try texts("(3 | 1 | 2).aggregate(iif($total.empty() or $this < $total, $this, $total))") == ["1"])
        #expect(try texts("{}.aggregate($this + $total, 7)") == ["7"])
    }

    @Test func childrenAndDescendants() throws {
        #expect(try texts("Questionnaire.children().count()", on: questionnaire) == ["3"])
        #expect(try texts("Questionnaire.item.first().children().count()", on: questionnaire) == ["4"])
        #expect(try texts("Questionnaire.item.first().children().linkId", on: questionnaire) == ["1.1", "1.2"])
        #expect(
            try texts("Questionnaire.descendants().linkId", on: questionnaire) == ["1", "1.1", "1.2", "1.2.1", "2"])
        #expect(try texts("'x'.children() | 'x'.descendants()").isEmpty)
    }

    @Test func typeTests() throws {
        #expect(try texts("gender.is(code) | gender.is(string)", on: patient) == ["true"])
        #expect(try texts("gender.is(id)", on: patient) == ["false"])
        #expect(try texts("gender.as(code)", on: patient) == ["female"])
        // A FHIR primitive casts only to its own type.
        #expect(try texts("gender.as(string)", on: patient).isEmpty)
        #expect(try texts("name.ofType(HumanName).count()", on: patient) == ["3"])
        #expect(try texts("(1 | 'a' | 2.5).ofType(Integer)") == ["1"])
        #expect(try texts("(1 | 'a' | 2.5).ofType(System.String)") == ["a"])
        #expect(try texts("{}.is(Integer)").isEmpty)
        #expect(errorKind("name.as(HumanName)", on: patient) == .execution)
        #expect(errorKind("name.is(HumanName)", on: patient) == .execution)
        #expect(errorKind("gender.ofType(string1)", on: patient) == .execution)
        #expect(errorKind("{}.ofType(NoSuchType)") == .execution)
    }

    @Test func typeReflection() throws {
        #expect(try texts("1.type().namespace | 1.type().name") == ["System", "Integer"])
        #expect(try texts("'a'.type().name") == ["String"])
        #expect(try texts("active.type().namespace | active.type().name", on: patient) == ["FHIR", "boolean"])
        #expect(
            try texts("Patient.type().name | Patient.type().baseType", on: patient) == [
                "Patient", "FHIR.DomainResource",
            ])
        #expect(try texts("(1 | 'a').type().name") == ["Integer", "String"])
    }
}

import FHIRModel
import Testing

@testable import FHIRValidation

/// The boolean subset of FHIRPath that invariants are evaluated in without the engine
/// (``InvariantLogic``): what it accepts, and its answers on small trees. (Its agreement with
/// FHIRPath on the official examples is `InvariantPatternEquivalenceTests`.)
struct InvariantLogicTests {
    @Test func parsesTheCoreShapes() {
        #expect(
            InvariantLogic.parse("chain.empty() or type = 'reference'")
                == .or(.empty(["chain"]), .equals(["type"], .string("reference"), negated: false)))
        #expect(
            InvariantLogic.parse("fixed.empty() or (type.count()  <= 1)")
                == .or(.empty(["fixed"]), .count(["type"], .lessOrEqual, 1)))
        #expect(
            InvariantLogic.parse("(isModifier.exists() and isModifier) implies isModifierReason.exists()")
                == .implies(.and(.exists(["isModifier"]), .path(["isModifier"])), .exists(["isModifierReason"])))
        #expect(
            InvariantLogic.parse("(code='Reference' or code = 'canonical') or targetProfile.empty()")
                == .or(
                    .or(
                        .equals(["code"], .string("Reference"), negated: false),
                        .equals(["code"], .string("canonical"), negated: false)),
                    .empty(["targetProfile"])))
        #expect(
            InvariantLogic.parse("abstract = true or baseDefinition.exists()")
                == .or(.equals(["abstract"], .boolean(true), negated: false), .exists(["baseDefinition"])))
        #expect(
            InvariantLogic.parse("type = 'document' implies (timestamp.hasValue())")
                == .implies(.equals(["type"], .string("document"), negated: false), .hasValue(["timestamp"])))
        #expect(
            InvariantLogic.parse("start.hasValue().not() or a xor b.exists()")
                == .xor(.or(.not(.hasValue(["start"])), .path(["a"])), .exists(["b"])))
    }

    @Test func nameRuleIsNative() {
        #expect(
            InvariantLogic.parse("name.matches('[A-Z]([A-Za-z0-9_]){0,254}')")
                == .matches(["name"], .capitalLetter))
        // Any other pattern is left to the regex engine.
        #expect(InvariantLogic.parse("name.matches('[A-Z]+')") == nil)
        #expect(InvariantLogic.parse("name.matches('[A-Z]([A-Za-z0-9_]){0,254}', 1)") == nil)
        let rule = "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')"
        #expect(Self.outcome(rule, Self.node([Self.string("name", "lower_Case")])) == .pass)
        #expect(Self.outcome(rule, Self.node([Self.string("name", "lower_case")])) == .fail)
        #expect(Self.outcome(rule, Self.node([Self.string("name", "\u{C9}t\u{E9}")])) == .fail)
        #expect(Self.outcome(rule, Self.node([])) == .pass)
        #expect(Self.outcome(rule, Self.node([Self.string("name", nil)])) == .pass)
        let two = Self.node([Self.string("name", "A", list: true), Self.string("name", "B", list: true)])
        #expect(Self.outcome(rule, two) == .undecided)
        let number = Self.node([.primitive("name", type: "integer", value: "1")])
        #expect(Self.outcome(rule, number) == .undecided)
    }

    @Test func distinctStrings() {
        #expect(InvariantLogic.parse("type.select(code).isDistinct()") == .isDistinct(["type", "code"]))
        #expect(InvariantLogic.parse("constraint.key.isDistinct()") == .isDistinct(["constraint", "key"]))
        #expect(InvariantLogic.parse("type.select(code.a).isDistinct()") == nil)
        // `select(name)` navigates: any function may follow it.
        #expect(InvariantLogic.parse("type.select(code).exists()") == .exists(["type", "code"]))
        #expect(InvariantLogic.parse("type.select(code = 'x').isDistinct()") == nil)
        func item(_ code: String?) -> ElementNode {
            ElementNode(
                name: "type", typeName: "BackboneElement", children: [Self.string("code", code)], flags: .listItem)
        }
        let rule = "type.select(code).isDistinct()"
        #expect(Self.outcome(rule, Self.node([item("a"), item("b")])) == .pass)
        #expect(Self.outcome(rule, Self.node([item("a"), item("a")])) == .fail)
        // Items without a value equal nothing, not even each other.
        #expect(Self.outcome(rule, Self.node([item(nil), item(nil)])) == .pass)
        #expect(Self.outcome(rule, Self.node([])) == .pass)
        let numbers = Self.node([.primitive("n", type: "integer", value: "1")])
        #expect(Self.outcome("n.isDistinct()", numbers) == .undecided)
    }

    @Test func leavesTheRestToFHIRPath() {
        for expression in [
            "active", "a.b", "Patient.name.exists()", "%resource.a.exists()", "$this = '*'", "empty() or a.exists()",
            "a.where(b).exists()", "a = 'it\\'s'", "a.count()", "a.count() = 1 = true", "a < 'x'", "a = 1",
            "a.exists() = true", "'x' = a", "a.b.c.matches('x')", "duration >= 0", "a = 1.5", "a = 5 'mg'",
            "a and", "(a.exists()", "a.exists())", "a | b", "a.`b`.exists()", "a.not().exists()", "a != b",
            "a.count().not()", "implies.exists()", "a.exists() or -1 > a.count()",
        ] {
            #expect(InvariantLogic.parse(expression) == nil, "\(expression)")
        }
    }

    static func node(_ children: [ElementNode]) -> ElementNode {
        ElementNode(name: "root", typeName: "BackboneElement", children: children)
    }

    static func string(_ name: String, _ value: String?, list: Bool = false) -> ElementNode {
        .primitive(name, type: "string", value: value, listItem: list)
    }

    static func outcome(_ expression: String, _ node: ElementNode) -> NativeInvariant.Outcome? {
        InvariantLogic.parse(expression)?.evaluate(node)
    }

    @Test func equalityFollowsFHIRPath() {
        let one = Self.node([Self.string("type", "reference")])
        let other = Self.node([Self.string("type", "token")])
        let two = Self.node([Self.string("type", "reference", list: true), Self.string("type", "x", list: true)])
        let none = Self.node([])
        let noValue = Self.node([Self.string("type", nil)])
        #expect(Self.outcome("type = 'reference'", one) == .pass)
        #expect(Self.outcome("type = 'reference'", other) == .fail)
        // Several items against one literal: the counts differ, so `=` is false.
        #expect(Self.outcome("type = 'reference'", two) == .fail)
        #expect(Self.outcome("type != 'reference'", two) == .pass)
        // Empty (no element, or an element without a value): empty, which passes.
        #expect(Self.outcome("type = 'reference'", none) == .pass)
        #expect(Self.outcome("type = 'reference'", noValue) == .pass)
        #expect(Self.outcome("(type = 'reference').not()", none) == .pass)
        // A string is never equal to a boolean.
        #expect(Self.outcome("type = true", one) == .fail)
    }

    @Test func logicIsThreeValued() {
        let flag = Self.node([.primitive("flag", type: "boolean", value: "false")])
        let on = Self.node([.primitive("flag", type: "boolean", value: "true")])
        let none = Self.node([])
        #expect(Self.outcome("flag implies other.exists()", flag) == .pass)
        #expect(Self.outcome("flag implies other.exists()", on) == .fail)
        #expect(Self.outcome("flag implies other.exists()", none) == .pass)
        #expect(Self.outcome("flag or other.exists()", none) == .pass)  // empty or false: empty
        #expect(Self.outcome("flag.exists() or other.exists()", none) == .fail)
        #expect(Self.outcome("flag and other.empty()", on) == .pass)
        #expect(Self.outcome("flag and other.empty()", flag) == .fail)
        #expect(Self.outcome("flag xor other.exists()", on) == .pass)
        #expect(Self.outcome("flag xor other.exists()", none) == .pass)  // empty xor: empty
        #expect(Self.outcome("flag.not()", flag) == .pass)
        #expect(Self.outcome("a.count() <= 1", none) == .pass)
        #expect(Self.outcome("a.count() > 0", none) == .fail)
        #expect(Self.outcome("flag.hasValue()", flag) == .pass)
        #expect(Self.outcome("flag.hasValue()", none) == .fail)
    }

    @Test func leavesCollectionsUsedAsBooleansUndecided() {
        let two = Self.node([
            .primitive("flag", type: "boolean", value: "true", listItem: true),
            .primitive("flag", type: "boolean", value: "true", listItem: true),
        ])
        #expect(Self.outcome("flag or a.exists()", two) == .undecided)
        #expect(Self.outcome("flag.not()", two) == .undecided)
        // Short-circuited as FHIRPath does: the right side is not looked at.
        #expect(Self.outcome("a.exists() and flag", two) == .fail)
    }
}

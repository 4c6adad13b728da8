/// Invariants whose expression as published in R4 contradicts its own description, with the
/// correction HL7 published later: evaluated in corrected form (only when the expression is
/// exactly the published one, so a profile's own rule is never rewritten).
enum InvariantErrata {
    static let corrections: [String: (published: String, corrected: String)] = [
        // "If there are more than one enableWhen, enableBehavior must be specified": R4 wrote
        // `> 2`; R4B/R5 use `> 1`.
        "que-12": (
            "enableWhen.count() > 2 implies enableBehavior.exists()",
            "enableWhen.count() > 1 implies enableBehavior.exists()"
        )
    ]

    /// The expression to evaluate for an invariant.
    static func expression(key: String, published: String) -> String {
        guard let fix = corrections[key], fix.published == published else { return published }
        return fix.corrected
    }
}

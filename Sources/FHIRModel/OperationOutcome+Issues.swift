extension ElementNode {
    /// Builds an `OperationOutcome` resource from issues. Each issue carries our stable code in
    /// `details.coding`, the message in `details.text` and `diagnostics`, the FHIRPath location in
    /// `expression`, and line/column (when known) in the standard `operationoutcome-issue-line`/
    /// `-col` extensions.
    public static func operationOutcome(_ issues: [Issue]) -> ElementNode {
        var out = ElementNode.resource("OperationOutcome")
        let list = issues.isEmpty ? [Issue(.information, "OK", "No issues found.")] : issues
        for issue in list {
            var node = ElementNode(name: "issue", typeName: "BackboneElement", flags: .listItem)
            if let pos = issue.position, pos.isKnown {
                node.children.append(lineColExtension("line", Int(pos.line)))
                node.children.append(lineColExtension("col", Int(pos.column)))
            }
            node.children.append(.primitive("severity", type: "code", value: issue.severity.rawValue))
            node.children.append(.primitive("code", type: "code", value: issue.code.issueType))
            let coding = ElementNode(
                name: "coding", typeName: "Coding",
                children: [
                    .primitive("system", type: "uri", value: "https://fhirgate.dev/CodeSystem/issue-code"),
                    .primitive("code", type: "code", value: issue.code.rawValue),
                ], flags: .listItem)
            node.children.append(
                ElementNode(
                    name: "details", typeName: "CodeableConcept",
                    children: [coding, .primitive("text", type: "string", value: issue.message)]))
            var diagnostics = issue.message
            if let file = issue.file { diagnostics = file + ": " + diagnostics }
            node.children.append(.primitive("diagnostics", type: "string", value: diagnostics))
            if let path = issue.path {
                node.children.append(.primitive("expression", type: "string", value: path, listItem: true))
            }
            out.children.append(node)
        }
        return out
    }

    private static func lineColExtension(_ which: String, _ value: Int) -> ElementNode {
        ElementNode(
            name: "extension", typeName: "Extension",
            children: [
                .primitive(
                    "url", type: "uri", value: "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-\(which)"
                ),
                ElementNode(name: "value", typeName: "integer", value: String(value), flags: [.primitive, .choice]),
            ], flags: .listItem)
    }
}

import FHIRModel

/// Answer values against their item: type, answer options, answer value set, maxLength.
extension QuestionnaireResponseRun {
    /// The `answer.value[x]` types an item type accepts. Choice items also take the types of
    /// their `answerOption`s (integer, date, time, string, Reference); open-choice also free text.
    static func allowedTypes(_ type: QuestionnaireItemType, options: [ElementNode]) -> Set<String>? {
        switch type {
        case .boolean: ["boolean"]
        case .decimal: ["decimal"]
        case .integer: ["integer"]
        case .date: ["date"]
        case .dateTime: ["dateTime"]
        case .time: ["time"]
        case .string, .text: ["string"]
        case .url: ["uri"]
        case .attachment: ["Attachment"]
        case .reference: ["Reference"]
        case .quantity: ["Quantity"]
        case .choice: Set(options.compactMap(\.typeName)).union(["Coding"])
        case .openChoice: Set(options.compactMap(\.typeName)).union(["Coding", "string"])
        case .group, .display: []
        // `question` is abstract in R4: nothing to compare with.
        case .question: nil
        }
    }

    mutating func checkAnswerValue(
        _ value: ElementNode, path: String, item: QuestionnaireItemDefinition, type: QuestionnaireItemType
    ) {
        guard let valueType = value.typeName, let allowed = Self.allowedTypes(type, options: item.answerOptions)
        else { return }
        guard allowed.contains(valueType) else {
            let list = allowed.sorted().joined(separator: ", ")
            issue(
                .error, .questionnaireAnswerType,
                "The answer to item '\(item.linkId)' (type \(type.rawValue)) is a \(valueType), but must be: \(list)",
                path: path, node: value)
            return
        }
        if type == .choice || type == .openChoice {
            checkOption(value, path: path, item: item, open: type == .openChoice)
        }
        if let maxLength = item.maxLength, valueType == "string" || valueType == "uri",
            let text = value.value, text.unicodeScalars.count > maxLength
        {
            issue(
                .error, .questionnaireMaxLength,
                "The answer to item '\(item.linkId)' is longer than its maxLength of \(maxLength) characters",
                path: path, node: value)
        }
    }

    /// A choice answer must be one of the options (of its type) or in the answer value set;
    /// for open-choice a coding outside them is a warning and free text is fine.
    private mutating func checkOption(_ value: ElementNode, path: String, item: QuestionnaireItemDefinition, open: Bool)
    {
        let valueType = value.typeName
        let sameType = item.answerOptions.filter { $0.typeName == valueType }
        let severity: Issue.Severity = open ? .warning : .error
        if !sameType.isEmpty {
            let found = sameType.contains { AnswerValueComparison.equal($0, value, lenientSystem: false) == true }
            if !found && !(open && valueType == "string") {
                issue(
                    severity, .questionnaireAnswerOption,
                    "The answer to item '\(item.linkId)' is not one of its answer options", path: path, node: value)
            }
            return
        }
        if valueType == "Coding", let valueSet = item.answerValueSet {
            guard let code = value.childValue("code") else { return }
            switch membership.contains(system: value.childValue("system"), code: code, in: valueSet) {
            case true?:
                break
            case false?:
                issue(
                    severity, .questionnaireAnswerOption,
                    "The code answering item '\(item.linkId)' is not in its answer value set '\(valueSet)'",
                    path: path, node: value)
            case nil:
                issue(
                    .information, .questionnaireAnswerNotChecked,
                    "The answer value set '\(valueSet)' of item '\(item.linkId)' cannot be expanded offline; the code was not checked",
                    path: path, node: value)
            }
            return
        }
        if !item.answerOptions.isEmpty && !(open && valueType == "string") {
            issue(
                severity, .questionnaireAnswerOption,
                "The answer to item '\(item.linkId)' is not one of its answer options", path: path, node: value)
        }
    }
}

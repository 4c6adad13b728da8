import FHIRModel

/// Issue codes of the QuestionnaireResponse and Questionnaire checks (`VAL-QUESTIONNAIRE-*`).
extension IssueCode {
    /// The response names no Questionnaire, or the one it names is not available: not checked.
    public static let questionnaireNotFound: IssueCode = "VAL-QUESTIONNAIRE-NOT-FOUND"
    /// An item's linkId is not in the Questionnaire, or not at that place.
    public static let questionnaireLinkId: IssueCode = "VAL-QUESTIONNAIRE-LINKID"
    /// Items are not in the Questionnaire's order.
    public static let questionnaireOrder: IssueCode = "VAL-QUESTIONNAIRE-ORDER"
    /// An answer's value type does not fit the item type.
    public static let questionnaireAnswerType: IssueCode = "VAL-QUESTIONNAIRE-ANSWER-TYPE"
    /// An answer is not one of the item's answer options or not in its answer value set.
    public static let questionnaireAnswerOption: IssueCode = "VAL-QUESTIONNAIRE-ANSWER-OPTION"
    /// An answer's value set cannot be expanded offline, so membership was not checked.
    public static let questionnaireAnswerNotChecked: IssueCode = "VAL-QUESTIONNAIRE-ANSWER-NOT-CHECKED"
    /// A required item has no answer.
    public static let questionnaireRequired: IssueCode = "VAL-QUESTIONNAIRE-REQUIRED"
    /// An item has answers although its enableWhen conditions disable it.
    public static let questionnaireDisabled: IssueCode = "VAL-QUESTIONNAIRE-DISABLED"
    /// A non-repeating item has more than one answer, or appears more than once.
    public static let questionnaireRepeats: IssueCode = "VAL-QUESTIONNAIRE-REPEATS"
    /// A group or display item has answers, or a display/question item has nested items of its own.
    public static let questionnaireStructure: IssueCode = "VAL-QUESTIONNAIRE-STRUCTURE"
    /// A string answer is longer than the item's maxLength.
    public static let questionnaireMaxLength: IssueCode = "VAL-QUESTIONNAIRE-MAX-LENGTH"
    /// An item's text differs from the Questionnaire's text for it.
    public static let questionnaireText: IssueCode = "VAL-QUESTIONNAIRE-TEXT"
    /// An enableWhen condition that cannot be evaluated, or (in a Questionnaire) that points nowhere.
    public static let questionnaireEnableWhen: IssueCode = "VAL-QUESTIONNAIRE-ENABLE-WHEN"
}

/// A write interaction a target may accept for a resource type (R4 `CapabilityStatement.rest.resource`).
public enum WriteInteraction: String, Sendable, CaseIterable {
    /// `POST Type` (interaction `create`).
    case create
    /// `PUT Type/id` (interaction `update`).
    case update
    /// `POST Type` with `If-None-Exist` (`create` and `conditionalCreate = true`).
    case conditionalCreate
    /// `PUT Type?search` (`update` and `conditionalUpdate = true`).
    case conditionalUpdate
}

/// How the sync engine writes resources of one type to one target.
public enum WriteMode: Sendable, Equatable {
    /// `PUT Type/id` with our deterministic id: the target does `update` with `updateCreate`.
    case put
    /// `POST Type` with `If-None-Exist: identifier=system|value`: the target creates and assigns
    /// its own ids, and honours conditional create.
    case conditionalCreate
    /// A plain `POST Type`: the target has no conditional create, so the engine looks the
    /// identifier up first.
    case create
    /// The target does not accept writes of this type: the content goes into a clinical note
    /// (``ClinicalNoteFallback``).
    case refused
}

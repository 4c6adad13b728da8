import FHIRDefinitions
import FHIRModel
import FHIRPath

/// What to check beyond the structure.
public struct ValidationOptions: Sendable {
    public var checkBindings: Bool
    public var checkInvariants: Bool
    /// Whether contained resources are checked. When false, they are neither validated as
    /// resources nor judged by their container's invariants over `contained` (dom-2 to dom-5, or
    /// a profile's rules written on `contained`); references to them still resolve.
    public var checkContained: Bool
    /// Profiles every resource is validated against, besides its type and `meta.profile`.
    public var profiles: [String]
    /// How far references that leave the input are checked (see ``ReferenceCheckLevel``).
    public var referenceCheck: ReferenceCheckLevel = .syntax
    /// Local resources such references resolve to (files, folders of instances); nil: none.
    public var referenceResources: ReferenceResources?
    /// `Type/id` of the resources whose validation led to this one through references (level
    /// `valid`), outermost first: a reference back into the chain is taken as conforming.
    var referenceChain: [String] = []
    /// Raw HTML in `markdown` values: not checked (the default), or reported as a warning or an
    /// error (`fhirgate validate --no-html-in-markdown`).
    public var htmlInMarkdown: MarkdownHTMLPolicy = .ignore

    public init(
        checkBindings: Bool = true, checkInvariants: Bool = true, checkContained: Bool = true, profiles: [String] = []
    ) {
        self.checkBindings = checkBindings
        self.checkInvariants = checkInvariants
        self.checkContained = checkContained
        self.profiles = profiles
    }
}

/// Validates resource trees against their base definitions, their `meta.profile`s and the
/// profiles named in the options. Thread-safe: one validator serves every input.
public struct Validator: Sendable {
    public let context: ValidationContext
    public let options: ValidationOptions

    public init(context: ValidationContext, options: ValidationOptions = .init()) {
        self.context = context
        self.options = options
    }

    /// Validates one resource (a Bundle's entries and contained resources included).
    /// `profiles` are added to the options' profiles for this resource.
    public func validate(_ resource: ElementNode, profiles: [String] = []) -> [Issue] {
        var walker = ResourceWalker(validator: self)
        walker.validateRoot(resource, extraProfiles: options.profiles + profiles)
        return walker.issues
    }
}

extension Validator {
    /// Whether a resource or element conforms to the profile with this URL (no error-level
    /// findings); `nil` when the profile is unknown. Slicing by profile and `conformsTo()` use it.
    public func conforms(_ node: FHIRPathNode, to url: String) -> Bool? {
        guard let profile = context.profiles.profile(url: url) else { return nil }
        var walker = ResourceWalker(validator: self)
        let element = node.element
        if element.isResource, let type = element.typeName {
            walker.validateResource(element, parentScope: node.scope?.parent, path: type, extraProfiles: [url])
        } else {
            walker.validate(element, scope: node.scope, profile: profile, index: 0, path: ElementPath(profile.type))
        }
        return !walker.issues.contains { $0.severity <= .error }
    }
}

/// `conformsTo()` in invariants, answered by the validator.
struct ValidatorProfileChecker: FHIRPathProfileChecker {
    let validator: Validator

    func conforms(_ node: FHIRPathNode, to profile: String) -> Bool? {
        validator.conforms(node, to: profile)
    }
}

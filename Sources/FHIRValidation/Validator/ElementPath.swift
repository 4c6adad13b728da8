/// Where an element is, as a FHIRPath location (`Patient.name[0].given`): the location of its
/// parent with the element's name and list index, joined into one string only when something
/// needs the text (an issue, a checker that reports). Most elements walked report nothing, and
/// building every location eagerly cost an allocation per element.
struct ElementPath {
    /// The parent's location, or the whole location when `name` is nil.
    let parent: String
    let name: String?
    /// The position among the parent's repeats of `name`, for a list item.
    let index: Int?

    /// A location given as text (a resource's own path).
    init(_ text: String) {
        parent = text
        name = nil
        index = nil
    }

    /// The child `name` (item `index` of a list) of the element at `parent`.
    init(parent: String, name: String, index: Int?) {
        self.parent = parent
        self.name = name
        self.index = index
    }

    /// The location as text: `parent.name` or `parent.name[index]`.
    var text: String {
        guard let name else { return parent }
        return ResourceWalker.joinedPath(parent, name, index: index)
    }
}

import FHIRModel

/// What ``JSONTreeBuilder/readMembers(of:isResource:at:)`` tracks for one object.
struct ObjectState {
    /// Where this object's segment starts in the builder's seen-bits scratch.
    var seenBase: Int
    /// Where this object's segment starts in the builder's choice-key scratch.
    var choiceBase: Int
    /// Unknown keys seen, for duplicate detection.
    var keys: KeyTracker
    /// The parent's placeholder flag, restored at the end.
    var savedPending: Bool
    var lastIndex = -1
    var needsSort = false
    var sawResourceType = false
    /// Choice elements already reported as conflicting (bit per element index, capped).
    var reportedConflicts = 0

    init(seenBase: Int, choiceBase: Int, keys: KeyTracker, savedPending: Bool) {
        self.seenBase = seenBase
        self.choiceBase = choiceBase
        self.keys = keys
        self.savedPending = savedPending
    }
}

/// The result of looking a key up in a type's table.
struct KeyLookup {
    var found: Int? = nil
    var underscore = false
    /// The key's bytes in the input (plain keys that were not found), for the unknown path.
    var start = 0
    var end = 0
    /// The decoded key (escaped or non-ASCII keys).
    var text: String? = nil
}

/// The rare paths of reading typed objects, kept out of the hot loop's frame.
extension JSONTreeBuilder {
    /// Reads a key with escapes or non-ASCII bytes and looks it up.
    @inline(never)
    mutating func lookUpEscapedKey(in type: KeyTable) throws(JSONFailure) -> KeyLookup {
        var result = KeyLookup()
        var key = try readString()
        let underscore = key.utf8.first == 0x5F
        result.underscore = underscore
        result.found = key.withUTF8 { all in
            let bytes = underscore ? UnsafeBufferPointer(rebasing: all.dropFirst()) : all
            return type.lookup(bytes, hash: CompiledType.hash(bytes))
        }
        result.text = key
        return result
    }

    @inline(never)
    func duplicateKey(_ name: String, underscore: Bool, at position: SourcePosition) -> JSONFailure {
        JSONFailure(.jsonDuplicateKey, "duplicate property '\(underscore ? "_" : "")\(name)'", position: position)
    }

    /// The JSON name of an entry (`valueString`), for messages.
    func wireName(_ entry: WireEntry) -> String {
        guard entry.isChoice, let first = entry.typeCode.first else { return entry.name }
        return entry.name + first.uppercased() + entry.typeCode.dropFirst()
    }

    /// Records a choice key; throws on a duplicate, reports a second type as a conflict, and
    /// returns whether the other form (`valueString` / `_valueString`) was already read.
    @inline(never)
    mutating func noteChoiceKey(
        _ entryIndex: Int, in type: KeyTable, underscore: Bool, at position: SourcePosition,
        _ state: inout ObjectState
    ) throws(JSONFailure) -> Bool {
        let entry = type.entry(entryIndex).pointee
        var otherSlotSeen = false
        var conflict = false
        for i in state.choiceBase..<choiceScratch.count where choiceScratch[i].element == entry.element {
            let other = choiceScratch[i]
            if Int(other.entry) == entryIndex {
                if other.underscore == underscore {
                    throw duplicateKey(wireName(entry), underscore: underscore, at: position)
                }
                otherSlotSeen = true
            } else {
                conflict = true
            }
        }
        let bit = 1 << min(Int(entry.element), 62)
        if conflict && state.reportedConflicts & bit == 0 {
            state.reportedConflicts |= bit
            pushPath(entry.name)
            report(.choiceConflict, "more than one type given for choice element '\(entry.name)[x]'", at: position)
            popPath()
        }
        choiceScratch.append(ChoiceKey(entry: Int32(entryIndex), element: entry.element, underscore: underscore))
        return otherSlotSeen
    }

    /// The `resourceType` member of a resource: its string was used by the pre-scan.
    @inline(never)
    mutating func readResourceTypeMember(at position: SourcePosition, _ state: inout ObjectState)
        throws(JSONFailure)
    {
        guard !state.sawResourceType else { throw duplicateKey("resourceType", underscore: false, at: position) }
        state.sawResourceType = true
        if s.peekNonSpace() == 0x22 {
            _ = try readString()  // validate the string
        } else {
            pushPath("resourceType")
            report(.jsonWrongType, "'resourceType' must be a string", at: s.position)
            try readUntypedMember(name: "resourceType", flags: .unknown, keyPosition: position)
            popPath()
        }
    }

    /// A key the type does not define: reported, then kept verbatim as an unknown subtree.
    @inline(never)
    mutating func readUnknownMember(
        _ key: KeyLookup, in type: KeyTable, at position: SourcePosition, _ state: inout ObjectState
    ) throws(JSONFailure) {
        let name: String
        if let text = key.text {
            name = text
        } else if let found = key.found {
            name = (key.underscore ? "_" : "") + wireName(type.entry(found).pointee)
        } else {
            name = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[key.start..<key.end]), as: UTF8.self)
        }
        guard state.keys.insert(name, into: &keyScratch, sets: &keySets) else {
            throw JSONFailure(.jsonDuplicateKey, "duplicate property '\(name)'", position: position)
        }
        pushPath(name)
        report(.unknownElement, "unknown element '\(name)'", at: position)
        try readUntypedMember(name: name, flags: .unknown, keyPosition: position)
        popPath()
        state.lastIndex = Int.max
    }
}

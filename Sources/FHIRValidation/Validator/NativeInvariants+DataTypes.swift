import FHIRModel
import FHIRPath

/// Native forms of invariants of data types and resources that run often enough to matter
/// (Timing, Period, Observation). Several decide only the common case where the rule cannot
/// fail (the element it judges is absent) and leave the rest to FHIRPath.
extension NativeInvariant {
    /// tim-4 and tim-5: `name.exists() implies name >= 0`, for a decimal written without an
    /// exponent.
    static func nonNegativeDecimal(_ node: ElementNode, _ name: String) -> Outcome {
        let found = only(node, name)
        guard let item = found.first else { return .pass }
        guard found.count == 1, case .decimal? = systemValue(item), let lexeme = item.value else {
            return .undecided
        }
        let bytes = lexeme.utf8
        let plain = bytes.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
        guard plain else { return .undecided }
        guard bytes.first == UInt8(ascii: "-") else { return .pass }
        // Negative unless every digit is zero (`-0.0`).
        return bytes.contains { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") } ? .fail : .pass
    }

    /// tim-9: `offset.empty() or (when.exists() and ((when in ('C' | 'CM' | 'CD' | 'CV')).not()))`.
    static func offsetNotWithMeals(_ node: ElementNode) -> Outcome {
        guard only(node, "offset").count > 0 else { return .pass }
        switch singleString(node, "when") {
        case .absent?: return .fail
        case .text(let code)?: return ["C", "CM", "CD", "CV"].contains(code) ? .fail : .pass
        case nil: return .undecided
        }
    }

    /// per-1: `start.hasValue().not() or end.hasValue().not() or (start <= end)`: passes when
    /// either end has no value; the comparison of two dates is left to FHIRPath.
    static func periodOrdered(_ node: ElementNode) -> Outcome {
        func hasValue(_ name: String) -> Bool {
            let found = only(node, name)
            guard found.count == 1, let item = found.first else { return false }
            return item.isPrimitive && item.value != nil
        }
        return hasValue("start") && hasValue("end") ? .undecided : .pass
    }

    /// obs-7: `value.empty() or component.code.where(coding.intersect(%resource.code.coding)
    /// .exists()).empty()`: passes without a value or without components; the comparison of
    /// codings is left to FHIRPath.
    static func componentCodesDiffer(_ node: ElementNode) -> Outcome {
        only(node, "value").count == 0 || only(node, "component").count == 0 ? .pass : .undecided
    }
}

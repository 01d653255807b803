/// A value implemented in Swift by the host (models, datasets, tasks…). The interpreter only needs to know
/// its type name, its members (properties, and methods as `.function` values bound to it) and how to print it.
///
/// ```swift
/// final class Counter: NativeValue {
///     var count = 0
///     var typeName: String { "Counter" }
///     var memberNames: [String] { ["count"] }
///     func member(_ name: String) -> Value? { name == "count" ? .int(count) : nil }
///     var displayText: String { "Counter(\(count))" }
/// }
/// ```
public protocol NativeValue {
    /// The name used in messages (`value of type PolicyModel has no member 'fitt'`).
    var typeName: String { get }
    /// A property's value, or a method as a `.function` bound to this object; nil if there is no such member.
    func member(_ name: String) -> Value?
    /// All member names, for completion and "did you mean" suggestions.
    var memberNames: [String] { get }
    /// What `print` shows.
    var displayText: String { get }
    /// Whether two natives are the same object (used by `==`). Defaults to identity for classes, false otherwise.
    func isSame(as other: any NativeValue) -> Bool
}

extension NativeValue {
    public func isSame(as other: any NativeValue) -> Bool {
        guard type(of: self) is AnyClass, type(of: other) is AnyClass else { return false }
        return (self as AnyObject) === (other as AnyObject)
    }
}

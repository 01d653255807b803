/// A parameter type together with the typed value a body reads: `ArgumentType<Int>.int` admits integers (and
/// integral doubles) and hands the body an `Int`. The erased `type` — what the binder checks and help prints — is
/// derived from the same conversion, so what a body receives is exactly what its signature admits.
///
/// ```swift
/// let epochs = Param.labelled("epochs", .int, default: 10, in: .integer(1...100_000))
/// let n: Int = try epochs(args)
/// ```
public struct ArgumentType<Output>: Sendable {
    /// What a conversion found.
    public enum Conversion {
        /// The value, as the body reads it.
        case admitted(Output)
        /// Not admitted; nil uses the standard message (`must be an integer, got string`).
        case refused(String?)
    }

    /// Name, noun and check, as binding and help use them.
    public let type: ParameterType
    private let conversion: @Sendable (Value) -> Conversion

    /// A type named `name` (said `noun` in messages) whose values `convert` turns into `Output`.
    public init(_ name: String, noun: String? = nil, convert: @escaping @Sendable (Value) -> Conversion) {
        let noun = noun ?? ParameterType.article(name)
        self.conversion = convert
        self.type = ParameterType(name: name, noun: noun) { value in
            switch convert(value) {
            case .admitted: nil
            case .refused(let message): message ?? ParameterType.mismatch(noun, value)
            }
        }
    }

    /// A type admitting exactly the values `extract` finds an `Output` in.
    public init(_ name: String, noun: String? = nil, extract: @escaping @Sendable (Value) -> Output?) {
        self.init(name, noun: noun) { value in extract(value).map { .admitted($0) } ?? .refused(nil) }
    }

    /// The value as the body reads it, or the complaint.
    public func convert(_ value: Value) -> Conversion { conversion(value) }

    /// A native value of Swift type `T` (a host type, or a protocol a host type conforms to, for a capability).
    public static func native(_ name: String, noun: String? = nil, as _: Output.Type = Output.self) -> ArgumentType {
        ArgumentType(name, noun: noun) { value in
            if case .native(let native) = value { native as? Output } else { nil }
        }
    }
}

extension ArgumentType where Output == Int {
    /// An integer; a double with an integral value is accepted (`2.0`).
    public static var int: ArgumentType<Int> { ArgumentType("int", noun: "an integer") { $0.intValue } }
}

extension ArgumentType where Output == Double {
    /// A number (integers convert).
    public static var number: ArgumentType<Double> { ArgumentType("number") { $0.doubleValue } }
}

extension ArgumentType where Output == String {
    /// A string.
    public static var string: ArgumentType<String> { ArgumentType("string") { $0.stringValue } }
}

extension ArgumentType where Output == Bool {
    /// A bool.
    public static var bool: ArgumentType<Bool> { ArgumentType("bool") { $0.boolValue } }
}

extension ArgumentType where Output == [Value] {
    /// A list of any values.
    public static var list: ArgumentType<[Value]> { ArgumentType("list") { $0.listValue } }
}

extension ArgumentType where Output == [String] {
    /// A list whose elements are all strings.
    public static var strings: ArgumentType<[String]> {
        ArgumentType("list of strings", noun: "a list") { value in
            guard let elements = value.listValue else { return .refused(nil) }
            var strings: [String] = []
            for (i, element) in elements.enumerated() {
                guard let string = element.stringValue else {
                    return .refused("must hold strings; element \(i) is \(element.typeName)")
                }
                strings.append(string)
            }
            return .admitted(strings)
        }
    }
}

extension ArgumentType where Output == Record {
    /// A record.
    public static var record: ArgumentType<Record> { ArgumentType("record") { $0.recordValue } }
}

extension ArgumentType where Output == Function {
    /// A function value (built-in, method or `fn`).
    public static var function: ArgumentType<Function> {
        ArgumentType("function") { if case .function(let f) = $0 { f } else { nil } }
    }
}

extension ArgumentType where Output == Value {
    /// Any value, unchanged.
    public static var any: ArgumentType<Value> { ArgumentType(erasing: .any) }

    /// What any of `types` admits (`number | string`); the body receives the value and tells the cases apart.
    public static func union(_ types: ParameterType...) -> ArgumentType<Value> { ArgumentType(erasing: .union(types)) }

    /// The values `type` admits, unchanged.
    public init(erasing type: ParameterType) {
        self.init(type.name, noun: type.noun) { value in
            type.complaint(about: value).map { .refused($0) } ?? .admitted(value)
        }
    }
}

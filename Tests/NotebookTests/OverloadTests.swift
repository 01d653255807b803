import Testing

@testable import Language

/// Several signatures under one name: a call binds to the first overload that admits its arguments; when none does,
/// the error is that of the overload that admitted the most; `:help` lists each.
@Suite struct OverloadTests {
    static func registry() -> BuiltinRegistry {
        let registry = BuiltinRegistry()
        let radius = Param.positional("r", .number)
        let width = Param.positional("w", .number), height = Param.positional("h", .number)
        let whole = Param.positional("n", .int), name = Param.positional("shape", .string)
        registry.register(
            .overloaded([
                Builtin("area", [whole], doc: "A square of side n.") { args, _ in .string("square \(try whole(args))")
                },
                Builtin("area", [radius], doc: "A circle.") { args, _ in .string("circle \(try radius(args))") },
                Builtin("area", [width, height], doc: "A rectangle.") { args, _ in
                    .string("rectangle \(try width(args) * height(args))")
                },
                Builtin("area", [name], doc: "A named shape.") { args, _ in .string("named \(try name(args))") },
            ]))
        return registry
    }

    @Test(arguments: [
        ("print(area(2))", "square 2"),
        ("print(area(2.5))", "circle 2.5"),
        ("print(area(2, 3))", "rectangle 6.0"),
        ("print(area(\"unit\"))", "named unit"),
    ])
    func theFirstOverloadThatAdmitsTheArgumentsRuns(_ source: String, _ output: String) {
        let result = runProgram(source, interpreter: Interpreter(builtins: Self.registry()))
        #expect(result.errors == [])
        #expect(result.output == [output])
    }

    @Test(arguments: [
        ("area(true)", "area(): argument 'n' must be an integer, got bool"),
        ("area(2, \"x\")", "area(): argument 'h' must be a number, got string"),
        ("area(1, 2, 3)", "too many arguments to area(): expected 1 positional, got 3"),
    ])
    func whenNoneAdmitsTheClosestOverloadExplains(_ source: String, _ message: String) {
        #expect(runProgram(source, interpreter: Interpreter(builtins: Self.registry())).errors == [message])
    }

    @Test func helpListsEveryOverload() {
        #expect(
            Self.registry().help("area") == """
                area(_ n: int)
                    A square of side n.
                area(_ r: number)
                    A circle.
                area(_ w: number, _ h: number)
                    A rectangle.
                area(_ shape: string)
                    A named shape.
                """)
    }
}

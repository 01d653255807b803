import Language
/// A native whose binding the store keeps as JSON of its own choosing (the parameters and seed that rebuild it).
protocol BindingJSON {
    var bindingJSON: String { get }
}

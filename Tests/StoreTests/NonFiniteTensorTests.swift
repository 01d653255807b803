import Foundation
import Testing

@testable import Store

/// The store's last line of defence: a checkpoint tensor holding NaN or an infinity is refused, and the commit
/// writes nothing (NaN metrics stay legitimate: they are stored as NULL).
@Suite struct NonFiniteTensorTests {
    @Test(arguments: [(Float.nan, "NaN"), (Float.infinity, "inf"), (-Float.infinity, "-inf")])
    func aCheckpointHoldingANonFiniteValueIsRefused(_ bad: Float, _ shown: String) throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            let before = try tableCounts(store)
            var broken = policy(offset: 1)
            let index = try #require(broken.tensors.firstIndex { $0.name == "fc2.weight" })
            broken.tensors[index].values[3] = bad
            let error = storeError { _ = try store.commit(run: run, commit(2, [("policy", .checkpoint(broken))])) }
            #expect(
                error?.description == "cannot store tensor 'fc2.weight' of 'policy': value 3 is \(shown); "
                    + "a model holding non-finite numbers is never committed")
            #expect(try tableCounts(store) == before)
        }
    }
}

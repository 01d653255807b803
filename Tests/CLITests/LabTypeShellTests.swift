import Foundation
import Testing

/// The lab types in the interactive shell: `:help TYPE` prints the members table, Tab after `x.` completes a member.
@Suite(.serialized) struct LabTypeShellTests {
    @Test func helpPrintsATypesMembersAndTabCompletesThemAfterADot() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let shell = try PseudoTerminal(arguments: ["--store", cli.store], home: cli.folder.path)
        #expect(shell.waitFor("rlhf[1]> "))
        #expect(shell.enter(":help Preferences", expecting: ".disagreement  float"))
        #expect(shell.enter(":help SamplingPolicy", expecting: #"stored as a checkpoint of kind "sampling_policy""#))
        #expect(shell.enter(":help Preferencs", expecting: "did you mean 'Preferences'?"))
        #expect(shell.enter("policy = PolicyModel(input: 2, hidden: 2, output: 2)", expecting: "✓ commit"))
        var mark = shell.mark
        shell.type("print(policy.trai\t")
        #expect(shell.waitFor("policy.trained_steps", after: mark))
        mark = shell.mark
        shell.type(")")
        #expect(shell.enter("", expecting: "\n0\n"))
        shell.type("\u{4}")
        #expect(shell.waitForExit() == 0)
    }
}

import Models

/// Text preference pairs as the token sequences a text reward model reads: each side is the prompt's tokens followed
/// by its continuation's ids (`tokenizer.encode(text.prompt) + chosen` and `+ rejected`; a pair imported without ids
/// has its continuations' words encoded too).
///
/// Every sequence of a dataset must have the same length, so a batch of them is one rectangular [rows, time] block
/// and the reward model's head reads the same position in every row; `TextTask` makes its prompts and continuations
/// of fixed lengths for this reason.
struct TextPreferenceSequences {
    /// Tokens per sequence (prompt plus continuation).
    let time: Int
    let chosen: [[Int]]
    let rejected: [[Int]]

    var count: Int { chosen.count }

    /// Reads every row of `data`; `function` names the built-in in error messages. Refuses an empty dataset, a row
    /// without text, a prompt character outside `tokenizer`, a continuation id that is not one of its tokens, rows of
    /// different lengths and sequences longer than `context`.
    init(_ data: PreferenceDataset, tokenizer: CharTokenizer, context: Int, function: String) throws {
        guard data.count > 0 else {
            throw AlignmentError.emptyDataset("\(function) needs at least one preference pair; the dataset is empty")
        }
        var chosen: [[Int]] = [], rejected: [[Int]] = []
        chosen.reserveCapacity(data.count)
        rejected.reserveCapacity(data.count)
        for row in data.rows {
            guard let text = row.text else {
                throw AlignmentError.shapeMismatch(
                    "\(function): preference \(row.uid) holds response vectors, not text; a text reward model reads "
                        + "text preferences (collected on a TextTask)")
            }
            let prompt: [Int]
            do { prompt = try tokenizer.encode(text.prompt) } catch {
                throw AlignmentError.shapeMismatch(
                    "\(function): the prompt of preference \(row.uid) does not fit the reward model's vocabulary: "
                        + "\(error)")
            }
            let continuations = try row.continuationTokens(tokenizer, function: function)
            chosen.append(prompt + (try Self.ids(continuations.chosen, uid: row.uid, tokenizer: tokenizer, function)))
            rejected.append(
                prompt + (try Self.ids(continuations.rejected, uid: row.uid, tokenizer: tokenizer, function)))
        }
        let time = chosen[0].count
        for (row, (c, r)) in zip(data.rows, zip(chosen, rejected)) where c.count != time || r.count != time {
            throw AlignmentError.shapeMismatch(
                "\(function): preference \(row.uid) has sequences of \(c.count) and \(r.count) tokens (prompt + "
                    + "continuation) but preference \(data.rows[0].uid) has \(time); a text reward model reads pairs "
                    + "of one length")
        }
        guard time <= context else {
            throw AlignmentError.shapeMismatch(
                "\(function): the preferences' sequences have \(time) tokens (prompt + continuation) but the reward "
                    + "model's context is \(context)")
        }
        self.time = time
        self.chosen = chosen
        self.rejected = rejected
    }

    /// A continuation's token ids, stored as Floats, checked to be whole numbers in `0..<tokenizer.count`.
    private static func ids(_ values: [Float], uid: Int64, tokenizer: CharTokenizer, _ function: String) throws -> [Int]
    {
        try values.map { value in
            guard value >= 0, value < Float(tokenizer.count), value == value.rounded() else {
                throw AlignmentError.shapeMismatch(
                    "\(function): preference \(uid) holds token id \(value), outside the reward model's vocabulary of "
                        + "\(tokenizer.count)")
            }
            return Int(value)
        }
    }

    /// The sequences of rows `indices` as one [2n·time] block: their rejected sequences, then their chosen ones.
    func stacked(_ indices: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(2 * indices.count * time)
        for i in indices { out += rejected[i] }
        for i in indices { out += chosen[i] }
        return out
    }
}

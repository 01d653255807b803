import Alignment
import Language

/// A text corpus bound to a name: the file it was read from, the SHA-256 of its bytes, and the text split into
/// training and validation tokens. A value: `c2 = corpus` copies it.
struct CorpusValue: LabValue {
    var corpus: Corpus
    /// The resolved path (`TextFile`), as stored.
    var path: String
    var sha256: String

    var labType: any LabType.Type { CorpusType.self }

    /// Reads the UTF-8 file at the resolved `path` and splits it.
    init(path: String, split: Double) throws {
        let file = try TextFile(path: path)
        self.init(file: file, corpus: try Corpus(text: file.text, split: split))
    }

    init(file: TextFile, corpus: Corpus) {
        self.corpus = corpus
        path = file.path
        sha256 = file.sha256
    }

    var displayText: String {
        "Corpus(\(path): \(corpus.tokens.count) characters, \(corpus.tokenizer.count) distinct; "
            + "train \(corpus.trainCount), validation \(corpus.tokens.count - corpus.trainCount))"
    }
}

/// `Corpus`: a UTF-8 text file, tokenized one character (Unicode scalar) per token, split into a training and a
/// validation half. Stored as its path, the SHA-256 of its bytes and the split: restoring it (resume, `load`) reads
/// the file again and refuses one whose bytes changed.
enum CorpusType: BindingLabType {
    static let id = LabTypeID.corpus
    static let summary =
        "a UTF-8 text file, one token per character, split into training and validation halves; GPT(vocab:) and "
        + "pretrain read it"

    static var members: [LabMember<CorpusValue>] {
        [
            LabMember("file", "string", "the file's path, resolved against the notebook's folder") {
                .string($0.path)
            },
            LabMember("sha256", "string", "SHA-256 of the file's bytes, checked whenever the corpus is restored") {
                .string($0.sha256)
            },
            LabMember("characters", "int", "length of the text in characters (Unicode scalars), i.e. tokens") {
                .int($0.corpus.tokens.count)
            },
            LabMember("vocab", "int", "distinct characters: the vocabulary size of a GPT built from it") {
                .int($0.corpus.tokenizer.count)
            },
            LabMember("vocabulary", "string", "the distinct characters in token-id order") {
                .string($0.corpus.tokenizer.decode(Array(0..<$0.corpus.tokenizer.count)))
            },
            LabMember("split", "float", "fraction of the tokens in the training half") { .double($0.corpus.split) },
            LabMember("train_tokens", "int", "tokens in the training half (the first `split` of the text)") {
                .int($0.corpus.trainCount)
            },
            LabMember("val_tokens", "int", "tokens in the validation half (the rest)") {
                .int($0.corpus.tokens.count - $0.corpus.trainCount)
            },
        ]
    }

    /// `{"$type":"Corpus","path":"data/tinyshakespeare.txt","sha256":"86c4…","split":0.9}`.
    struct Parameters: Codable, Equatable {
        var path: String
        var sha256: String
        var split: Double
    }

    static func parameters(of value: CorpusValue) -> Parameters {
        Parameters(path: value.path, sha256: value.sha256, split: value.corpus.split)
    }

    static func restore(_ p: Parameters) throws -> CorpusValue {
        let file = try TextFile(path: p.path)
        guard file.sha256 == p.sha256 else {
            throw TextFileError.changed(path: p.path, sha256: file.sha256, stored: p.sha256)
        }
        return CorpusValue(file: file, corpus: try Corpus(text: file.text, split: p.split))
    }
}

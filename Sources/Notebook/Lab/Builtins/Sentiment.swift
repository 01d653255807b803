import Language
import Sentiment

/// Sentiment of a text by VADER (Hutto & Gilbert 2014, vaderSentiment 3.3.2): the published model text tasks use as
/// their hidden gold reward, callable directly so a notebook can print what gold sees.
extension LabBuiltins {
    static func sentimentBuiltins(_ lab: LabState) -> [Builtin] {
        [vaderBuiltin(), vaderScoresBuiltin()]
    }

    /// One analyser for every call: `Vader` is a value without state, and its lexicon is parsed once per process.
    static let vader = Vader()

    static func vaderBuiltin() -> Builtin {
        let text = Param.positional("text", .string)
        return Builtin(
            "vader", [text],
            doc:
                "VADER's compound sentiment of text (vaderSentiment 3.3.2, rounded to 4 decimals as it does): −1 most negative, +1 most positive."
        ) { args, _ in
            .double(vader.compound(try text(args)))
        }
    }

    static func vaderScoresBuiltin() -> Builtin {
        let text = Param.positional("text", .string)
        return Builtin(
            "vader_scores", [text],
            doc:
                "VADER's polarity scores of text: the shares of negative, neutral and positive words (`neg`, `neu`, `pos`, each rounded to 3 decimals) and `compound`."
        ) { args, _ in
            let scores = vader.scores(try text(args))
            return .record(
                Record([
                    ("neg", .double(scores.neg)), ("neu", .double(scores.neu)), ("pos", .double(scores.pos)),
                    ("compound", .double(scores.compound)),
                ]))
        }
    }
}

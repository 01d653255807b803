// swift-tools-version: 6.1
import PackageDescription

/// The numeric modules are compiled with optimisation even in debug builds: unoptimised Swift is 5–20× slower at
/// tensor loops, which would make `swift run` and `swift test` crawl through the notebooks.
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
/// The C kernels likewise; and sqrt without errno, so their loops vectorise (sqrt is correctly rounded either way).
let optimizedCEvenInDebug: [CSetting] = [.unsafeFlags(["-O2"], .when(configuration: .debug)), .unsafeFlags(["-fno-math-errno"])]

let package = Package(
    name: "RLHFLab",
    // macOS 15 for Synchronization's Atomic (the cancel request a Ctrl-C or signal watcher sets).
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rlhf", targets: ["rlhf"]),
        .executable(name: "rlhf-bench", targets: ["rlhf-bench"]),
        .executable(name: "rlhf-fuzz", targets: ["rlhf-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `rlhf serve`'s HTTP server: small, no SwiftNIO, so a fresh clone's first build stays quick.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // Matrix-product and Adam kernels in C, with AVX-512 and AVX2 variants chosen at run time (same bits in each).
        .target(name: "CKernels", cSettings: optimizedCEvenInDebug),
        // Tensors, reverse-mode autograd over a closed op set, optimisers, seeded RNG.
        .target(name: "Engine", dependencies: ["CKernels"], swiftSettings: optimizedEvenInDebug),
        // Linear layers and the seed's policy and reward MLPs.
        .target(name: "Models", dependencies: ["Engine", "CKernels"], swiftSettings: optimizedEvenInDebug),
        // Tasks with a hidden gold reward, annotators, reward-model training, policy fine-tuning, evaluation.
        .target(
            name: "Alignment", dependencies: ["Engine", "Models", "Sentiment"], swiftSettings: optimizedEvenInDebug),
        // Sentiment models that judge text (VADER): the gold reward of text tasks. Depends on nothing.
        .target(name: "Sentiment", swiftSettings: optimizedEvenInDebug),
        // SQLite's process-wide options, set before the store opens its first connection (see its header).
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The versioned SQLite store: runs, cells, commits, content-addressed checkpoints, feedback, metrics.
        .target(
            name: "Store",
            dependencies: [
                "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The raw C API, for `rlhf query`'s authorizer and progress handler.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Hugging Face interop: safetensors files, and GPT-2 directories `transformers` loads (export and import).
        .target(
            name: "Interop", dependencies: ["Engine", "Models", "Store"], swiftSettings: optimizedEvenInDebug),
        // The cell language: cell files, lexer, parser, interpreter, values, the core built-ins and the way built-ins
        // declare their parameters. It depends on nothing, so the compiler keeps lab types out of it.
        .target(name: "Language"),
        // The lab: its value types, its built-ins and the session that runs cells and commits them to the store.
        .target(
            name: "Notebook",
            dependencies: ["Language", "Engine", "Models", "Alignment", "Sentiment", "Store", "Charts", "Interop"]),
        // The read-only web view of a store (`rlhf serve`): runs, run and compare pages, a JSON API, live updates; and
        // the HTML reports `rlhf report` writes.
        .target(
            name: "Web",
            dependencies: ["Store", "Charts", "Language", .product(name: "FlyingFox", package: "FlyingFox")]),
        // Line, bar, grouped-bar and box charts rendered as terminal text and standalone SVG; depends on nothing.
        .target(name: "Charts"),
        // libreadline, for the interactive shell.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .executableTarget(
            name: "rlhf",
            dependencies: [
                "Language", "Notebook", "Store", "Charts", "CReadline", "Interop", "Models", "Engine", "Web",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Workloads P1–P8 beside their peers: `swift run -c release rlhf-bench [--quick]`.
        .executableTarget(name: "rlhf-bench", dependencies: ["Engine", "Models", "Alignment", "Store", "Web"]),
        // libFuzzer target over the cell language (`scripts/fuzz.sh`); a plain build replays inputs: `rlhf-fuzz FILE…`.
        .executableTarget(name: "rlhf-fuzz", dependencies: ["Language"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Models", "CKernels"], exclude: ["Fixtures"]),
        .testTarget(name: "AlignmentTests", dependencies: ["Alignment"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "NotebookTests", dependencies: ["Language", "Notebook", "Store"], exclude: ["Golden"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["Store", "Interop", "Models", "Engine", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(name: "WebTests", dependencies: ["Web", "Store"]),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment"], exclude: ["Fixtures"]),
        .testTarget(name: "InteropTests", dependencies: ["Interop", "Models", "Engine", "Store"], exclude: ["Fixtures"]),
    ]
)

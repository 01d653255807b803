import Foundation
import Testing

/// `rlhf serve` run as users run it: the binary on a loopback port, every page and JSON route asked over HTTP.
@Suite struct ServeCLITests {
    /// gold = 10·kl + run_seed; the metric with markup in its name must come back escaped on every page.
    static let notebook = """
        # %% parameters
        kl = 0
        run_seed = 1
        # %% train
        log_metric("gold", 10 * kl + run_seed)
        log_metric("gold", 10 * kl + run_seed + 1)
        log_metric("<script>alert(1)</script>", 1)
        """

    /// A store with runs 1–3 of the notebook (kl=0 with seeds 1 and 2, kl=1 seed 1; run 3 named `wide`) and run 4
    /// the quickstart (checkpoints and datasets).
    static func store(_ cli: CLI) throws -> String {
        let nb = try cli.write("a<b>&c.rlhf", notebook)
        for (kl, seed, name) in [("0", "1", nil), ("0", "2", nil), ("1", "1", "wide")] as [(String, String, String?)] {
            let r = try cli.run(
                ["run", nb, "--param", "kl=\(kl)", "--param", "run_seed=\(seed)"] + (name.map { ["--name", $0] } ?? []))
            #expect(r.status == 0, "\(r.stderr)")
        }
        let quickstart = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("notebooks/quickstart.rlhf").path
        let q = try cli("run", quickstart)
        #expect(q.status == 0, "\(q.stderr)")
        return cli.store
    }

    static func json(_ body: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }

    @Test func everyPageAndRouteAnswersFromTheStore() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let server = try ServedStore(store: try Self.store(cli))
        defer { server.stop() }

        let runs = try server.get("/")
        #expect(runs.status == 200)
        #expect(runs.headers["content-type"] == "text/html; charset=utf-8")
        for id in 1...4 { #expect(runs.body.contains("<a href=\"/runs/\(id)\">\(id)</a>")) }
        #expect(runs.body.contains("a&lt;b&gt;&amp;c.rlhf"))
        #expect(runs.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!runs.body.contains("<script>alert"))
        #expect(runs.body.contains("<td>wide</td>"))
        #expect(runs.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        // HEAD: the GET answer's headers and length, no body.
        let head = try WebClient.request(port: server.port, method: "HEAD", target: "/")
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == String(runs.body.utf8.count))
        #expect(head.body.isEmpty)

        let run = try server.get("/runs/1")
        #expect(run.status == 200)
        #expect(run.body.contains("Run 1 · "))
        #expect(run.body.contains("data-live=\"1\""))
        #expect(!run.body.contains("<script>alert"))
        #expect(try server.get("/runs/wide").body.contains("Run 3 · "))

        // The quickstart's reward model: its versions link to pages with the tensor table and a diff.
        let quick = try server.get("/runs/4")
        #expect(quick.body.contains("href=\"/runs/4/versions/rm@2\""))
        #expect(quick.body.contains("href=\"/runs/4/versions/rm@2?diff=1\""))
        let version = try server.get("/runs/4/versions/rm@2?diff=1")
        #expect(version.status == 200)
        #expect(version.body.contains("<h2>Tensors</h2>"))
        #expect(version.body.contains("Diff: 4/rm@1 → 4/rm@2"))
        let dataset = try server.get("/runs/4/versions/prefs")
        #expect(dataset.status == 200)
        #expect(dataset.body.contains("<h2>Rows with blame</h2>"))

        // kl=0 has two seeds (gold 2 and 3 at the last step: mean 2.5), kl=1 one (12).
        let compare = try server.get("/compare?runs=1,2,wide&metric=gold")
        #expect(compare.status == 200)
        #expect(compare.body.contains("<td class=\"num\">2.5 ± "))
        #expect(compare.body.contains("<td class=\"num\">12</td>"))
        #expect(compare.body.contains("mean of 2: kl=0"))
        #expect(compare.body.contains("<svg"))

        let api = Self.json(try server.get("/api/runs").body) as? [[String: Any]] ?? []
        #expect(api.count == 4)
        #expect((api.first?["finalMetrics"] as? [String: Double])?["gold"] == 2)
        let series = Self.json(try server.get("/api/runs/3/metrics/gold").body) as? [String: Any] ?? [:]
        #expect(series["steps"] as? [Int] == [0, 1])
        #expect(series["values"] as? [Double] == [11, 12])
        let hostile = try server.get("/api/runs/1/metrics/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        #expect((Self.json(hostile.body) as? [String: Any])?["values"] as? [Double] == [1])
        let comparison = Self.json(try server.get("/api/compare?runs=1,2,3&metric=gold").body) as? [String: Any]
        let curves = (comparison?["curves"] as? [String: Any])?["gold"] as? [[String: Any]] ?? []
        #expect(curves.first?["means"] as? [Double] == [1.5, 2.5])

        // Every path the OpenAPI document lists answers, with its parameters filled in.
        let document = Self.json(try server.get("/api/openapi.json").body) as? [String: Any]
        let paths = (document?["paths"] as? [String: Any])?.keys.sorted() ?? []
        #expect(paths.count == 8)
        for path in paths {
            var target = path.replacingOccurrences(of: "{run}", with: "4").replacingOccurrences(
                of: "{name}", with: "rm.loss")
            target = target.replacingOccurrences(of: "{version}", with: "rm@1").replacingOccurrences(
                of: "{id}", with: "1")
            if target == "/api/compare" { target += "?runs=1,2" }
            let answer = try server.get(target)
            let expected = target == "/api/sweeps/1" ? 404 : 200  // the store has no sweep
            #expect(answer.status == expected, "\(target): \(answer.body.prefix(200))")
            #expect(answer.headers["content-type"] == "application/json")
        }

        // Bad requests say what was wrong, as a page or as JSON.
        let cases: [(String, Int, String)] = [
            ("/runs/99", 404, "unknown run '99'"), ("/api/runs/99", 404, "unknown run '99'"),
            ("/nope", 404, "no page at /nope"),
            ("/api/runs/x%3Cy", 400, "'x<y' is not a run id or name"),
            ("/runs/4/versions/rm@0", 400, "not a version number"),
            ("/runs/4/versions/zz@1", 404, "zz"), ("/compare?runs=1,,2", 400, "empty entry"),
            ("/compare?runs=1&sweep=1", 400, "not both"), ("/api/compare?runs=1&metric=nope", 400, "nope"),
            ("/api/sweeps/x", 400, "not a sweep id"), ("/api/runs/1/metrics/nope", 404, "no metric 'nope'"),
        ]
        for (target, status, text) in cases {
            let answer = try server.get(target)
            #expect(answer.status == status, "\(target)")
            let shown =
                target.hasPrefix("/api")
                ? answer.body
                : answer.body.replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&lt;", with: "<")
            #expect(shown.contains(text), "\(target): \(answer.body.prefix(300))")
        }
    }

    @Test func aTokenGuardsEveryRequest() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("nb.rlhf", Self.notebook)
        #expect(try cli("run", nb).status == 0)
        let server = try ServedStore(store: cli.store, arguments: ["--token", "s3cret-token"])
        defer { server.stop() }
        for target in ["/", "/api/runs", "/events", "/runs/1"] {
            #expect(try server.get(target).status == 401, "\(target)")
            #expect(try server.get(target, headers: ["Authorization": "Bearer wrong-token"]).status == 401)
        }
        #expect(try server.get("/api/runs", headers: ["Authorization": "Bearer s3cret-token"]).status == 200)
        let link = try server.get("/?token=s3cret-token")
        #expect(link.status == 200)
        #expect(link.headers["set-cookie"]?.hasPrefix("rlhf_token=s3cret-token; Path=/; HttpOnly") == true)
        #expect(try server.get("/runs/1", headers: ["Cookie": "a=b; rlhf_token=s3cret-token"]).status == 200)

        // Anything but loopback needs a token; bad ports and short tokens are refused before anything starts.
        for (arguments, message) in [
            (["--host", "0.0.0.0"], "--host 0.0.0.0 lets other machines in; give --token"),
            (["--port", "70000"], "--port 70000 is not a port"), (["--token", "short"], "at least 8 characters"),
        ] {
            let r = try cli.run(["serve"] + arguments)
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(r.stderr)")
        }
        let missing = try cli(
            "serve", "--port", "0", "--store", cli.folder.appendingPathComponent("none.sqlite").path, withStore: false)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: ") && missing.stderr.contains("none.sqlite"))
    }

    @Test func pagesHearOfEachCommitWhileARunWrites() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("nb.rlhf", Self.notebook)
        #expect(try cli("run", nb).status == 0)
        let server = try ServedStore(store: cli.store)
        defer { server.stop() }
        let fd = try WebClient.connect(port: server.port)
        defer { close(fd) }
        WebClient.send(fd, target: "/events", headers: [:])
        let hello = String(
            decoding: WebClient.read(fd, timeout: 10) { String(decoding: $0, as: UTF8.self).contains(": connected") },
            as: UTF8.self)
        #expect(hello.contains("content-type: text/event-stream") || hello.contains("Content-Type: text/event-stream"))
        #expect(hello.contains(": connected"))
        #expect(try cli("run", nb, "--param", "run_seed=5").status == 0)
        let events = String(
            decoding: WebClient.read(fd, timeout: 10) { String(decoding: $0, as: UTF8.self).contains("\"runs\":[2]") },
            as: UTF8.self)
        #expect(events.contains("event: commit\ndata: {\"runs\":[2]}"), "\(events)")
    }

    /// Chromium opens the runs page, chooses two runs and compares them, then watches a run that the shell is still
    /// writing: its chart gains the point of the next commit without the page being reloaded. Screenshots go to
    /// `$RLHF_SCREENSHOTS` when set.
    @Test(.enabled(if: Browser.available || ProcessInfo.processInfo.environment["RLHF_BROWSER_TESTS"] != nil))
    func aBrowserComparesTwoRunsAndWatchesALiveOne() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("nb.rlhf", Self.notebook)
        for seed in ["1", "2"] { #expect(try cli("run", nb, "--param", "run_seed=\(seed)").status == 0) }
        let server = try ServedStore(store: cli.store)
        defer { server.stop() }
        let browser = try Browser()
        defer { browser.quit() }
        let shots = ProcessInfo.processInfo.environment["RLHF_SCREENSHOTS"] ?? cli.folder.path
        let site = "http://127.0.0.1:\(server.port)"

        try browser.open(site + "/")
        #expect(try browser.wait("return document.getElementById('shown').textContent === '2 of 2 shown'"))
        try browser.screenshot(to: shots + "/web-runs.png")
        _ = try browser.run(
            "document.querySelector('input[value=\"2\"]').click(); document.querySelector('input[value=\"1\"]').click();"
                + "document.getElementById('compare').click()")
        #expect(
            try browser.wait("return location.pathname === '/compare' && document.querySelectorAll('svg').length > 0"))
        #expect(try browser.run("return location.search") as? String == "?runs=1,2")
        #expect(try browser.run("return document.title") as? String == "Compare · Runs 1, 2")
        #expect(
            try browser.run("return document.body.textContent.includes('mean of each group at each step')") as? Bool
                == true)
        try browser.screenshot(to: shots + "/web-compare.png")

        // A run still being written: the shell commits each line as a cell while it stays open.
        let shell = Process()
        shell.executableURL = CLI.executable
        shell.arguments = ["--store", cli.store]
        shell.currentDirectoryURL = cli.folder
        let input = Pipe()
        shell.standardInput = input
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        defer {
            try? input.fileHandleForWriting.close()
            shell.waitUntilExit()
        }
        func commit(_ line: String, count: Int) throws -> Bool {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if try cli.scalar("SELECT count(*) FROM commits WHERE run_id = 3") == "\(count)" { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        #expect(try commit(#"log_metric("live", 1)"#, count: 1))
        try browser.open(site + "/runs/3")
        #expect(try browser.wait("return document.body.textContent.includes('live · 1 points')"))
        #expect(try browser.wait("return document.getElementById('live-state').textContent === 'live'"))
        _ = try browser.run("window.sameDocument = 42")
        #expect(try commit(#"log_metric("live", 5)"#, count: 2))
        #expect(try browser.wait("return document.body.textContent.includes('live · 2 points')", timeout: 10))
        #expect(try browser.run("return window.sameDocument") as? Int == 42)
        _ = try browser.run("document.getElementById('metrics').scrollIntoView()")
        try browser.screenshot(to: shots + "/web-live.png")
    }
}

/// The OpenAPI 3.1 description of `/api/…` that `rlhf serve` publishes at `/api/openapi.json`. Tests request every
/// path it lists and check that every JSON route the server answers is listed here.
enum OpenAPIDocument {
    static let paths: [(path: String, summary: String, parameters: [String])] = [
        ("/api/runs", "Every run: its summary, tags, parameters and the final value of each metric.", ["all"]),
        ("/api/runs/{run}", "One run: its cells (source, output, status, timing), objects and versions.", ["run"]),
        (
            "/api/runs/{run}/metrics",
            "Each metric series of a run in brief: points, first and last step and value, range.", ["run"]
        ),
        (
            "/api/runs/{run}/metrics/{name}", "Every point of one metric series: steps and values in step order.",
            ["run", "name"]
        ),
        (
            "/api/runs/{run}/versions/{version}",
            "One version (NAME@N): a checkpoint's tensors or a dataset's rows with blame.", ["run", "version"]
        ),
        (
            "/api/compare",
            "Runs or a sweep compared: parameters that differ, final values as mean ± 95% interval, mean curves.",
            ["runs", "sweep", "metric"]
        ),
        ("/api/sweeps", "Every sweep: id, notebook, when it was created and how many runs it has.", []),
        ("/api/sweeps/{id}", "One sweep: its grid and its runs with their point, seed and status.", ["id"]),
    ]

    private static let parameterText: [String: String] = [
        "all":
            #"{"name":"all","in":"query","description":"1 to include runs marked deleted","schema":{"type":"string","enum":["1"]}}"#,
        "run": #"{"name":"run","in":"path","required":true,"description":"run id or name","schema":{"type":"string"}}"#,
        "name": #"{"name":"name","in":"path","required":true,"description":"metric name","schema":{"type":"string"}}"#,
        "version":
            #"{"name":"version","in":"path","required":true,"description":"OBJECT@N, or OBJECT for its latest version","schema":{"type":"string"}}"#,
        "runs":
            #"{"name":"runs","in":"query","description":"run ids or names, comma-separated","schema":{"type":"string"}}"#,
        "sweep":
            #"{"name":"sweep","in":"query","description":"sweep id (instead of runs)","schema":{"type":"integer"}}"#,
        "id": #"{"name":"id","in":"path","required":true,"description":"sweep id","schema":{"type":"integer"}}"#,
        "metric":
            #"{"name":"metric","in":"query","description":"a metric to compare (repeatable; all when absent)","schema":{"type":"string"}}"#,
    ]

    static let json: String = {
        let operations = paths.map { entry in
            let parameters = entry.parameters.compactMap { parameterText[$0] }.joined(separator: ",")
            return #""\#(entry.path)":{"get":{"summary":"\#(entry.summary)","parameters":[\#(parameters)],"#
                + #""responses":{"200":{"description":"JSON","content":{"application/json":{}}},"#
                + #""400":{"description":"a bad argument: {\"error\": \"…\"}"},"401":{"description":"token missing or wrong"},"#
                + #""404":{"description":"no such run, object, version, metric or sweep: {\"error\": \"…\"}"}}}}"#
        }
        return #"{"openapi":"3.1.0","info":{"title":"rlhf serve","version":"1","description":"#
            + #""Read-only JSON of an RLHF Lab store. Non-finite numbers are the strings nan, inf and -inf. "#
            + #"A server started with --token needs Authorization: Bearer TOKEN."},"#
            + #""components":{"securitySchemes":{"token":{"type":"http","scheme":"bearer"}}},"#
            + #""paths":{"# + operations.joined(separator: ",") + "}}"
    }()
}

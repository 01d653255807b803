import Charts

/// Where a page is shown, which decides what surrounds its content.
public enum PageFrame: Sendable, Equatable {
    /// A standalone file (`rlhf report`): no scripts, no links that leave the page.
    case report
    /// A page of `rlhf serve`: the top bar, links between pages, and — when `live` names a run id or `all` — the
    /// script that reloads the page's content when the store commits (fed by `/events`, no polling in the page).
    case web(live: String?)

    var isWeb: Bool { self != .report }

    /// Between `<body>` and the page's `<header>`.
    var bodyOpen: String {
        guard case .web(let live) = self else { return "" }
        let attribute = live.map { " data-live=\"\(xmlEscaped($0))\"" } ?? ""
        return """
            <nav class="top"><a href="/">Runs</a><a href="/compare">Compare</a><a href="/api">API</a>\
            <span class="live" id="live-state"></span></nav>
            <div id="page" data-live-region\(attribute)>

            """
    }

    /// Before `</body>`.
    var bodyClose: String {
        guard case .web(let live) = self else { return "" }
        return "</div>\n" + (live == nil ? "" : "<script>\(Self.liveScript)</script>\n")
    }

    /// Listens to `/events`; when a commit touches this page's run (or any run, for `all`), fetches the page again
    /// and swaps its content in place, keeping the scroll position. `rlhf:updated` lets a page's own script re-apply
    /// what the reader chose (sorting, filters, selections).
    static let liveScript = """
        (function(){var region=document.getElementById('page'),live=region&&region.dataset.live,state=document.getElementById('live-state');
        if(!live||!window.EventSource)return;var source=new EventSource('/events'),busy=false,again=false;
        function refresh(){if(busy){again=true;return}busy=true;fetch(location.href,{credentials:'same-origin'}).then(function(r){return r.text()}).then(function(text){
        var fresh=new DOMParser().parseFromString(text,'text/html').getElementById('page');var now=document.getElementById('page');
        if(fresh&&now){now.replaceWith(fresh);document.dispatchEvent(new Event('rlhf:updated'))}}).finally(function(){busy=false;if(again){again=false;refresh()}})}
        source.onopen=function(){state.textContent='live'};source.onerror=function(){state.textContent='reconnecting…'};
        source.addEventListener('commit',function(e){var d=JSON.parse(e.data);if(live==='all'||d.runs.indexOf(Number(live))>=0)refresh()})})();
        """
}

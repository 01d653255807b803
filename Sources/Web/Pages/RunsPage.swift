import Charts
import Foundation
import Store

/// The runs table: every run with its name, status, notebook, tags, parameters and each metric's final value as
/// columns; sortable by any column, filtered by any text, and runs chosen with their boxes go to the compare page.
struct RunsPage {
    let runs: [RunSummary]
    let finals: [Int64: [String: Double]]
    /// Parameter names in the order runs first give them, and each run's values by name.
    let parameterNames: [String]
    let parameters: [[String: String]]
    let metricNames: [String]

    init(store: LabStore, includingDeleted: Bool) throws {
        runs = try store.runs(includingDeleted: includingDeleted)
        finals = try store.finalMetrics(runs: runs.map(\.id))
        (parameterNames, parameters) = RunParameters.columns(runs.map(\.parameters))
        metricNames = Set(finals.values.flatMap(\.keys)).sorted()
    }

    var html: String {
        let frame = PageFrame.web(live: "all")
        var page = RunReport.pageHead(title: "Runs", frame: frame)
        page += "<p>\(runs.count) run\(runs.count == 1 ? "" : "s") in the store. Click a heading to sort; "
        page += "choose runs to overlay their curves.</p>\n</header>\n<main>\n"
        page += """
            <div class="controls"><input type="search" id="filter" placeholder="Filter: any text in a row (name, tag, status, value…)" aria-label="Filter runs">\
            <button id="compare" disabled>Compare selected</button><span id="shown" class="muted"></span></div>

            """
        var header = ["", "run", "name", "status", "notebook", "started", "tags"]
        header += parameterNames + metricNames
        let numeric = Set([1] + (0..<metricNames.count).map { 7 + parameterNames.count + $0 })
        page += "<div class=\"scroll\"><table class=\"runs\" id=\"runs\">\n<thead><tr>"
        for (index, name) in header.enumerated() {
            if index == 0 {
                page += "<th></th>"
                continue
            }
            let kind = numeric.contains(index) ? "num" : "text"
            let isMetric = index >= 7 + parameterNames.count
            page += "<th class=\"sortable\(kind == "num" ? " num" : "")\" data-kind=\"\(kind)\""
            page += isMetric ? " title=\"final value\">" : ">"
            page += "\(xmlEscaped(name))</th>"
        }
        page += "</tr></thead>\n<tbody>\n"
        for (index, run) in runs.enumerated() {
            page +=
                "<tr data-run=\"\(run.id)\"><td><input type=\"checkbox\" value=\"\(run.id)\" aria-label=\"run \(run.id)\"></td>"
            page += "<td class=\"num\"><a href=\"/runs/\(run.id)\">\(run.id)</a></td>"
            page += "<td>\(xmlEscaped(run.name ?? ""))</td>"
            page +=
                "<td class=\"status \(run.status.rawValue)\">\(run.deletedAt == nil ? "" : "deleted ")\(run.status.rawValue)</td>"
            page += "<td>\(xmlEscaped(run.notebook ?? "(shell)"))</td><td>\(xmlEscaped(run.startedAt))</td>"
            page += "<td>\(xmlEscaped(run.tags.joined(separator: ", ")))</td>"
            for name in parameterNames { page += "<td>\(xmlEscaped(parameters[index][name] ?? ""))</td>" }
            for name in metricNames {
                let value = finals[run.id]?[name]
                let sortKey = value.map { $0.isNaN ? "" : "\($0)" } ?? ""
                page += "<td class=\"num\" data-value=\"\(sortKey)\">\(value.map(TextFormat.number) ?? "")</td>"
            }
            page += "</tr>\n"
        }
        page += "</tbody>\n</table></div>\n"
        if runs.isEmpty { page += "<p>No runs yet: <code>rlhf run notebooks/quickstart.rlhf</code> makes one.</p>\n" }
        page += "</main>\n<footer>rlhf serve · read-only</footer>\n"
        page += "<script>\(Self.script)</script>\n"
        return page + RunReport.pageEnd(frame: frame)
    }

    /// Sorting, filtering and choosing, re-applied after a live update replaces the table.
    static let script = """
        (function(){var chosen=new Set(),sortColumn=-1,ascending=true,filterText='';
        function table(){return document.getElementById('runs')}
        function value(row,i){var cell=row.cells[i];if(!cell)return '';if(cell.dataset.value!==undefined)return cell.dataset.value;return cell.textContent}
        function apply(){var t=table();if(!t)return;var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),heads=t.tHead.rows[0].cells;
        if(sortColumn>=0){var numeric=heads[sortColumn].dataset.kind==='num';rows.sort(function(a,b){var x=value(a,sortColumn),y=value(b,sortColumn);
        if(numeric){x=x===''?NaN:parseFloat(x);y=y===''?NaN:parseFloat(y);if(isNaN(x))return isNaN(y)?0:1;if(isNaN(y))return -1;return ascending?x-y:y-x}
        return ascending?x.localeCompare(y):y.localeCompare(x)});rows.forEach(function(r){body.appendChild(r)})}
        var shown=0,needle=filterText.toLowerCase();rows.forEach(function(r){var ok=!needle||r.textContent.toLowerCase().indexOf(needle)>=0;r.hidden=!ok;if(ok)shown++;
        var box=r.querySelector('input[type=checkbox]');box.checked=chosen.has(box.value)});
        document.getElementById('shown').textContent=shown+' of '+rows.length+' shown';var button=document.getElementById('compare');button.disabled=chosen.size<1;
        button.textContent=chosen.size?'Compare '+chosen.size+' run'+(chosen.size>1?'s':''):'Compare selected';
        Array.prototype.forEach.call(heads,function(h,i){h.onclick=function(){if(!h.classList.contains('sortable'))return;ascending=sortColumn===i?!ascending:true;sortColumn=i;apply()}})}
        document.addEventListener('change',function(e){if(e.target.matches('#runs input[type=checkbox]')){if(e.target.checked)chosen.add(e.target.value);else chosen.delete(e.target.value);apply()}});
        document.addEventListener('input',function(e){if(e.target.id==='filter'){filterText=e.target.value;apply()}});
        document.addEventListener('click',function(e){if(e.target.id==='compare'&&chosen.size)location.href='/compare?runs='+Array.from(chosen).sort(function(a,b){return a-b}).join(',')});
        document.addEventListener('rlhf:updated',function(){var f=document.getElementById('filter');if(f)f.value=filterText;apply()});apply()})();
        """
}

/**
 * The CSS and JavaScript inlined into the HTML page of `crateflake graph`. Plain browser JS (no build
 * step, no libraries): it reads the graph model from `#graph-data`, and only ever writes data into the
 * page through `textContent`, never as markup.
 */

export const PAGE_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px system-ui, sans-serif; color: #1b1f24; height: 100vh; display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 8px 12px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header h1 { font-size: 15px; margin: 0; }
#counts, #search-status { color: #57606a; }
#search { width: 260px; padding: 4px 8px; font: inherit; }
.legend { display: flex; gap: 6px; margin-left: auto; }
.chip { display: inline-block; padding: 1px 8px; border: 2px solid #d0d7de; border-radius: 10px; font-size: 12px; }
.chip.side-target, .chip.side-host, .chip.side-both { background: #fff; }
.chip.side-host, .chip.side-both { border-style: dashed; }
main { flex: 1; display: flex; min-height: 0; }
#canvas { flex: 1; overflow: auto; background: #fff; }
#panel { width: 380px; overflow: auto; border-left: 1px solid #d0d7de; padding: 10px 14px; background: #fbfcfd; }
#panel h2 { font-size: 16px; margin: 4px 0 8px; word-break: break-all; }
#panel h3 { font-size: 13px; margin: 14px 0 4px; }
#panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
#panel dt { color: #57606a; }
#panel dd { margin: 0; word-break: break-all; }
#panel ol, #panel ul { margin: 4px 0; padding-left: 20px; }
#panel li { margin: 2px 0; }
.hint { color: #57606a; }
.feature { display: inline-block; margin: 2px 4px 2px 0; padding: 0 6px; border: 0; border-radius: 8px; background: #eaeef2; font: 12px monospace; cursor: pointer; }
.feature:hover { background: #d0d7de; }
button.link { border: 0; background: none; padding: 0; color: #0969da; cursor: pointer; font: inherit; }
button.link:hover { text-decoration: underline; }
.kind { color: #57606a; font-size: 11px; }
svg { display: block; }
.node { cursor: pointer; }
.node rect { stroke-width: 1.5; }
.node.side-host rect, .node.side-both rect { stroke-dasharray: 4 3; }
.node.root rect { stroke-width: 3; }
.node text { font: 12px monospace; fill: #1b1f24; pointer-events: none; }
.edge { fill: none; stroke: #8c959f; stroke-width: 1; opacity: 0.55; }
.edge.k-build, .edge.k-build-script, .edge.k-proc-macro { stroke-dasharray: 5 3; }
.node.rebuilds rect { stroke-width: 3; }
#panel-rebuild.rebuilds { border-left: 4px solid; padding-left: 8px; }
svg.searching .node:not(.match):not(.on-path):not(.selected) { opacity: 0.3; }
.node.match rect { stroke: #d4a72c; stroke-width: 3; }
.node.on-path rect { stroke-width: 2.5; }
.edge.on-path { stroke: #0969da; stroke-width: 2; opacity: 1; }
.node.selected rect { stroke: #cf222e; stroke-width: 3.5; }
`;

export const PAGE_SCRIPT = `
(function () {
  "use strict";
  // One view per graph: a flake's outputs (switched by #output, each drawn in a <template>) or one build.
  var views = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("graph");
  var panel = document.getElementById("panel");
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var hint = panel.firstElementChild.cloneNode(true);
  var model, nodeEls, edgeEls, byIndex, dependents, dependencies;
  function show(k) {
    var tpl = document.getElementById("view-" + k);
    if (tpl) {
      var fresh = document.importNode(tpl.content.querySelector("svg"), true);
      fresh.id = "graph";
      svg.parentNode.replaceChild(fresh, svg);
      svg = fresh;
    }
    model = views[k].model;
    nodeEls = Array.prototype.slice.call(svg.querySelectorAll(".node"));
    edgeEls = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
    byIndex = {};
    nodeEls.forEach(function (el) { byIndex[el.getAttribute("data-index")] = el; });
    dependents = model.nodes.map(function () { return []; });
    dependencies = model.nodes.map(function () { return []; });
    model.edges.forEach(function (e) { dependents[e.to].push(e); dependencies[e.from].push(e); });
    nodeEls.forEach(function (e) {
      e.addEventListener("click", function () { select(Number(e.getAttribute("data-index"))); });
    });
    var c = model.changes;
    document.getElementById("counts").textContent = model.nodes.length + " units, " + model.edges.length + " edges" +
      (c ? "; " + c.rebuilt + " rebuild against " + c.against : "");
    panel.textContent = "";
    panel.appendChild(hint.cloneNode(true));
    if (c) rebuildList();
    highlight();
  }
  var outputs = document.getElementById("output");
  if (outputs) outputs.addEventListener("change", function () { show(Number(outputs.value)); });
  var ROLE = { "build-script": "build script", "build-script-run": "build script run", "proc-macro": "proc-macro",
    bin: "bin", example: "example", test: "test", doctest: "doctest", bench: "bench", lib: "lib", doc: "doc", check: "check" };

  function label(n) {
    var role = n.role === "lib" ? "" : " (" + (ROLE[n.role] || n.role) + ")";
    return n.name + " " + n.version + role;
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(i) {
    var b = el("button", label(model.nodes[i]), "link");
    b.type = "button";
    b.addEventListener("click", function () { select(i); });
    return b;
  }
  function edgeText(e) {
    var parts = [e.kind];
    if (e.platform) parts.push(e.platform);
    if (e.enabledBy.length) parts.push("enabled by " + e.enabledBy.join(", "));
    return " [" + parts.join(", ") + "]";
  }

  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    return model.nodes.filter(function (n) { return n.name.toLowerCase().indexOf(q) >= 0; });
  }
  function best(q, found) {
    q = q.trim().toLowerCase();
    var exact = found.filter(function (n) { return n.name.toLowerCase() === q; });
    var pool = exact.length ? exact : found;
    var lib = pool.filter(function (n) { return n.role === "lib" || n.role === "proc-macro"; });
    return (lib.length ? lib : pool)[0];
  }
  function highlight() {
    var found = matches(search.value);
    var set = {};
    found.forEach(function (n) { set[n.index] = true; });
    nodeEls.forEach(function (e) { e.classList.toggle("match", !!set[e.getAttribute("data-index")]); });
    svg.classList.toggle("searching", search.value.trim() !== "");
    status.textContent = search.value.trim() === "" ? "" : found.length + (found.length === 1 ? " match" : " matches");
    return found;
  }
  search.addEventListener("input", highlight);
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var found = highlight();
    if (found.length) select(best(search.value, found).index);
  });
  function select(i) {
    var n = model.nodes[i];
    nodeEls.forEach(function (e) { e.classList.remove("selected", "on-path"); });
    edgeEls.forEach(function (e) { e.classList.remove("on-path"); });
    var onPath = {};
    ["target", "host"].forEach(function (side) {
      var w = n.why[side];
      if (!w) return;
      w.paths.forEach(function (p) {
        for (var k = 0; k < p.length; k++) {
          onPath[p[k]] = true;
          if (k + 1 < p.length) {
            edgeEls.forEach(function (e) {
              if (e.getAttribute("data-from") === String(p[k]) && e.getAttribute("data-to") === String(p[k + 1])) e.classList.add("on-path");
            });
          }
        }
      });
    });
    Object.keys(onPath).forEach(function (k) { byIndex[k].classList.add("on-path"); });
    var node = byIndex[i];
    node.classList.add("selected");
    if (node.scrollIntoView) node.scrollIntoView({ block: "center", inline: "center" });
    showPanel(n);
  }

  // With graph --changes: the units that rebuild, as links, before anything is selected.
  function rebuildList() {
    var c = model.changes;
    var box = el("div");
    box.id = "rebuild-list";
    box.appendChild(el("h3", c.rebuilt + " of " + model.nodes.length + " units rebuild against " + c.against));
    if (!c.sourcesCompared) box.appendChild(el("p", "(against a data file: edits of path crates' sources are not seen)", "hint"));
    var ul = el("ul");
    model.nodes.forEach(function (n) {
      if (!n.rebuild) return;
      var li = el("li");
      li.appendChild(link(n.index));
      li.appendChild(el("span", ": " + n.rebuild.lines.join("; "), "kind"));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    panel.appendChild(box);
  }

  function showCauses(box, n, f) {
    box.textContent = "";
    box.appendChild(el("p", "Feature \u201c" + f + "\u201d is on because:"));
    var list = n.featureCauses[f] || [];
    var ul = el("ul");
    if (!list.length) ul.appendChild(el("li", "no cause in this graph (give --manifest-path to explain features)", "hint"));
    list.forEach(function (line) { ul.appendChild(el("li", line)); });
    box.appendChild(ul);
  }

  function showPanel(n) {
    panel.textContent = "";
    var h = el("h2", label(n));
    h.id = "panel-title";
    panel.appendChild(h);
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); }
    row("package", n.pkgId);
    row("source", n.sourceKind + (n.source ? " " + n.source : ""));
    row("unit", (ROLE[n.role] || n.role) + " " + n.targetName + (n.root ? " (root)" : ""));
    row("side", n.side === "both" ? "host and target" : n.side);
    row("platform", n.platform || (model.target ? "host" : "host (no --target)"));
    panel.appendChild(dl);

    if (model.changes) {
      var rb = el("div");
      rb.id = "panel-rebuild";
      if (n.rebuild) {
        rb.className = "rebuilds";
        rb.appendChild(el("h3", "Rebuilds against " + model.changes.against + " because"));
        var reasons = el("ul");
        n.rebuild.lines.forEach(function (line) { reasons.appendChild(el("li", line)); });
        rb.appendChild(reasons);
      } else {
        rb.appendChild(el("p", "Not rebuilt against " + model.changes.against + ".", "hint"));
      }
      panel.appendChild(rb);
    }

    panel.appendChild(el("h3", "Features (" + n.features.length + ")"));
    var fs = el("div");
    fs.id = "panel-features";
    if (!n.features.length) fs.appendChild(el("span", "none", "hint"));
    var causes = el("div");
    causes.id = "feature-causes";
    n.features.forEach(function (f) {
      var chip = el("button", f, "feature");
      chip.type = "button";
      chip.title = "why is this feature on?";
      chip.addEventListener("click", function () { showCauses(causes, n, f); });
      fs.appendChild(chip);
    });
    panel.appendChild(fs);
    panel.appendChild(causes);

    var why = el("div");
    why.id = "panel-why";
    why.appendChild(el("h3", "Why it is here"));
    if (n.root) why.appendChild(el("p", "It is a root: the build asked for it.", "hint"));
    ["target", "host"].forEach(function (side) {
      var w = n.why[side];
      if (!w) return;
      var title = (side === "target" ? "As a target unit" : "As a host unit (build scripts, proc-macros)") +
        ": " + w.count + (w.count === 1 ? " path" : " paths") + " from the roots" +
        (w.paths.length < w.count ? ", first " + w.paths.length : "");
      why.appendChild(el("p", title));
      var ol = el("ol");
      w.paths.forEach(function (p) {
        var li = el("li");
        li.className = "path";
        p.forEach(function (u, k) {
          if (k > 0) li.appendChild(el("span", " → "));
          li.appendChild(link(u));
        });
        ol.appendChild(li);
      });
      why.appendChild(ol);
    });
    panel.appendChild(why);

    function edgeList(title, list, other) {
      panel.appendChild(el("h3", title + " (" + list.length + ")"));
      var ul = el("ul");
      list.forEach(function (e) {
        var li = el("li");
        li.appendChild(link(e[other]));
        li.appendChild(el("span", edgeText(e), "kind"));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    edgeList("Used by", dependents[n.index], "from");
    edgeList("Depends on", dependencies[n.index], "to");
  }
  show(0);
})();
`;

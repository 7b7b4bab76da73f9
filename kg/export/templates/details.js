  // ---- details panel: stays until closed (× or Esc); every name in it is a link to that node.
  // Built with textContent only: nothing from the data is parsed as HTML.
  var panel = document.getElementById("details"), body = document.getElementById("details-body");
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function go(i, text) {
    var b = el("a", text || N[i][2], "go");
    b.href = "#";
    b.setAttribute("role", "button");
    b.setAttribute("data-id", N[i][0]);
    b.addEventListener("click", function (ev) { ev.preventDefault(); kg.show(N[i][0]); });
    return b;
  }
  function section(title, items, more) {
    if (!items.length) return;
    body.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (it) { ul.appendChild(it); });
    if (more > 0) ul.appendChild(el("li", "… and " + more + " more", "muted"));
    body.appendChild(ul);
  }
  function li() {
    var e = el("li");
    for (var k = 0; k < arguments.length; k++) {
      var a = arguments[k];
      if (a === null || a === undefined || a === "") continue;
      e.appendChild(typeof a === "string" ? document.createTextNode(a) : a);
    }
    return e;
  }
  function link(href, text) {
    var a = el("a", text);
    a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  function yearVenue(i) {
    var r = N[i];
    return [r[5], r[6] >= 0 ? IX.V[r[6]] : null].filter(function (x) { return x !== null; }).join(" · ");
  }
  function ranked(counts, limit) {  // [[node, count]] most first, then by label
    var out = Object.keys(counts).map(function (k) { return [+k, counts[k]]; });
    out.sort(function (a, b) { return (b[1] - a[1]) || (N[a[0]][2] < N[b[0]][2] ? -1 : 1); });
    return out;
  }
  var LIMIT = 40;
  // ---- the abstracts (IX.Z: gzip + base64 of a JSON list), inflated once, when first needed
  var TEXTS = null, waiting = null;
  function texts(cb) {
    if (TEXTS) { cb(TEXTS); return; }
    if (waiting) { waiting.push(cb); return; }
    if (typeof DecompressionStream === "undefined") { cb(null, "(this browser cannot unpack the abstracts: no DecompressionStream)"); return; }
    waiting = [cb];
    var bin = atob(IX.Z || ""), bytes = new Uint8Array(bin.length);
    for (var k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
    new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
      .then(function (s) { TEXTS = JSON.parse(s); return null; }, function (e) { return "(the abstracts could not be unpacked: " + e + ")"; })
      .then(function (err) { var w = waiting; waiting = null; w.forEach(function (f) { f(TEXTS, err); }); });
  }
  kg.texts = texts;
  function paperDetails(i) {
    var p = IX.P[i] || [N[i][2], null, null, null, ""], adj = graphAdj()[i];
    body.appendChild(el("h2", p[0]));
    var authors = adj.filter(function (a) { return a[2] > 0 && ET[IX.E[a[1]][2]] === "author"; })
      .sort(function (a, b) { return (IX.E[a[1]][3] || 0) - (IX.E[b[1]][3] || 0); });
    if (authors.length) {
      var pa = el("p");
      authors.forEach(function (a, k) { if (k) pa.appendChild(document.createTextNode(", ")); pa.appendChild(go(a[0])); });
      body.appendChild(pa);
    }
    var yv = yearVenue(i);
    if (yv) body.appendChild(el("p", yv, "muted"));
    var links = el("p");
    if (p[1]) links.appendChild(link(p[1], p[1]));
    if (p[2]) { if (links.childNodes.length) links.appendChild(document.createTextNode(" · ")); links.appendChild(link("https://doi.org/" + p[2], "doi:" + p[2])); }
    if (p[3]) { if (links.childNodes.length) links.appendChild(document.createTextNode(" · ")); links.appendChild(link("https://arxiv.org/abs/" + p[3], "arXiv:" + p[3])); }
    (IX.I && IX.I[i] || []).forEach(function (iri) {  // identifiers not shown above (OpenAlex, S2, PubMed)
      if (links.childNodes.length) links.appendChild(document.createTextNode(" · "));
      links.appendChild(link(iri, iri.replace(/^https?:\/\//, "")));
    });
    if (links.childNodes.length) body.appendChild(links);
    if (p[4] !== null && p[4] !== undefined && p[4] !== "") {
      body.appendChild(el("h3", "abstract"));
      var ab = body.appendChild(el("p", "…", "abstract"));
      texts(function (all, err) { ab.textContent = all ? all[p[4]] : err; });
    }
    ["method", "benchmark"].forEach(function (t) {
      var items = adj.filter(function (a) { return a[2] > 0 && T[N[a[0]][1]] === t; }).map(function (a) {
        var e = IX.E[a[1]];
        var item = li(go(a[0]), " — " + ET[e[2]] + (e[3] !== null ? " (confidence " + e[3].toFixed(2) + ")" : ""));
        if (e[4]) item.appendChild(el("div", "“" + e[4] + "”", "ev"));
        return item;
      });
      section(t + "s", items, 0);
    });
  }
  function authorDetails(i) {
    body.appendChild(el("h2", N[i][2]));
    var papers = graphAdj()[i].filter(function (a) { return a[2] < 0 && ET[IX.E[a[1]][2]] === "author"; }).map(function (a) { return a[0]; });
    papers.sort(function (a, b) { return ((N[b][5] || 0) - (N[a][5] || 0)) || (N[a][2] < N[b][2] ? -1 : 1); });
    body.appendChild(el("p", "author · " + papers.length + " paper" + (papers.length === 1 ? "" : "s") +
      (N[i][4] >= 0 ? " · co-author community " + (N[i][4] + 1) : ""), "muted"));
    if (IX.I && IX.I[i]) {  // ORCID, OpenAlex, Semantic Scholar
      var ids = el("p");
      IX.I[i].forEach(function (iri, k) {
        if (k) ids.appendChild(document.createTextNode(" · "));
        ids.appendChild(link(iri, iri.replace(/^https?:\/\//, "")));
      });
      body.appendChild(ids);
    }
    if (IX.A[i]) body.appendChild(el("p", "also written: " + IX.A[i].join(", "), "muted"));
    section("papers", papers.slice(0, LIMIT).map(function (p) { return li(go(p), yearVenue(p) ? " (" + yearVenue(p) + ")" : ""); }), papers.length - LIMIT);
    var co = {};
    papers.forEach(function (p) {
      graphAdj()[p].forEach(function (a) {
        if (a[2] > 0 && a[0] !== i && ET[IX.E[a[1]][2]] === "author") co[a[0]] = (co[a[0]] || 0) + 1;
      });
    });
    var cs = ranked(co);
    section("co-authors", cs.slice(0, LIMIT).map(function (c) { return li(go(c[0]), " · " + c[1] + " shared"); }), cs.length - LIMIT);
  }
  function entityDetails(i) {
    var t = T[N[i][1]];
    body.appendChild(el("h2", N[i][2]));
    if (IX.A[i]) body.appendChild(el("p", "also: " + IX.A[i].join(", "), "muted"));
    var props = [], uses = [], co = {}, evals = {};
    graphAdj()[i].forEach(function (a) {
      if (a[2] > 0) return;
      var kind = ET[IX.E[a[1]][2]];
      if (kind === "proposes") props.push(a[0]); else if (kind === "uses") uses.push(a[0]);
    });
    props.concat(uses).forEach(function (p) {
      graphAdj()[p].forEach(function (a) {
        if (a[2] < 0 || a[0] === i) return;
        var ot = T[N[a[0]][1]];
        if (ot === "method" || ot === "benchmark") co[a[0]] = (co[a[0]] || 0) + 1;
        if (ot === "benchmark" && t === "method") evals[a[0]] = (evals[a[0]] || 0) + 1;
        if (ot === "method" && t === "benchmark") evals[a[0]] = (evals[a[0]] || 0) + 1;
      });
    });
    var y = yearOf(i);
    body.appendChild(el("p", t + " · proposed in " + props.length + " · used in " + uses.length +
      (y !== null ? " · mean year " + (+y).toFixed(1) : "") +
      (N[i][4] >= 0 ? " · cluster " + (N[i][4] + 1) : ""), "muted"));
    function papersOf(list) {
      return list.slice().sort(function (a, b) { return ((N[b][5] || 0) - (N[a][5] || 0)) || (N[a][2] < N[b][2] ? -1 : 1); })
        .slice(0, LIMIT).map(function (p) { return li(go(p), yearVenue(p) ? " (" + yearVenue(p) + ")" : ""); });
    }
    section("proposed by", papersOf(props), props.length - LIMIT);
    section("used by", papersOf(uses), uses.length - LIMIT);
    var ev = ranked(evals);
    section(t === "method" ? "evaluated on (benchmarks)" : "methods evaluated on it",
            ev.slice(0, 20).map(function (c) { return li(go(c[0]), " · " + c[1] + " papers"); }), ev.length - 20);
    var cs = ranked(co);
    section("co-occurs with", cs.slice(0, 20).map(function (c) { return li(go(c[0]), " · " + c[1] + " papers"); }), cs.length - 20);
  }
  function details(id) {
    var i = at[id];
    if (i === undefined) return;
    body.textContent = "";
    var t = T[N[i][1]];
    if (t === "paper") paperDetails(i); else if (t === "author") authorDetails(i); else entityDetails(i);
    if (!base[id]) body.appendChild(el("p", N[i][3] < 0 ? "(not part of this view)" : "(not drawn)", "muted"));
    panel.hidden = false;
    panel.setAttribute("data-id", id);
    panel.scrollTop = 0;
  }
  function closeDetails() { panel.hidden = true; panel.removeAttribute("data-id"); }
  kg.details = details;
  kg.closeDetails = closeDetails;
  document.getElementById("details-close").addEventListener("click", closeDetails);

  // kg page, shared by both renderers: state, the index of the whole graph (IX), filters,
  // colours, search, the details panel. The renderer's file defines restyle(), placeLabels(),
  // unselect(), kg.bring(id) and kg.focusNode(id).
  var kg = window.kg = { ready: false, readyMs: null, hiddenTypes: {}, hiddenEdges: {},
                         highlighted: null, centre: null, minConf: 0, yearMin: null, yearMax: null,
                         venue: -1, labelDensity: 1, colour: DATA.colour || (DATA.view === "full" ? "type" : "cluster") };
  var dark = !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  var DIM = dark ? "rgba(90,90,100,0.35)" : "rgba(200,200,200,0.35)";
  var DIM_EDGE = dark ? "rgba(90,90,100,0.15)" : "rgba(200,200,200,0.18)";
  var T = IX.T, ET = IX.ET, N = IX.N, at = {};
  N.forEach(function (r, i) { at[r[0]] = i; });
  var NODE_W = 70;

  // Tooltips: plain text from the graph, shown with textContent (never parsed as HTML).
  function tip(text) {
    var el = document.createElement("div");
    var lines = String(text).split("\n");
    var head = document.createElement("b");
    head.textContent = lines[0];
    el.appendChild(head);
    if (lines.length > 1) el.appendChild(document.createTextNode(lines.slice(1).join("\n")));
    return el;
  }
  var base = {};
  // ---- the whole graph: adjacency (lazily), years and venues of each node
  var gAdj = null, vAdj = null;
  function graphAdj() {  // every edge of G: [other node, edge index, +1 out / -1 in]
    if (gAdj) return gAdj;
    gAdj = N.map(function () { return []; });
    IX.E.forEach(function (e, k) { gAdj[e[0]].push([e[1], k, 1]); gAdj[e[1]].push([e[0], k, -1]); });
    return gAdj;
  }
  function viewAdj() {  // edges of the mapped view: [other node, edge type, direction]
    if (vAdj) return vAdj;
    vAdj = N.map(function () { return []; });
    if (IX.X.length) IX.X.forEach(function (x) { vAdj[x[0]].push([x[1], x[2], 0, x[3]]); vAdj[x[1]].push([x[0], x[2], 0, x[3]]); });
    else IX.E.forEach(function (e) {
      if (N[e[0]][3] < 0 || N[e[1]][3] < 0) return;
      vAdj[e[0]].push([e[1], e[2], 1, e[3]]); vAdj[e[1]].push([e[0], e[2], -1, e[3]]);
    });
    return vAdj;
  }
  var nodeYears = null;  // node -> {year: 1} (a paper: its year; others: their papers' years)
  var nodeVenues = null;
  function yearsAndVenues() {
    if (nodeYears) return;
    nodeYears = N.map(function () { return {}; });
    nodeVenues = N.map(function () { return {}; });
    var adj = graphAdj();
    N.forEach(function (r, i) {
      if (T[r[1]] !== "paper") return;
      var y = r[5], v = r[6];
      if (y !== null) nodeYears[i][y] = 1;
      if (v >= 0) nodeVenues[i][v] = 1;
      adj[i].forEach(function (a) {
        if (y !== null) nodeYears[a[0]][y] = 1;
        if (v >= 0) nodeVenues[a[0]][v] = 1;
      });
    });
  }
  var meanYear = {};
  function yearOf(i) {  // a paper's year; the mean year of a node's papers
    if (i in meanYear) return meanYear[i];
    var m = IX.M[i], r = N[i], y = null;
    if (m && m[1] !== null) y = m[1];
    else if (T[r[1]] === "paper") y = r[5];
    else {
      var s = 0, c = 0;
      graphAdj()[i].forEach(function (a) { var q = N[a[0]]; if (T[q[1]] === "paper" && q[5] !== null) { s += q[5]; c++; } });
      y = c ? s / c : null;
    }
    meanYear[i] = y;
    return y;
  }
  function passesFilters(id) {
    var b = base[id];
    if (kg.hiddenTypes[b.kind]) return false;
    if (b.i === undefined || (kg.yearMin === null && kg.venue < 0)) return true;
    yearsAndVenues();
    if (kg.yearMin !== null) {
      var ys = nodeYears[b.i], ok = false;
      for (var y in ys) if (+y >= kg.yearMin && +y <= kg.yearMax) { ok = true; break; }
      if (!ok) return false;
    }
    return kg.venue < 0 || !!nodeVenues[b.i][kg.venue];
  }

  // ---- colours: node type, cluster, mean publication year
  var YEARS = (function () {
    var lo = Infinity, hi = -Infinity;
    N.forEach(function (r) { if (r[5] !== null) { lo = Math.min(lo, r[5]); hi = Math.max(hi, r[5]); } });
    return lo <= hi ? [lo, hi] : null;
  })();
  function mix(a, b, t) {
    var pa = [1, 3, 5].map(function (k) { return parseInt(a.substr(k, 2), 16); });
    var pb = [1, 3, 5].map(function (k) { return parseInt(b.substr(k, 2), 16); });
    return "rgb(" + pa.map(function (x, k) { return Math.round(x + (pb[k] - x) * t); }).join(",") + ")";
  }
  function yearColour(y) {
    if (y === null || !YEARS) return "#9a9a9a";
    var t = YEARS[1] > YEARS[0] ? (y - YEARS[0]) / (YEARS[1] - YEARS[0]) : 1;
    return t < 0.5 ? mix("#440154", "#21918c", t * 2) : mix("#21918c", "#fde725", (t - 0.5) * 2);
  }
  function colourOf(id) {
    var b = base[id];
    if (kg.colour === "cluster" && b.kind !== "paper") {
      var c = b.i === undefined ? -1 : N[b.i][4];
      return c >= 0 && c < DATA.palette.length ? DATA.palette[c] : "#a9a9a9";
    }
    if (kg.colour === "year" && b.i !== undefined) return yearColour(yearOf(b.i));
    if (kg.colour === "map") return b.map >= 0 ? DATA.mapPalette[b.map % DATA.mapPalette.length] : "#a9a9a9";
    return b.color;
  }

  kg.setTypeVisible = function (type, visible) {
    if (visible) delete kg.hiddenTypes[type]; else kg.hiddenTypes[type] = true;
    var box = document.querySelector('.type-filter[value="' + type + '"]');
    if (box) box.checked = !!visible;
    placeLabels();
  };
  kg.setEdgeVisible = function (type, visible) {
    if (visible) delete kg.hiddenEdges[type]; else kg.hiddenEdges[type] = true;
    var box = document.querySelector('.edge-filter[value="' + type + '"]');
    if (box) box.checked = !!visible;
    restyle();
  };
  kg.setYears = function (lo, hi) {
    kg.yearMin = YEARS && (lo > YEARS[0] || hi < YEARS[1]) ? lo : null;
    kg.yearMax = hi;
    placeLabels();
  };
  kg.venueIndex = function (name) { return IX.V.indexOf(name); };
  kg.setVenue = function (v) { kg.venue = v === "" || v === null ? -1 : +v; placeLabels(); };
  kg.setMinConfidence = function (c) {
    kg.minConf = +c;
    document.getElementById("min-conf-value").textContent = (+c).toFixed(2);
    restyle();
  };
  kg.setLabelDensity = function (d) { kg.labelDensity = +d; placeLabels(); };
  kg.setColour = function (mode, drawn) {  // drawn: the page is already in these colours
    kg.colour = mode;
    document.getElementById("colour-mode").value = mode;
    document.getElementById("clusters").hidden = mode !== "cluster";
    var ml = document.getElementById("map-legend");
    if (ml) ml.hidden = mode !== "map";
    var ys = document.getElementById("year-scale");
    ys.style.display = mode === "year" && YEARS ? "inline-flex" : "none";
    if (YEARS) { document.getElementById("year-lo").textContent = YEARS[0]; document.getElementById("year-hi").textContent = YEARS[1]; }
    if (!drawn) restyle();
  };
  function on(id, ev, fn) { var el = document.getElementById(id); if (el) el.addEventListener(ev, fn); }
  Array.prototype.forEach.call(document.querySelectorAll(".type-filter"), function (box) {
    box.addEventListener("change", function () { kg.setTypeVisible(box.value, box.checked); });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".edge-filter"), function (box) {
    box.addEventListener("change", function () { kg.setEdgeVisible(box.value, box.checked); });
  });
  function yearsChanged() {
    kg.setYears(+document.getElementById("year-min").value, +document.getElementById("year-max").value);
  }
  on("year-min", "change", yearsChanged);
  on("year-max", "change", yearsChanged);
  on("venue", "change", function (ev) { kg.setVenue(ev.target.value); });
  on("min-conf", "input", function (ev) { kg.setMinConfidence(ev.target.value); });
  on("label-density", "input", function (ev) { kg.setLabelDensity(ev.target.value); });
  on("colour-mode", "change", function (ev) { kg.setColour(ev.target.value); });

  function nodeTip(i) {
    var r = N[i], t = T[r[1]], lines = [r[2], t];
    if (t === "paper" && (r[5] !== null || r[6] >= 0)) lines.push([r[5], r[6] >= 0 ? IX.V[r[6]] : null].filter(function (x) { return x !== null; }).join(" · "));
    return lines.join("\n");
  }
  function short(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  // ---- search over every node of the graph: exact name or alias first, then prefix, then
  // substring; a node of the view before others; most connected wins
  function norm(s) { return String(s).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}]+/gu, ""); }
  var keys = null;
  function searchKeys() {
    if (keys) return keys;
    keys = N.map(function (r, i) { return [norm(r[2])].concat((IX.A[i] || []).map(norm)); });
    return keys;
  }
  kg.find = function (query) {
    var q = norm(query);
    if (!q) return null;
    var best = -1, bestRank = [9, 0, 0], ks = searchKeys();
    for (var i = 0; i < ks.length; i++) {
      var rank = 9, it = ks[i];
      for (var k = 0; k < it.length; k++) {
        var p = it[k].indexOf(q), r = p < 0 ? 9 : it[k] === q ? 0 : p === 0 ? 1 : 2;
        if (r < rank) rank = r;
      }
      if (rank === 9) continue;
      var cand = [rank, N[i][3] >= 0 ? 0 : 1, -Math.max(N[i][3], 0)];
      if (cand[0] < bestRank[0] || (cand[0] === bestRank[0] && (cand[1] < bestRank[1] ||
          (cand[1] === bestRank[1] && cand[2] < bestRank[2])))) { best = i; bestRank = cand; }
    }
    return best < 0 ? null : N[best][0];
  };
  function warmUp() {  // once the page is drawn: the search keys and adjacency of the whole graph
    setTimeout(function () { searchKeys(); graphAdj(); viewAdj(); texts(function () { kg.warm = true; }); }, 0);
  }
  function status(text, miss) {
    var el = document.getElementById("search-status");
    el.textContent = text; el.className = miss ? "miss" : "";
  }
  kg.clear = function () {
    unselect();
    highlight(null);
    status("", false);
  };
  kg.show = function (id) {  // from a search or a details link: draw it if needed, focus, details
    var i = at[id];
    if (i === undefined) return false;
    if (!base[id] && N[i][3] >= 0) kg.bring(id, true);
    if (base[id]) kg.focusNode(id);
    details(id);
    return true;
  };
  kg.search = function (query) {
    var id = kg.find(query);
    if (id === null) {
      unselect();
      highlight(null);
      status("no node matches “" + query + "”", true);
      return null;
    }
    var i = at[id], wasDrawn = !!base[id];
    kg.show(id);
    status(T[N[i][1]] + ": " + N[i][2] + (wasDrawn ? "" : N[i][3] >= 0 ? " (added to the drawing)" : " (not part of this view)"), false);
    return id;
  };
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    kg.search(document.getElementById("search").value);
  });

{% include "details.js" %}
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { kg.clear(); closeDetails(); }
  });

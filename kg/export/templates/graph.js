  // kg page script: included in graph.html inside a function, with DATA (the drawn vis nodes and
  // edges), OPTIONS (vis options) and IX (the index of the whole graph, kg/export/html/data.py).
  var kg = window.kg = { ready: false, readyMs: null, hiddenTypes: {}, hiddenEdges: {},
                         highlighted: null, centre: null, minConf: 0, yearMin: null, yearMax: null,
                         venue: -1, labelDensity: 1, colour: DATA.view === "full" ? "type" : "cluster" };
  var dark = !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  OPTIONS.nodes.font.color = dark ? "#e6e6e6" : "#222222";
  OPTIONS.nodes.font.strokeColor = dark ? "#1b1d22" : "#ffffff";
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
  function addBase(n) {
    base[n.id] = { label: n.label, color: n.color, kind: n.kind, degree: n.degree, size: n.font.size,
                   i: at[n.id] };
  }
  DATA.nodes.forEach(function (n) { addBase(n); n.title = tip(n.title); });
  DATA.edges.forEach(function (e, k) { e.id = "e" + k; e.title = tip(e.title); });
  var nodes = kg.nodes = new vis.DataSet(DATA.nodes);
  var edges = kg.edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("network");
  var network = kg.network = new vis.Network(container, { nodes: nodes, edges: edges }, OPTIONS);
  var order = [];
  function sortOrder() {
    order = Object.keys(base).sort(function (a, b) {
      return (base[b].degree - base[a].degree) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }
  sortOrder();

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
    return b.color;
  }

  // ---- node and edge styles, applied as diffs
  var applied = {}, eApplied = {}, showLabel = {}, visible = {};
  function restyle() {
    var changes = [], hl = kg.highlighted;
    visible = {};
    order.forEach(function (id) {
      var b = base[id], hidden = !passesFilters(id);
      if (!hidden) visible[id] = true;
      var dim = !!(hl && !hl[id]);
      var lab = hidden ? null : showLabel[id] || null;
      var colour = dim ? DIM : colourOf(id);
      var key = (lab ? lab.size + "/" + lab.vadjust : "") + colour;
      var a = applied[id];
      if (a && a.hidden === hidden && a.key === key) return;
      applied[id] = { hidden: hidden, key: key };
      changes.push({ id: id, hidden: hidden, label: lab ? b.label : "",
                     font: { size: lab ? lab.size : b.size, vadjust: lab ? lab.vadjust : 0 },
                     color: colour });
    });
    if (changes.length) nodes.update(changes);
    var echanges = [], c = kg.centre;
    edges.forEach(function (e) {
      var hidden = !!(kg.hiddenEdges[e.kind] || !visible[e.from] || !visible[e.to] ||
                      (e.conf !== null && e.conf !== undefined && e.conf < kg.minConf));
      var dim = !!(c !== null && e.from !== c && e.to !== c);
      var a = eApplied[e.id];
      if (a ? a.hidden === hidden && a.dim === dim : !hidden && !dim) return;
      eApplied[e.id] = { hidden: hidden, dim: dim };
      var colour = dim ? DIM_EDGE : DATA.edgeStyle[e.kind] ? DATA.edgeStyle[e.kind].color : "#999999";
      echanges.push({ id: e.id, hidden: hidden, color: { color: colour, highlight: colour, hover: colour } });
    });
    if (echanges.length) edges.update(echanges);
  }

  // Greedy label placement: most connected first (the highlighted neighbourhood before all).
  // The 20 biggest visible nodes (hubs) are labelled whatever nodes are near them; others only
  // where their label overlaps no label or node already placed. Labels stay inside the view
  // and at least 11px high on screen whatever the zoom.
  var measure = document.createElement("canvas").getContext("2d");
  function placeLabels() {
    var scale = network.getScale(), pos = network.getPositions(), cell = 80;
    var labels = {}, obstacles = {};
    var rect = container.getBoundingClientRect(), hl = kg.highlighted;
    var budget = Math.round(kg.labelDensity * Math.max(20, rect.width * rect.height / 7000)), placed = 0;
    showLabel = {};
    restyle();  // visibility first
    function hit(grid, x0, y0, x1, y1, add) {
      for (var gx = Math.floor(x0 / cell); gx <= Math.floor(x1 / cell); gx++)
        for (var gy = Math.floor(y0 / cell); gy <= Math.floor(y1 / cell); gy++) {
          var key = gx + "," + gy, boxes = grid[key] || (grid[key] = []);
          if (add) { boxes.push([x0, y0, x1, y1]); continue; }
          for (var i = 0; i < boxes.length; i++) {
            var q = boxes[i];
            if (x0 < q[2] && x1 > q[0] && y0 < q[3] && y1 > q[1]) return true;
          }
        }
      return false;
    }
    function radius(id) { return (network.body.nodes[id] ? network.body.nodes[id].options.size : 10) * scale; }
    var ids = hl ? order.filter(function (id) { return hl[id]; }) : order.slice();
    ids = ids.filter(function (id) { return visible[id] && pos[id]; });
    ids.forEach(function (id) {  // nodes are obstacles (only the lit ones when a neighbourhood is lit)
      var p = network.canvasToDOM(pos[id]), r = radius(id);
      if (p.x < -50 || p.y < -50 || p.x > rect.width + 50 || p.y > rect.height + 50) return;
      hit(obstacles, p.x - r, p.y - r, p.x + r, p.y + r, true);
    });
    if (hl) ids = ids.concat(order.filter(function (id) { return !hl[id] && visible[id] && pos[id]; }));
    var hubs = 0;
    kg.unlabelledHubs = [];
    for (var i = 0; i < ids.length && placed < budget; i++) {
      var id = ids[i], b = base[id];
      if (hl && !hl[id]) break;  // dimmed nodes stay unlabelled
      var p = network.canvasToDOM(pos[id]);
      if (p.x < 0 || p.y < 0 || p.x > rect.width || p.y > rect.height) continue;
      var hub = hubs < 20;
      hubs++;
      var px = Math.max(b.size * scale, 11);
      measure.font = px + "px Helvetica,Arial,sans-serif";
      var w = measure.measureText(b.label).width + 10, h = px * 1.4 + 4, r = radius(id);
      var spot = null;
      (hub ? [1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6] : [1, -1]).some(function (side) {  // below, above; hubs: further
        var x0 = p.x - w / 2, x1 = p.x + w / 2, row = (Math.abs(side) - 1) * h;
        var y0 = side > 0 ? p.y + r + 1 + row : p.y - r - 1 - h - row, y1 = y0 + h;
        if (x0 < 2 || x1 > rect.width - 2 || y0 < 2 || y1 > rect.height - 2) return false;  // cut by the edge
        if (hit(labels, x0, y0, x1, y1, false) || (!hub && hit(obstacles, x0, y0, x1, y1, false))) return false;
        spot = [x0, y0, x1, y1, side];
        return true;
      });
      if (!spot) { if (hub) kg.unlabelledHubs.push(id); continue; }
      hit(labels, spot[0], spot[1], spot[2], spot[3], true);
      var row = (Math.abs(spot[4]) - 1) * h;
      showLabel[id] = { size: Math.round(10 * px / scale) / 10,
                        vadjust: Math.round(10 * (spot[4] < 0 ? -(2 * r + h + 2 + row) : row) / scale) / 10 };
      placed++;
    }
    restyle();
  }
  kg.placeLabels = placeLabels;

  function highlight(id) {
    if (id === null || id === undefined || !base[id]) {
      kg.highlighted = null; kg.centre = null; placeLabels(); return;
    }
    var hl = {}; hl[id] = true;
    network.getConnectedNodes(id).forEach(function (m) { hl[m] = true; });
    kg.highlighted = hl; kg.centre = id;
    placeLabels();
  }
  kg.highlight = highlight;

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
  kg.setVenue = function (v) { kg.venue = v === "" || v === null ? -1 : +v; placeLabels(); };
  kg.setMinConfidence = function (c) {
    kg.minConf = +c;
    document.getElementById("min-conf-value").textContent = (+c).toFixed(2);
    restyle();
  };
  kg.setLabelDensity = function (d) { kg.labelDensity = +d; placeLabels(); };
  kg.setColour = function (mode) {
    kg.colour = mode;
    document.getElementById("colour-mode").value = mode;
    document.getElementById("clusters").hidden = mode !== "cluster";
    var ys = document.getElementById("year-scale");
    ys.style.display = mode === "year" && YEARS ? "inline-flex" : "none";
    if (YEARS) { document.getElementById("year-lo").textContent = YEARS[0]; document.getElementById("year-hi").textContent = YEARS[1]; }
    restyle();
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

  // ---- bring a node that is not drawn into view, with its neighbours in the view
  var added = 0;
  function nodeTip(i) {
    var r = N[i], t = T[r[1]], lines = [r[2], t];
    if (t === "paper" && (r[5] !== null || r[6] >= 0)) lines.push([r[5], r[6] >= 0 ? IX.V[r[6]] : null].filter(function (x) { return x !== null; }).join(" · "));
    return lines.join("\n");
  }
  function short(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function drawNode(i, x, y) {
    var r = N[i], t = T[r[1]], st = DATA.types[t] || DATA.types.paper, k = Math.max(0, r[3]);
    if (IX.M[i]) k = IX.M[i][0];
    var n = { id: r[0], label: "", shape: st.shape, color: st.color, kind: t, degree: k,
              value: Math.sqrt(k + 1), x: x, y: y, title: tip(nodeTip(i)),
              font: { size: Math.round(10 * Math.min(26, 12 + 2.2 * Math.sqrt(k))) / 10 } };
    base[n.id] = { label: short(r[2], t === "paper" ? 30 : 40), color: st.color, kind: t, degree: k,
                   size: n.font.size, i: i };
    return n;
  }
  kg.bring = function (id) {
    var i = at[id];
    if (i === undefined || base[id] || N[i][3] < 0) return false;
    var adj = viewAdj()[i], pos = network.getPositions(), sx = 0, sy = 0, c = 0;
    adj.forEach(function (a) { var p = pos[N[a[0]][0]]; if (p) { sx += p.x; sy += p.y; c++; } });
    var centre = c ? { x: sx / c + NODE_W * 1.5, y: sy / c + NODE_W * 0.8 } : network.getViewPosition();
    var fresh = adj.filter(function (a) { return !base[N[a[0]][0]]; })
                   .sort(function (a, b) { return N[b[0]][3] - N[a[0]][3]; }).slice(0, 300);
    var newNodes = [drawNode(i, centre.x, centre.y)], ring = NODE_W * (1 + fresh.length / 12);
    fresh.forEach(function (a, k) {
      var ang = 2 * Math.PI * k / fresh.length;
      newNodes.push(drawNode(a[0], centre.x + ring * Math.cos(ang), centre.y + ring * Math.sin(ang)));
    });
    nodes.add(newNodes);
    var newEdges = [], seen = {};
    newNodes.forEach(function (n) {
      var j = at[n.id];
      viewAdj()[j].forEach(function (a) {
        var other = N[a[0]][0];
        if (!base[other]) return;
        var from = a[2] >= 0 ? n.id : other, to = a[2] >= 0 ? other : n.id, key = from + "\u0000" + to;
        if (a[2] === 0 && other < n.id) key = other + "\u0000" + n.id;
        if (seen[key]) return;
        seen[key] = true;
        var kind = ET[a[1]], st = DATA.edgeStyle[kind] || DATA.edgeStyle.uses;
        newEdges.push({ id: "x" + (added++), from: from, to: to, kind: kind, color: st.color, dashes: st.dashes,
                        width: st.width, arrows: a[2] === 0 ? "" : "to", conf: kind === "author" ? null : a[3],
                        title: tip(kind) });
      });
    });
    edges.add(newEdges);
    sortOrder();
    updateLeftOut();
    return true;
  };
  function updateLeftOut() {
    var el = document.getElementById("left-out");
    if (!el) return;
    var drawn = nodes.length;
    el.textContent = (N.length - drawn).toLocaleString("en") + " of " + N.length.toLocaleString("en") +
      " nodes left out (" + drawn.toLocaleString("en") + " drawn); search finds them all";
  }

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
  function status(text, miss) {
    var el = document.getElementById("search-status");
    el.textContent = text; el.className = miss ? "miss" : "";
  }
  kg.clear = function () {
    network.unselectAll();
    highlight(null);
    status("", false);
  };
  kg.focusNode = function (id) {
    if (kg.hiddenTypes[base[id].kind]) kg.setTypeVisible(base[id].kind, true);
    var near = [id].concat(network.getConnectedNodes(id));
    network.fit({ nodes: near, animation: false });
    var s = network.getScale();
    if (near.length === 1 || s > 2.5) network.moveTo({ position: network.getPositions([id])[id], scale: Math.min(Math.max(s, 1.1), 2.5), animation: false });
    else network.moveTo({ scale: s * 0.85, animation: false });  // room for the labels at the rim
    network.selectNodes([id]);
    highlight(id);
  };
  kg.show = function (id) {  // from a search or a details link: draw it if needed, focus, details
    var i = at[id];
    if (i === undefined) return false;
    if (!base[id] && N[i][3] >= 0) kg.bring(id);
    if (base[id]) kg.focusNode(id);
    details(id);
    return true;
  };
  kg.search = function (query) {
    var id = kg.find(query);
    if (id === null) {
      network.unselectAll();
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

  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); details(params.nodes[0]); }
    else highlight(null);
  });
  var relabel = null;
  function later() { clearTimeout(relabel); relabel = setTimeout(placeLabels, 120); }
  network.on("zoom", later);
  network.on("dragEnd", later);
  window.addEventListener("resize", later);

  // ---- keyboard: Esc clears; on the focused canvas arrows pan, + and - zoom, 0 fits
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { kg.clear(); closeDetails(); return; }
    if (document.activeElement !== container) return;
    var s = network.getScale(), p = network.getViewPosition(), step = 80 / s, done = true;
    if (ev.key === "ArrowLeft") p.x -= step; else if (ev.key === "ArrowRight") p.x += step;
    else if (ev.key === "ArrowUp") p.y -= step; else if (ev.key === "ArrowDown") p.y += step;
    else if (ev.key === "+" || ev.key === "=") s *= 1.25; else if (ev.key === "-" || ev.key === "_") s /= 1.25;
    else if (ev.key === "0") { network.fit({ animation: false }); later(); ev.preventDefault(); return; }
    else done = false;
    if (!done) return;
    ev.preventDefault();
    network.moveTo({ position: p, scale: s, animation: false });
    later();
  });

  function finish() {
    if (kg.ready) return;
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.92, animation: false });  // room for rim labels
    if (kg.colour !== "type") kg.setColour(kg.colour);
    placeLabels();
    if (DATA.focus && base[DATA.focus]) { network.selectNodes([DATA.focus]); highlight(DATA.focus); }
    kg.ready = true;
    kg.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
    setTimeout(function () {  // after the first picture: the name list of the search box
      var list = document.getElementById("names"), seen = {}, frag = document.createDocumentFragment();
      order.slice(0, 3000).forEach(function (id) {
        if (seen[base[id].label]) return;
        seen[base[id].label] = true;
        var o = document.createElement("option"); o.value = base[id].label; frag.appendChild(o);
      });
      list.appendChild(frag);
    }, 0);
  }
  finish();

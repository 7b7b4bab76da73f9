  // WebGL renderer (sigma.js on a graphology graph), for pages too big for the canvas one.
  // DATA.nodes: [node (position in IX.N), x, y, size, degree]; DATA.edges: [source, target,
  // edge type, confidence, width]. kg.graph holds every drawn node and edge; sigma draws
  // kg.shown, the level of detail: the highlighted neighbourhood, then the most connected
  // visible nodes in (and around) the viewport up to kg.detail.nodes, with their edges up to
  // kg.detail.edges. It is recomputed when the camera settles and when a filter changes.
  // (Software WebGL is vertex-bound: a frame costs what is in sigma's buffers, hidden or not.)
  // Highlight, filters and colours are sigma reducers over kg.shown.
  var container = document.getElementById("network");
  var GRAPH_OPTS = { type: "directed", multi: false, allowSelfLoops: true };
  var graph = kg.graph = new graphology.Graph(GRAPH_OPTS);
  var shown = kg.shown = new graphology.Graph(GRAPH_OPTS);
  // while a neighbourhood is highlighted the rest is dimmed context: a smaller budget
  // (first: a highlight's first frame draws a smaller context, filled in kg.detail.delay ms later:
  // sigma processes every item it draws again after each change, ~30 µs an item here)
  kg.detail = { nodes: 5000, edges: 10000, context: 1500, contextEdges: 3000, margin: 0.25, delay: 150,
                firstContext: 200, firstContextEdges: 400 };
  var first = false;  // the next update is a highlight's first frame
  var order = [], ADJ = {};  // ADJ: node -> its neighbours in kg.graph (either direction)
  function addNode(i, x, y, size, degree, mapCluster) {
    var r = N[i], t = T[r[1]], st = DATA.types[t] || DATA.types.paper;
    base[r[0]] = { label: short(r[2], 40), color: st.color, kind: t, degree: degree,
                   size: size, i: i, x: x, y: -y, map: mapCluster === undefined ? -1 : mapCluster };
    graph.addNode(r[0], { x: x, y: -y, size: size, label: base[r[0]].label, color: st.color });
  }
  function addEdge(u, v, et, conf, width) {
    var a = N[u][0], b = N[v][0];
    if (graph.hasEdge(a, b)) return;
    var kind = ET[et], st = DATA.edgeStyle[kind] || DATA.edgeStyle.uses;
    (ADJ[a] = ADJ[a] || []).push(b); (ADJ[b] = ADJ[b] || []).push(a);
    graph.addEdge(a, b, { kind: kind, s: a, t: b, conf: conf === undefined ? null : conf, color: faded(st.color),
                          size: Math.max(0.5, (width || st.width) * 0.6) });
  }
  function faded(hex) {  // edges drawn light, under the nodes: the clusters show, not a hairball
    var p = [1, 3, 5].map(function (k) { return parseInt(hex.substr(k, 2), 16); });
    return "rgba(" + p.join(",") + "," + (DATA.nodes.length > 1000 ? 0.4 : 0.7) + ")";
  }
  DATA.nodes.forEach(function (n) { addNode(n[0], n[1], n[2], n[3], n[4], n[5]); });
  DATA.edges.forEach(function (e) { addEdge(e[0], e[1], e[2], e[3], e[4]); });
  function bbox() {  // the extent of every drawn node: sigma's frame, whatever is shown
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (var id in base) { var b = base[id]; x0 = Math.min(x0, b.x); x1 = Math.max(x1, b.x); y0 = Math.min(y0, b.y); y1 = Math.max(y1, b.y); }
    if (x0 > x1) { x0 = y0 = 0; x1 = y1 = 1; }
    return { x: [x0, x1 > x0 ? x1 : x0 + 1], y: [y0, y1 > y0 ? y1 : y0 + 1] };
  }
  var rankOf = {};
  function sortOrder() {
    order = Object.keys(base).sort(function (a, b) {
      return (base[b].degree - base[a].degree) || (a < b ? -1 : a > b ? 1 : 0);
    });
    rankOf = {};
    order.forEach(function (id, k) { rankOf[id] = k; });
  }
  sortOrder();
  var HUBS = {};
  function hubs() {  // the 20 biggest visible nodes: always labelled
    HUBS = {};
    var c = 0;
    for (var k = 0; k < order.length && c < 20; k++) if (visible[order[k]]) { HUBS[order[k]] = true; c++; }
  }
  var visible = {}, nVisible = 0;
  function computeVisible() {
    visible = {}; nVisible = 0;
    order.forEach(function (id) { if (passesFilters(id)) { visible[id] = true; nVisible++; } });
    hubs();
  }
  computeVisible();
  function edgeShown(data) {
    return !kg.hiddenEdges[data.kind] && !(data.conf !== null && data.conf < kg.minConf);
  }

  // ---- level of detail
  function wanted(rect) {  // node -> true: the highlight, then the biggest visible nodes in rect
    var hl = kg.highlighted, budget = hl ? (first ? kg.detail.firstContext : kg.detail.context) : kg.detail.nodes;
    // at the overview each node drawn is linked to another drawn one (as select's linked_top):
    // taken when a neighbour is, else with its best-ranked neighbour; no edge-less columns
    var overview = !hl && (!renderer || renderer.getCamera().getState().ratio >= 0.9);
    var keep = {}, n = 0, allEdges = kg.minConf <= 0 && !Object.keys(kg.hiddenEdges).length;
    if (hl) for (var h in hl) if (visible[h] && graph.hasNode(h)) keep[h] = true;
    function inRect(id) {
      var b = base[id];
      return !rect || (b.x >= rect[0] && b.x <= rect[1] && b.y >= rect[2] && b.y <= rect[3]);
    }
    for (var k = 0; k < order.length && n < budget; k++) {
      var id = order[k];
      if (keep[id] || !visible[id] || !inRect(id)) continue;
      if (!overview) { keep[id] = true; n++; continue; }
      var adj = ADJ[id] || [], best = null, linked = false;
      for (var j = 0; j < adj.length; j++) {
        var m = adj[j];
        if (m === id || !visible[m] || !inRect(m) || !(allEdges || edgeBetween(id, m))) continue;
        if (keep[m]) { linked = true; break; }
        if (best === null || rankOf[m] < rankOf[best]) best = m;
      }
      if (linked) { keep[id] = true; n++; }
      else if (best !== null && n + 2 <= budget) { keep[id] = keep[best] = true; n += 2; }
    }
    return keep;
  }
  function edgeBetween(a, b) {  // a drawn edge joins a and b (either way), of a shown edge type
    var e = graph.edge(a, b) || graph.edge(b, a);
    return e !== undefined && edgeShown(graph.getEdgeAttributes(e));
  }
  function wantedEdges(keep) {  // edge key -> true: those between kept nodes, the biggest first
    var cand = [], c = kg.centre, own = 0,
        budget = kg.highlighted ? (first ? kg.detail.firstContextEdges : kg.detail.contextEdges) : kg.detail.edges;
    for (var id in keep) graph.forEachOutEdge(id, function (e, data, s, t) {
      if (!keep[t] || !edgeShown(data)) return;
      if (s === c || t === c) own++;  // the highlighted node's edges: all of them, first
      cand.push([e, s === c || t === c ? Infinity : Math.min(base[s].degree, base[t].degree)]);
    });
    if (cand.length > budget + own) cand.sort(function (a, b) { return b[1] - a[1]; }).length = budget + own;
    var out = {};
    cand.forEach(function (x) { out[x[0]] = true; });
    return out;
  }
  function viewRect() {  // the viewport and a margin around it, in graph coordinates
    if (!renderer) return null;
    var w = container.clientWidth, h = container.clientHeight, m = kg.detail.margin;
    var a = renderer.viewportToGraph({ x: -m * w, y: -m * h }), b = renderer.viewportToGraph({ x: (1 + m) * w, y: (1 + m) * h });
    return [Math.min(a.x, b.x), Math.max(a.x, b.x), Math.min(a.y, b.y), Math.max(a.y, b.y)];
  }
  function addShown(g, keep, edges) {  // add keep and edges to g (a graph sigma may draw); count
    var added = 0;
    for (var id in keep) if (!g.hasNode(id)) { g.addNode(id, Object.assign({}, graph.getNodeAttributes(id))); added++; }
    for (var e in edges) if (!g.hasEdge(e)) {
      var d = graph.getEdgeAttributes(e);
      if (g.hasNode(d.s) && g.hasNode(d.t)) { g.addEdgeWithKey(e, d.s, d.t, Object.assign({}, d)); added++; }
    }
    return added;
  }
  function same(keep, edges) {
    var n = 0, m = 0, id;
    for (id in keep) { if (!shown.hasNode(id)) return false; n++; }
    for (id in edges) { if (!shown.hasEdge(id)) return false; m++; }
    return n === shown.order && m === shown.size;
  }
  var detailTimer = null;
  kg.detailUpdates = 0;
  function updateDetail() {  // recompute what is shown for the current camera
    if (detailTimer !== null) { clearTimeout(detailTimer); detailTimer = null; }
    var keep = wanted(viewRect()), edges = wantedEdges(keep), changed = !same(keep, edges);
    if (changed) {
      // a new graph for sigma: removing items one by one from the bound graph costs sigma
      // a full re-indexation per item
      var g = new graphology.Graph(GRAPH_OPTS);
      addShown(g, keep, edges);
      shown = kg.shown = g;
      renderer.setGraph(g);
    }
    kg.detailUpdates++;
    if (first) {  // the rest of the context once this frame is drawn
      first = false;
      if (kg.highlighted) scheduleDetail();
    }
    var el = document.getElementById("detail-note");
    if (el) {
      var trimmed = shown.order < countVisible();
      el.hidden = !trimmed;
      el.textContent = !trimmed ? "" : kg.highlighted ? "· the highlighted neighbourhood and the " +
        (shown.order - Object.keys(kg.highlighted).length).toLocaleString("en") + " most connected nodes around it" :
        "· at this zoom, the " + shown.order.toLocaleString("en") + " most connected nodes in view (zoom in for more)";
    }
    return changed;
  }
  kg.updateDetail = updateDetail;
  kg.pendingDetail = function () { return detailTimer !== null; };
  function countVisible() { return nVisible; }
  function recolour(indexed) {  // re-run the reducers over what is shown (indexed: sizes, order kept)
    // drawn in the next frame: a highlight and the camera move after it cost one render
    renderer.refresh({ partialGraph: { nodes: shown.nodes(), edges: shown.edges() }, skipIndexation: indexed,
                       schedule: true });
  }
  function scheduleDetail() {
    if (detailTimer !== null) clearTimeout(detailTimer);
    detailTimer = setTimeout(updateDetail, kg.detail.delay);
  }
  var renderer = null;
  var initial = wanted(null);
  addShown(shown, initial, wantedEdges(initial));
  var LABEL = dark ? "#e6e6e6" : "#222222";
  renderer = kg.renderer = new Sigma(shown, container, {
    renderLabels: false,  // labels: the page's own pass after each frame (webgl-labels.js)
    labelFont: "Helvetica, Arial, sans-serif", labelSize: 12, labelColor: { color: LABEL },
    defaultEdgeType: "line", hideEdgesOnMove: false, zIndex: true,  // kg.shown is small enough to pan with its edges
    // the cheapest programs (one vertex a node, two an edge): software WebGL is vertex-bound
    nodeProgramClasses: { circle: Sigma.rendering.NodePointProgram },
    edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram },
    minCameraRatio: 0.002, maxCameraRatio: 4,
    defaultDrawNodeHover: function (ctx, data, settings) {  // a plain label box on hover
      var size = settings.labelSize, label = data.label || "";
      ctx.font = size + "px " + settings.labelFont;
      var w = ctx.measureText(label).width + 8;
      ctx.fillStyle = dark ? "#262a31" : "#fffef8";
      ctx.fillRect(data.x + data.size + 2, data.y - size / 2 - 4, w, size + 8);
      ctx.fillStyle = LABEL;
      ctx.fillText(label, data.x + data.size + 6, data.y + size / 3);
    },
    nodeReducer: function (id, data) {
      var res = Object.assign({}, data), hl = kg.highlighted;
      if (!visible[id]) { res.hidden = true; return res; }
      res.color = colourOf(id);
      if (hl) {
        if (hl[id]) { res.forceLabel = true; res.zIndex = 2; }
        else { res.color = DIM; res.label = ""; res.zIndex = 0; }
      } else if (HUBS[id]) { res.forceLabel = kg.labelDensity > 0; res.zIndex = 1; }
      if (kg.labelDensity === 0 && !(hl && hl[id])) res.label = "";
      if (id === kg.centre) { res.highlighted = true; res.zIndex = 3; }
      return res;
    },
    edgeReducer: function (id, data) {
      var c = kg.centre;
      if (!edgeShown(data) || !visible[data.s] || !visible[data.t]) return { hidden: true, s: data.s, t: data.t, size: 0, color: data.color };
      if (c === null) return data;  // unchanged (reducers must not modify data: none is)
      var res = Object.assign({}, data);
      if (data.s !== c && data.t !== c) { res.color = DIM_EDGE; res.zIndex = 0; } else res.zIndex = 1;
      return res;
    }
  });
  renderer.setCustomBBox(bbox());
  var camera = renderer.getCamera();
  camera.on("updated", scheduleDetail);
  function restyle() { updateDetail(); recolour(true); }
  function placeLabels() {
    computeVisible();
    restyle();
  }
  kg.placeLabels = placeLabels;
  function unselect() { kg.centre = null; }
  function highlight(id) {
    if (id === null || id === undefined || !base[id]) { kg.highlighted = null; kg.centre = null; }
    else { kg.highlighted = neighbourhood(id); kg.centre = id; first = true; }
    // the neighbourhood and its dimmed context (or, cleared, the full detail) replace kg.shown,
    // drawn with the new colours; when what is shown stays, colours only (zIndex: re-sorted)
    if (!updateDetail()) recolour(false);
  }
  function neighbourhood(id) {
    var hl = {}; hl[id] = true;
    graph.forEachNeighbor(id, function (m) { hl[m] = true; });
    return hl;
  }
  kg.highlight = highlight;
  kg.labelled = function () { return labelledNow.slice(); };  // the nodes labelled in the last frame

  function inView(box, margin, st) {  // st: the camera state to test (sigma's matrix follows later)
    var w = container.clientWidth, h = container.clientHeight;
    return [[box[0], box[2]], [box[0], box[3]], [box[1], box[2]], [box[1], box[3]]].every(function (c) {
      var p = renderer.graphToViewport({ x: c[0], y: c[1] }, { cameraState: st });
      return p.x >= margin && p.y >= margin && p.x <= w - margin && p.y <= h - margin;
    });
  }
  kg.focusNode = function (id) {  // centre on the node's neighbourhood, zoomed to fit it all
    if (kg.hiddenTypes[base[id].kind]) kg.setTypeVisible(base[id].kind, true);
    // the camera first (from graph coordinates), then the highlight, drawn once for that camera
    var box = [Infinity, -Infinity, Infinity, -Infinity];
    for (var m in neighbourhood(id)) {
      var b = base[m];
      if (!b || !visible[m]) continue;
      box = [Math.min(box[0], b.x), Math.max(box[1], b.x), Math.min(box[2], b.y), Math.max(box[3], b.y)];
    }
    if (box[0] === Infinity) { highlight(id); return; }  // filtered out (year, venue)
    function framed(x, y) { return renderer.viewportToFramedGraph(renderer.graphToViewport({ x: x, y: y })); }
    var p0 = framed(box[0], box[2]), p1 = framed(box[1], box[3]);
    var x0 = Math.min(p0.x, p1.x), x1 = Math.max(p0.x, p1.x), y0 = Math.min(p0.y, p1.y), y1 = Math.max(p0.y, p1.y);
    var st = { x: (x0 + x1) / 2, y: (y0 + y1) / 2, angle: 0,
               ratio: Math.max(0.01, Math.min(2, 1.2 * Math.max(x1 - x0, y1 - y0))) };
    for (var k = 0; k < 12; k++) {
      if (inView(box, 30, st)) break;
      st.ratio *= 1.3;
    }
    camera.setState(st);
    highlight(id);
  };

  kg.bring = function (id, focusing) {  // add a node that is not drawn, with its neighbours in the view
    // (focusing: kg.focusNode follows and updates what is shown, for the new highlight)
    var i = at[id];
    if (i === undefined || base[id] || N[i][3] < 0) return false;
    var adj = viewAdj()[i], sx = 0, sy = 0, c = 0;
    adj.forEach(function (a) { var o = N[a[0]][0]; if (graph.hasNode(o)) { sx += graph.getNodeAttribute(o, "x"); sy += -graph.getNodeAttribute(o, "y"); c++; } });
    var cx = c ? sx / c + NODE_W : 0, cy = c ? sy / c + NODE_W : 0;
    var fresh = adj.filter(function (a) { return !base[N[a[0]][0]]; })
                   .sort(function (a, b) { return N[b[0]][3] - N[a[0]][3]; }).slice(0, 300);
    function size(j) { var k = IX.M[j] ? IX.M[j][0] : Math.max(0, N[j][3]); return Math.min(18, 1.2 + 1.3 * Math.sqrt(k + 1)); }
    addNode(i, cx, cy, size(i), N[i][3]);
    var ring = NODE_W * (1 + fresh.length / 12);
    fresh.forEach(function (a, k) {
      var ang = 2 * Math.PI * k / fresh.length;
      addNode(a[0], cx + ring * Math.cos(ang), cy + ring * Math.sin(ang), size(a[0]), N[a[0]][3]);
    });
    [i].concat(fresh.map(function (a) { return a[0]; })).forEach(function (j) {
      viewAdj()[j].forEach(function (a) {
        if (!base[N[a[0]][0]]) return;
        if (a[2] >= 0) addEdge(j, a[0], a[1], a[1] === 0 ? null : a[3]); else addEdge(a[0], j, a[1], a[1] === 0 ? null : a[3]);
      });
    });
    sortOrder();
    labelOrder();
    computeVisible();
    if (!focusing) updateDetail();
    var el = document.getElementById("left-out");
    if (el) el.textContent = (N.length - graph.order).toLocaleString("en") + " of " + N.length.toLocaleString("en") +
      " nodes left out (" + graph.order.toLocaleString("en") + " drawn); search finds them all";
    return true;
  };

  renderer.on("clickNode", function (ev) { highlight(ev.node); details(ev.node); });
  renderer.on("clickStage", function () { highlight(null); });

  // ---- keyboard: on the focused canvas arrows pan, + and - zoom, 0 fits
  container.addEventListener("keydown", function (ev) {
    var st = camera.getState(), step = 0.1 * st.ratio, done = true;
    if (ev.key === "ArrowLeft") st.x -= step; else if (ev.key === "ArrowRight") st.x += step;
    else if (ev.key === "ArrowUp") st.y += step; else if (ev.key === "ArrowDown") st.y -= step;
    else if (ev.key === "+" || ev.key === "=") st.ratio /= 1.25; else if (ev.key === "-" || ev.key === "_") st.ratio *= 1.25;
    else if (ev.key === "0") st = { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
    else done = false;
    if (!done) return;
    ev.preventDefault();
    camera.setState(st);
  });

{% include "webgl-labels.js" %}
  function finish() {
    if (kg.colour !== "type") kg.setColour(kg.colour, true);  // the reducers drew it in kg.colour
    if (DATA.focus && base[DATA.focus]) highlight(DATA.focus);
    renderer.refresh();
    requestAnimationFrame(function () {  // the first frame is on screen
      kg.ready = true;
      kg.readyMs = performance.now();
      document.body.setAttribute("data-ready", "1");
      warmUp();
    });
  }
  finish();

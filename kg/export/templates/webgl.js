  // WebGL renderer (sigma.js on a graphology graph), for pages too big for the canvas one.
  // DATA.nodes: [node (position in IX.N), x, y, size, degree]; DATA.edges: [source, target,
  // edge type, confidence, width]. Highlight, filters and colours are sigma reducers.
  var container = document.getElementById("network");
  var graph = kg.graph = new graphology.Graph({ type: "directed", multi: false, allowSelfLoops: true });
  var order = [];
  function addNode(i, x, y, size, degree) {
    var r = N[i], t = T[r[1]], st = DATA.types[t] || DATA.types.paper;
    base[r[0]] = { label: short(r[2], 40), color: st.color, kind: t, degree: degree,
                   size: size, i: i };
    graph.addNode(r[0], { x: x, y: -y, size: size, label: base[r[0]].label, color: st.color });
  }
  function addEdge(u, v, et, conf, width) {
    var a = N[u][0], b = N[v][0];
    if (graph.hasEdge(a, b)) return;
    var kind = ET[et], st = DATA.edgeStyle[kind] || DATA.edgeStyle.uses;
    graph.addEdge(a, b, { kind: kind, s: a, t: b, conf: conf === undefined ? null : conf, color: st.color,
                          size: Math.max(0.5, (width || st.width) * 0.6) });
  }
  DATA.nodes.forEach(function (n) { addNode(n[0], n[1], n[2], n[3], n[4]); });
  DATA.edges.forEach(function (e) { addEdge(e[0], e[1], e[2], e[3], e[4]); });
  function sortOrder() {
    order = Object.keys(base).sort(function (a, b) {
      return (base[b].degree - base[a].degree) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }
  sortOrder();
  var HUBS = {};
  function hubs() {  // the 20 biggest visible nodes: always labelled
    HUBS = {};
    var c = 0;
    for (var k = 0; k < order.length && c < 20; k++) if (visible[order[k]]) { HUBS[order[k]] = true; c++; }
  }
  var visible = {};
  function computeVisible() {
    visible = {};
    order.forEach(function (id) { if (passesFilters(id)) visible[id] = true; });
    hubs();
  }
  computeVisible();
  var LABEL = dark ? "#e6e6e6" : "#222222";
  var renderer = kg.renderer = new Sigma(graph, container, {
    labelDensity: 0.35, labelGridCellSize: 90, labelRenderedSizeThreshold: 5,
    labelFont: "Helvetica, Arial, sans-serif", labelSize: 12, labelColor: { color: LABEL },
    defaultEdgeType: "line", hideEdgesOnMove: graph.size > 20000, zIndex: true,
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
      if (kg.hiddenEdges[data.kind] || !visible[data.s] || !visible[data.t] ||
          (data.conf !== null && data.conf < kg.minConf)) return { hidden: true, s: data.s, t: data.t, size: 0, color: data.color };
      if (c === null) return data;  // unchanged (reducers must not modify data: none is)
      var res = Object.assign({}, data);
      if (data.s !== c && data.t !== c) { res.color = DIM_EDGE; res.zIndex = 0; } else res.zIndex = 1;
      return res;
    }
  });
  var camera = renderer.getCamera();
  function restyle() { renderer.refresh(); }
  function placeLabels() {
    computeVisible();
    renderer.setSetting("labelDensity", 0.35 * Math.max(kg.labelDensity, 0.01));
    renderer.refresh();
  }
  kg.placeLabels = placeLabels;
  function unselect() { kg.centre = null; }
  function highlight(id) {
    if (id === null || id === undefined || !base[id]) { kg.highlighted = null; kg.centre = null; renderer.refresh({ skipIndexation: true }); return; }
    var hl = {}; hl[id] = true;
    graph.forEachNeighbor(id, function (m) { hl[m] = true; });
    kg.highlighted = hl; kg.centre = id;
    renderer.refresh({ skipIndexation: true });  // colours only: positions and sizes stay
  }
  kg.highlight = highlight;
  kg.labelled = function () {  // the nodes whose label sigma drew in the last frame
    return renderer.getNodeDisplayedLabels ? Array.from(renderer.getNodeDisplayedLabels()) : [];
  };

  function inView(ids, margin, st) {  // st: the camera state to test (sigma's matrix follows later)
    var w = container.clientWidth, h = container.clientHeight;
    return ids.every(function (m) {
      var p = renderer.graphToViewport(graph.getNodeAttributes(m), { cameraState: st });
      return p.x >= margin && p.y >= margin && p.x <= w - margin && p.y <= h - margin;
    });
  }
  kg.focusNode = function (id) {  // centre on the node's neighbourhood, zoomed to fit it all
    if (kg.hiddenTypes[base[id].kind]) kg.setTypeVisible(base[id].kind, true);
    highlight(id);
    var ids = Object.keys(kg.highlighted), x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (m) {
      var d = renderer.getNodeDisplayData(m);
      if (!d) return;
      x0 = Math.min(x0, d.x); x1 = Math.max(x1, d.x); y0 = Math.min(y0, d.y); y1 = Math.max(y1, d.y);
    });
    var st = { x: (x0 + x1) / 2, y: (y0 + y1) / 2, angle: 0,
               ratio: Math.max(0.01, Math.min(2, 1.2 * Math.max(x1 - x0, y1 - y0))) };
    for (var k = 0; k < 12; k++) {
      if (inView(ids, 30, st)) break;
      st.ratio *= 1.3;
    }
    camera.setState(st);
  };

  kg.bring = function (id) {  // add a node that is not drawn, with its neighbours in the view
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
    computeVisible();
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

  function finish() {
    if (kg.colour !== "type") kg.setColour(kg.colour);
    if (DATA.focus && base[DATA.focus]) highlight(DATA.focus);
    renderer.refresh();
    requestAnimationFrame(function () {  // the first frame is on screen
      kg.ready = true;
      kg.readyMs = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
  }
  finish();

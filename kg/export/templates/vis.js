  // vis-network renderer (canvas): DATA holds pyvis's nodes and edges.
  OPTIONS.nodes.font.color = dark ? "#e6e6e6" : "#222222";
  OPTIONS.nodes.font.strokeColor = dark ? "#1b1d22" : "#ffffff";
  function addBase(n) {
    base[n.id] = { label: n.label, color: n.color, kind: n.kind, degree: n.degree, size: n.font.size,
                   map: n.mc === undefined ? -1 : n.mc,
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
      (hub ? [1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, 9, -9, 10, -10] : [1, -1]).some(function (side) {  // below, above; hubs: further
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

  // ---- bring a node that is not drawn into view, with its neighbours in the view
  var added = 0;
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

  function unselect() { network.unselectAll(); }
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
    warmUp();
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

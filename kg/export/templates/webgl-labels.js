  // ---- labels (WebGL page): the page's own pass over each frame sigma draws, instead of sigma's
  // label grid (which let hubs go unlabelled in crowded places): the highlighted neighbourhood
  // or the 20 hubs first, then by degree (papers at half weight); each label right of its node,
  // left of it near the right edge, else below or above; kept inside the canvas; a label that
  // would overlap one already placed is left out (a hub or highlighted node is moved further
  // out, up to six label heights, and takes its first place only if all of those overlap). At most kg.detail.labels labels at density 1.
  kg.detail.labels = 70;
  var LABEL_PX = 12, LABEL_FONT = "Helvetica, Arial, sans-serif", labelWidths = {}, labelledNow = [], labelBoxes = [];
  var lorder = [];
  function labelOrder() {
    var w = function (id) { return base[id].kind === "paper" ? base[id].degree / 2 : base[id].degree; };
    lorder = order.slice().sort(function (a, b) { return (w(b) - w(a)) || (a < b ? -1 : a > b ? 1 : 0); });
  }
  labelOrder();
  function drawLabels() {
    var canvas = renderer.getCanvases().labels, ctx = canvas.getContext("2d");
    var W = container.clientWidth, H = container.clientHeight, hl = kg.highlighted, cell = 80, grid = {};
    var max = Math.round(kg.detail.labels * kg.labelDensity), placed = 0, seen = {}, id;
    if (lorder.length !== order.length) labelOrder();
    ctx.font = LABEL_PX + "px " + LABEL_FONT;
    ctx.textBaseline = "middle";
    ctx.lineWidth = 3; ctx.lineJoin = "round";
    ctx.strokeStyle = dark ? "rgba(27,29,34,0.9)" : "rgba(255,255,255,0.9)";
    ctx.fillStyle = LABEL;
    labelledNow = []; labelBoxes = [];
    function cells(b, fn) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++)
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) if (fn(gx + ":" + gy)) return true;
      return false;
    }
    function hits(b) {
      return cells(b, function (c) {
        return (grid[c] || []).some(function (o) { return b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]; });
      });
    }
    function place(id, forced) {
      var d = renderer.getNodeDisplayData(id);
      if (!d || d.hidden || !d.label) return;
      var p = renderer.framedGraphToViewport(d), r = renderer.scaleSize(d.size);
      if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) return;
      var text = d.label, w = labelWidths[text];
      if (w === undefined) w = labelWidths[text] = ctx.measureText(text).width;
      var h = LABEL_PX + 2, right = [p.x + r + 3, p.y - h / 2], left = [p.x - r - 3 - w, p.y - h / 2];
      var spots = [p.x + r + 3 + w > W - 2 ? left : right, p.x + r + 3 + w > W - 2 ? right : left,
                   [p.x - w / 2, p.y + r + 2], [p.x - w / 2, p.y - r - 2 - h]];
      // a hub in a crowded place: its label further out (below, above, beside), step by step
      if (forced) for (var k = 1; k <= 6; k++) spots.push([p.x - w / 2, p.y + r + 2 + k * h], [p.x - w / 2, p.y - r - 2 - h - k * h],
                                                          [spots[0][0], spots[0][1] + k * h], [spots[0][0], spots[0][1] - k * h]);
      var boxes = spots.map(function (s) {
        var x = Math.max(2, Math.min(W - 2 - w, s[0])), y = Math.max(2, Math.min(H - 2 - h, s[1]));
        return [x, y, x + w, y + h];
      });
      var b = boxes.filter(function (b) { return !hits(b); })[0] || (forced ? boxes[0] : null);
      if (!b) return;
      cells(b, function (c) { (grid[c] = grid[c] || []).push(b); return false; });
      ctx.strokeText(text, b[0], b[1] + h / 2);
      ctx.fillText(text, b[0], b[1] + h / 2);
      labelledNow.push(id); labelBoxes.push([id].concat(b)); placed++;
    }
    if (hl) {  // the highlighted neighbourhood, biggest first (the centre before all)
      if (kg.centre !== null && shown.hasNode(kg.centre)) { place(kg.centre, true); seen[kg.centre] = true; }
      for (var j = 0; j < lorder.length; j++) { id = lorder[j]; if (hl[id] && !seen[id] && shown.hasNode(id)) { place(id, true); seen[id] = true; } }
      return;
    }
    if (kg.labelDensity <= 0) return;
    for (id in HUBS) if (shown.hasNode(id)) { place(id, true); seen[id] = true; }
    for (var tried = 0, k = 0; k < lorder.length && placed < max && tried < 20 * max; k++) {
      id = lorder[k];
      if (!seen[id] && visible[id] && shown.hasNode(id)) { place(id, false); tried++; }
    }
  }
  renderer.on("afterRender", drawLabels);
  kg.labelBoxes = function () { return labelBoxes.slice(); };  // [node, x0, y0, x1, y1] in CSS px

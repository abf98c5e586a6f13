
(function () {
  "use strict";
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var times = {script: t0, parsed: performance.now()};
  var N = D.nodes, E = D.edges, T = D.types;
  var el = kgPanel.el, short = kgPanel.short;  // panel.js
  function iri(r) { return kgPanel.iri(D.prefixes, r); }
  function pageOf(n) { return kgPanel.pageOf(D.prefixes, n); }
  function bdOf(x) { return x >= 0 ? D.bds[x] : null; }
  var maxW = 1;
  E.forEach(function (e) { if (e[2] > maxW) { maxW = e[2]; } });
  function widthOf(w) { return 1 + 7 * Math.sqrt(Math.max(w, 0) / maxW); }
  // labels in Japanese (default) or English: ?lang=en or the page's language menu
  var lang = /[?&#]lang=en\b/.test(location.search + location.hash) ? "en" : "ja";
  function name(n) { return lang === "en" && n.en ? n.en : n.ja; }
  // a label's length limit counts Japanese characters; Latin letters are about half as wide
  function labelOf(n) { return short(name(n), T[n.t].limit * (lang === "en" ? 2 : 1)); }
  // vis-network draws the shapes; the labels are drawn by drawLabels (below), which places
  // each one beside its node where it overlaps no other label and stays inside the view
  var nodes = new vis.DataSet(N.map(function (n, i) {
    return {id: i, group: T[n.t].id, size: n.s, x: n.x, y: n.y};
  }));
  var curWidth = E.map(function (e) { return widthOf(e[2]); });
  var edges = new vis.DataSet(E.map(function (e, i) {
    var dashed = (D.dashed || []).indexOf(e[4]) >= 0;  // a candidate's link: possible, not sure
    return {id: i, from: e[0], to: e[1], width: curWidth[i], dashes: dashed};
  }));
  var state = {fy: "", ind: "", types: {}};
  var hiddenTypes = new Set(D.hiddenTypes || []);
  T.forEach(function (t) { state.types[t.id] = !hiddenTypes.has(t.id); });
  var B = D.built || {}, CW = D.countWhat || {};
  var network = null, lastQuery = "";
  var shownNodes = null, shownEdges = null;
  function filtered() { return state.fy !== "" || state.ind !== ""; }
  function countOf(b, total) {
    if (!filtered()) { return total; }
    var bd = bdOf(b);
    return (bd && bd[(state.fy || "*") + "/" + (state.ind || "*")]) || 0;
  }
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return !shownNodes || shownNodes.has(n.id); }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return !shownEdges || shownEdges.has(e.id); }
  });
  function apply() {
    var ns = new Set(), es = new Set(), upd = [];
    N.forEach(function (n, i) {
      if (state.types[T[n.t].id] && countOf(n.b === undefined ? -1 : n.b, 1) > 0) { ns.add(i); }
    });
    E.forEach(function (e, i) {
      var c = countOf(e[3], e[2]);
      if (c > 0 && ns.has(e[0]) && ns.has(e[1])) {
        es.add(i);
        var w = widthOf(c);
        if (w !== curWidth[i]) { curWidth[i] = w; upd.push({id: i, width: w}); }
      }
    });
    shownNodes = ns; shownEdges = es;
    if (upd.length) { edges.update(upd); }
    nodeView.refresh(); edgeView.refresh();
    showCounts();
    showEmpty();
    if (network) {
      var sel = network.getSelectedNodes();
      if (sel.length && !ns.has(sel[0])) { network.unselectAll(); showInfo(null); }
      if (lastQuery) { search(lastQuery, true); }  // the results follow the filters
    }
  }
  // -- what the view was built with, and a message when nothing matches ----------------------
  function builtParts() {
    var parts = [];
    if (B.fy) { parts.push((B.fy_ja ? B.fy_ja + " " : "") + (B.fy_en || "FY" + B.fy)); }
    if (B.indicator) {
      parts.push(B.indicator + (B.indicator_ja ? " " + B.indicator_ja : "") +
                 (B.indicator_en && B.indicator_en !== B.indicator ? " " + B.indicator_en : ""));
    }
    if (B.country) {
      parts.push([B.country_ja, B.country_en].filter(Boolean).concat(["(" + B.country + ")"])
                 .join(" "));
    }
    return parts;
  }
  var emptyBox = document.getElementById("kg-empty");
  function showEmpty() {
    var text = "";
    if (!N.length) {
      var parts = builtParts();
      text = "該当する記録はありません / No record matches" +
        (parts.length ? ": " + parts.join(" · ") : "") +
        (B.fy && (B.years || []).length && B.years.indexOf(B.fy) < 0 ?
         " — この文書の年度 the document's fiscal years: FY" + B.years[0] + "–FY" +
         B.years[B.years.length - 1] : "");
    } else if (!nodeView.length) {
      text = "この絞り込みに合う記録はありません / No record matches the filters chosen here";
    }
    emptyBox.textContent = text;
    emptyBox.hidden = !text;
  }
  function showCounts() {
    var c = document.getElementById("kg-counts");
    c.textContent = "ノード nodes " + nodes.length + " · つながり links " + edges.length;
    c.dataset.nodes = String(nodes.length); c.dataset.edges = String(edges.length);
    var s = document.getElementById("kg-shown");
    s.textContent = "表示中 shown: ノード nodes " + nodeView.length + " · つながり links " +
      edgeView.length;
    s.dataset.nodes = String(nodeView.length); s.dataset.edges = String(edgeView.length);
  }

  // -- tooltips and the details panel: DOM nodes with textContent, never markup ------------
  function perYear(b) {
    var bd = bdOf(b), parts = [];
    if (!bd) { return ""; }
    D.fys.forEach(function (f) {
      var v = bd[f.value + "/" + (state.ind || "*")];
      if (v) { parts.push(f.en + ": " + v); }
    });
    return parts.length ? "年度別 per FY: " + parts.join(" · ") : "";
  }
  // a number's plain name (D.keyNames) and, in the details panel, one line on what it means
  function addInfo(box, pairs, full, skip) {
    (pairs || []).forEach(function (kv) {
      var key = D.keys[kv[0]], k = (D.keyNames || {})[key];
      if (skip && skip[key]) { return; }
      box.appendChild(el("div", (k ? k.ja + " " + k.en : key) + ": " + kv[1], "kg-dim"));
      if (full && k && (k.help_ja || k.help_en)) {
        box.appendChild(el("div", [k.help_ja, k.help_en].filter(Boolean).join(" / "), "kg-help"));
      }
    });
  }
  function infoValue(n, key) {
    var found = (n.i || []).filter(function (kv) { return D.keys[kv[0]] === key; });
    return found.length ? found[0][1] : undefined;
  }
  function nodeBox(id, full) {
    var n = N[id], t = T[n.t], box = el("div"), isEvent = t.id === "event";
    box.appendChild(el("div", n.ja, "kg-title"));
    if (n.en) { box.appendChild(el("div", n.en)); }
    box.appendChild(el("div", t.ja + " / " + t.en, "kg-dim"));
    var skip = {};
    if (isEvent) {  // an event's label is its verbatim source text (jdx:sourceText)
      var date = infoValue(n, "date"), line = infoValue(n, "source_line");
      if (date) { box.appendChild(el("div", "日付 date: " + date)); }
      if (full) {
        box.appendChild(el("div", "原文 source text" +
                           (line ? " (data/source.txt " + line + " 行目 line " + line + ")" : ""),
                           "kg-dim"));
        box.appendChild(el("div", n.ja, "kg-src"));
      }
      if (line) { box.appendChild(el("div", "原文の行 source line: " + line)); }
      skip = {date: true, source_line: true};
    }
    var b = n.b === undefined ? -1 : n.b;
    var note = filtered() ? " (絞り込み filtered)" : "";
    if (!isEvent) {
      box.appendChild(el("div", D.unit.ja + " " + D.unit.en + ": " + countOf(b, n.c) + note +
                         (CW.nodes_ja ? " — " + CW.nodes_ja + " / " + CW.nodes_en : "")));
    }
    if (n.ab !== undefined) {
      box.appendChild(el("div", "相手とする行事すべて all events with it: " + countOf(n.ab, n.ac) +
        note + " (この表示に載らない行事も含む; 指標 high_level では kg query " +
        "events_by_country_year の数 / includes events this view leaves out; for indicator " +
        "high_level, the number kg query events_by_country_year gives)", "kg-dim"));
    }
    var py = perYear(b);
    if (py) { box.appendChild(el("div", py, "kg-dim")); }
    addInfo(box, n.i, full, skip);
    if (full) {
      if (n.a && n.a.length) { box.appendChild(el("div", "別名 aliases: " + n.a.join(", "), "kg-dim")); }
      var href = pageOf(n);
      if (href) {
        var open = el("a", "ページを開く open its page", "kg-open");
        open.href = href;
        box.appendChild(open);
      }
      box.appendChild(el("div", iri(n.r), "kg-dim kg-iri"));
      var links = [];
      network.getConnectedEdges(id).forEach(function (eid) {
        var e = E[eid], other = e[0] === id ? e[1] : e[0];
        if (shownEdges && !shownEdges.has(eid)) { return; }
        links.push([countOf(e[3], e[2]), name(N[other]), e[4] >= 0 ? D.preds[e[4]] : ""]);
      });
      links.sort(function (a, b2) { return b2[0] - a[0]; });
      if (links.length) {
        box.appendChild(el("div", "つながり links (" + links.length + ") — " +
                           (CW.edges_ja ? CW.edges_ja + " / " + CW.edges_en : D.unit.en),
                           "kg-title"));
        links.slice(0, 15).forEach(function (l) {
          box.appendChild(el("div", l[1] + (l[2] ? " [" + l[2] + "]" : "") + " — " + l[0]));
        });
      }
    }
    return box;
  }
  function edgeBox(eid) {
    var e = E[eid], a = N[e[0]], b = N[e[1]], box = el("div");
    box.appendChild(el("div", a.ja + " — " + b.ja, "kg-title"));
    if (a.en || b.en) { box.appendChild(el("div", (a.en || "") + " — " + (b.en || ""))); }
    if (e[4] >= 0) { box.appendChild(el("div", D.preds[e[4]], "kg-dim")); }
    box.appendChild(el("div", D.unit.ja + " " + D.unit.en + ": " + countOf(e[3], e[2]) +
                       (CW.edges_ja ? " — " + CW.edges_ja + " / " + CW.edges_en : "")));
    var py = perYear(e[3]);
    if (py) { box.appendChild(el("div", py, "kg-dim")); }
    addInfo(box, e[5], false);
    return box;
  }

  // -- the network -------------------------------------------------------------------------
  var container = document.getElementById("kg-net");
  times.data = performance.now();
  apply();  // the types hidden by default are hidden from the start (and from the layout)
  network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, D.options);
  times.network = performance.now();

  // -- labels: placed by priority (selected, then bigger nodes first) beside their node, where
  // they overlap no label drawn before, no other node and the view's edge; the rest wait for
  // the zoom. What is drawn is kept in labelBoxes (DOM pixels of #kg-net), for the tests.
  var FACE = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif";
  var SHOW_PX = N.length <= 200 ? 0 : 6, MIN_PX = 11, MAX_PX = 26, CELL = 48, EDGE = 3;
  var order = N.map(function (n, i) { return i; });
  order.sort(function (a, b) { return N[b].s - N[a].s || (N[b].c || 0) - (N[a].c || 0) || a - b; });
  var measure = document.createElement("canvas").getContext("2d"), widths = new Map();
  function textWidth(text, px) {  // measured once at 100 px, scaled (a few % of slack below)
    var w = widths.get(text);
    if (w === undefined) {
      measure.font = "100px " + FACE;
      w = measure.measureText(text).width;
      widths.set(text, w);
    }
    return w * px / 100;
  }
  var labelBoxes = [], labelMs = [];
  function drawLabels(ctx) {
    var started = performance.now();
    var W = container.clientWidth, H = container.clientHeight, scale = network.getScale();
    var selected = new Set(network.getSelectedNodes()), grid = new Map(), placed = [];
    // only the nodes that could get a label or hide one (a big graph seen from afar: few)
    var ids = order.filter(function (i) {
      var n = N[i];
      return (!shownNodes || shownNodes.has(i)) && !selected.has(i) &&
        ((n.f || 14) * scale >= SHOW_PX || n.s * scale >= 3);
    });
    ids = Array.from(selected).filter(function (i) {
      return !shownNodes || shownNodes.has(i);
    }).concat(ids);
    var pos = network.getPositions(ids), dom = {};
    // a node the filters just brought back may not be in vis-network's body yet
    ids = ids.filter(function (i) { return pos[i] !== undefined; });
    function cellsOf(b, f) {
      for (var gx = Math.floor(b[0] / CELL); gx <= Math.floor(b[2] / CELL); gx++) {
        for (var gy = Math.floor(b[1] / CELL); gy <= Math.floor(b[3] / CELL); gy++) {
          f(gx + "," + gy);
        }
      }
    }
    // rank: a shape's place in the order; a label may cover a shape ranked after its own node
    // (a smaller one) only when there is no other room
    function hits(b, owner, rank) {
      var hit = false;
      cellsOf(b, function (k) {
        (grid.get(k) || []).forEach(function (o) {
          if (o.owner !== owner && o.rank <= rank &&
              b[0] < o.b[2] && o.b[0] < b[2] && b[1] < o.b[3] && o.b[1] < b[3]) {
            hit = true;
          }
        });
      });
      return hit;
    }
    function put(b, owner, rank) {
      cellsOf(b, function (k) {
        var list = grid.get(k);
        if (!list) { list = []; grid.set(k, list); }
        list.push({b: b, owner: owner, rank: rank});
      });
    }
    ids.forEach(function (i, rank) {  // the shapes big enough to be seen are obstacles too
      var p = network.canvasToDOM(pos[i]), r = N[i].s * scale;
      dom[i] = p;
      if (r >= 3 && p.x > -r && p.y > -r && p.x < W + r && p.y < H + r) {
        put([p.x - r, p.y - r, p.x + r, p.y + r], i, rank);
      }
    });
    ids.forEach(function (i, rank) {
      var n = N[i], p = dom[i], sel = selected.has(i);
      // in a big view a label waits for the zoom while its nominal size is tiny on screen (a
      // small view labels all it has room for); it is drawn at a readable size at least
      var px = Math.min(MAX_PX, (n.f || 14) * scale);
      if (!sel && px < SHOW_PX) { return; }
      px = Math.max(px, sel ? 13 : MIN_PX);
      if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) { return; }
      var text = labelOf(n), w = textWidth(text, px) * 1.04 + 4, h = px * 1.3;
      var r = n.s * scale, x = p.x, y = p.y;
      var candidates = [
        [x - w / 2, y + r + 1, x + w / 2, y + r + 1 + h],
        [x - w / 2, y - r - 1 - h, x + w / 2, y - r - 1],
        [x + r + 2, y - h / 2, x + r + 2 + w, y + h / 2],
        [x - r - 2 - w, y - h / 2, x - r - 2, y + h / 2]
      ];
      for (var c = 0; c < 2 * candidates.length; c++) {
        var b = candidates[c % candidates.length];
        if (b[0] < EDGE || b[1] < EDGE || b[2] > W - EDGE || b[3] > H - EDGE) { continue; }
        if (hits(b, i, c < candidates.length ? Infinity : rank)) { continue; }
        put(b, -1 - i, -1);  // a label: no label drawn later may cover it
        placed.push({id: i, text: text, px: px, x0: b[0], y0: b[1], x1: b[2], y1: b[3]});
        return;
      }
    });
    var ratio = ctx.canvas.width / Math.max(ctx.canvas.clientWidth, 1);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "middle"; ctx.textAlign = "center"; ctx.lineJoin = "round";
    placed.forEach(function (l) {
      ctx.font = (selected.has(l.id) ? "bold " : "") + l.px.toFixed(1) + "px " + FACE;
      ctx.lineWidth = 3; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = "#1b2631";
      var cx = (l.x0 + l.x1) / 2, cy = (l.y0 + l.y1) / 2;
      ctx.strokeText(l.text, cx, cy);
      ctx.fillText(l.text, cx, cy);
    });
    ctx.restore();
    labelBoxes = placed;
    labelMs.push(performance.now() - started);  // what placing the labels costs a frame
    if (labelMs.length > 50) { labelMs.shift(); }
  }
  network.on("afterDrawing", drawLabels);
  function fitView() {  // the whole view, with a margin for the labels of the outer nodes
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.9, animation: false});
  }
  var stage = document.getElementById("kg-stage");
  var tip = el("div", null, "kg-tip"); tip.style.display = "none"; tip.id = "kg-tip";
  stage.appendChild(tip);
  function showTip(box, p) {
    tip.replaceChildren(box);
    tip.style.display = "block";
    var x = p.DOM.x + 14, y = p.DOM.y + 14;
    tip.style.left = Math.max(0, Math.min(x, stage.clientWidth - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(y, stage.clientHeight - tip.offsetHeight - 4)) + "px";
  }
  function hideTip() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) { showTip(nodeBox(p.node, false), p.pointer); });
  network.on("hoverEdge", function (p) { showTip(edgeBox(p.edge), p.pointer); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  var info = document.getElementById("kg-info");
  function showInfo(id) {
    info.replaceChildren(
      id === null ? el("div", "ノードを選ぶと詳細 / select a node", "kg-dim") : nodeBox(id, true)
    );
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showInfo(p.nodes[0]); }
    else if (p.edges.length) { info.replaceChildren(edgeBox(p.edges[0])); }
    else { showInfo(null); }
  });

  // -- layout: a bounded stabilization, then physics off --------------------------------
  var busy = document.getElementById("kg-busy"), status = document.getElementById("kg-status");
  var iterations = 0;
  function markStable() {
    network.once("afterDrawing", function () {
      var ms = performance.now();
      times.stable = ms;
      window.kgStable = {ms: ms, iterations: iterations, times: times};
      document.documentElement.dataset.kgStable = ms.toFixed(1);
      busy.style.display = "none";
      status.textContent = "配置完了 layout stable (" + (ms / 1000).toFixed(2) + " s)";
    });
    network.redraw();
  }
  if (D.options.physics.enabled && N.length) {
    network.on("stabilizationProgress", function (p) {
      iterations = p.iterations;
      var pct = Math.round(100 * p.iterations / p.total);
      busy.textContent = "配置を計算中 laying out… " + pct + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      times.stabilized = performance.now();
      network.setOptions({physics: {enabled: false}});
      fitView();
      markStable();
    });
  } else {
    if (N.length) { fitView(); }
    markStable();
  }

  // -- controls ----------------------------------------------------------------------------
  function option(value, text) { var o = el("option", text); o.value = value; return o; }
  var fySel = document.getElementById("kg-fy"), indSel = document.getElementById("kg-ind");
  var FIXED = " (作成時の条件 built with)";
  if (B.fy) {  // the view holds that year only: the control says so, and cannot widen it
    fySel.appendChild(option("", (B.fy_ja ? B.fy_ja + " " : "") + B.fy_en + FIXED));
  } else {
    fySel.appendChild(option("", "全年度 all years"));
    D.fys.forEach(function (f) {
      fySel.appendChild(option(f.value, (f.ja ? f.ja + " " : "") + f.en));
    });
  }
  if (B.indicator) {
    indSel.appendChild(option("", B.indicator + " — " + (B.indicator_ja || B.indicator_en) +
                              FIXED));
  } else {
    indSel.appendChild(option("", "全指標 all indicators"));
    D.indicators.forEach(function (i) {
      indSel.appendChild(option(i.value, i.value + " — " + (i.ja || i.en)));
    });
  }
  fySel.disabled = !!B.fy || !D.fys.length; indSel.disabled = !!B.indicator || !D.indicators.length;
  var parts = builtParts();
  document.getElementById("kg-built").textContent =
    parts.length ? "作成条件 built with: " + parts.join(" · ") : "";
  fySel.addEventListener("change", function () { state.fy = fySel.value; apply(); });
  var langSel = document.getElementById("kg-lang");
  function setLang(value) {
    lang = value === "en" ? "en" : "ja";
    langSel.value = lang;
    document.documentElement.lang = lang;
    network.redraw();
  }
  langSel.value = lang; document.documentElement.lang = lang;
  langSel.addEventListener("change", function () { setLang(langSel.value); });
  indSel.addEventListener("change", function () { state.ind = indSel.value; apply(); });
  var SHAPES = {  // unit polygons for the legend's swatches
    square: [[-1, -1], [1, -1], [1, 1], [-1, 1]],
    triangle: [[0, -1], [1, 1], [-1, 1]],
    triangleDown: [[0, 1], [1, -1], [-1, -1]],
    diamond: [[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]],
    hexagon: [0, 1, 2, 3, 4, 5].map(function (i) {
      return [Math.cos(Math.PI / 3 * i), Math.sin(Math.PI / 3 * i)];
    }),
    star: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (i) {
      var a = Math.PI / 5 * i - Math.PI / 2, r = i % 2 ? 0.45 : 1.15;
      return [r * Math.cos(a), r * Math.sin(a)];
    })
  };
  function swatch(t) {
    var c = document.createElement("canvas"), ctx, pts = SHAPES[t.shape];
    c.width = 16; c.height = 16; ctx = c.getContext("2d");
    ctx.fillStyle = t.color; ctx.strokeStyle = "#333"; ctx.beginPath();
    if (pts) {
      pts.forEach(function (p) { ctx.lineTo(8 + 6 * p[0], 8 + 6 * p[1]); });
      ctx.closePath();
    } else {
      ctx.arc(8, 8, 6, 0, 2 * Math.PI);
    }
    ctx.fill(); ctx.stroke();
    return c;
  }
  var legend = document.getElementById("kg-legend");
  T.forEach(function (t) {
    var row = el("label", null, "kg-legend-item"), cb = el("input");
    cb.type = "checkbox"; cb.checked = state.types[t.id]; cb.dataset.type = t.id;
    cb.addEventListener("change", function () { state.types[t.id] = cb.checked; apply(); });
    row.appendChild(cb); row.appendChild(swatch(t));
    row.appendChild(el("span", t.ja + " / " + t.en + " (" + t.count + " ノード nodes)" +
                       (hiddenTypes.has(t.id) ? " — 既定で非表示 hidden at first" : "")));
    legend.appendChild(row);
  });
  var q = document.getElementById("kg-q"), results = document.getElementById("kg-results");
  function select(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    showInfo(id);
  }
  // labels, aliases (統幕長) and IRIs; run again when a filter changes (keep: the camera stays)
  function search(text, keep) {
    var s = String(text || "").trim().toLowerCase(), hits = [], hidden = 0;
    lastQuery = s;
    results.replaceChildren();
    if (!s) { return []; }
    N.forEach(function (n, i) {
      var hay = (n.ja + "\n" + n.en + "\n" + (n.a || []).join("\n") + "\n" + iri(n.r))
        .toLowerCase();
      if (hay.indexOf(s) < 0) { return; }
      if (shownNodes && !shownNodes.has(i)) { hidden += 1; return; }
      hits.push(i);
    });
    hits.sort(function (a, b) { return (N[b].c || 0) - (N[a].c || 0) || a - b; });
    var more = hidden ? " (+" + hidden + " 非表示 hidden by filters)" : "";
    results.appendChild(el("div", hits.length + " 件 found" + more, "kg-dim"));
    hits.slice(0, 30).forEach(function (i) {
      var b = el("button", N[i].ja + (N[i].en ? " / " + N[i].en : ""));
      b.type = "button"; b.dataset.node = String(i);
      b.addEventListener("click", function () { select(i); });
      results.appendChild(b);
    });
    if (hits.length && !keep) { select(hits[0]); }
    return hits;
  }
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault(); search(q.value);
  });
  document.getElementById("kg-fit").addEventListener("click", fitView);
  var cw = document.getElementById("kg-countwhat");
  if (CW.nodes_ja) {
    cw.appendChild(el("div", "ノードの数 a node's number: " + CW.nodes_ja + " / " + CW.nodes_en));
    cw.appendChild(el("div", "つながりの数 a link's number: " + CW.edges_ja + " / " + CW.edges_en));
    if (CW.note_ja) { cw.appendChild(el("div", CW.note_ja + " " + CW.note_en, "kg-dim")); }
  }
  showCounts();
  showEmpty();
  showInfo(null);
  window.kg = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    data: D, state: state, apply: apply, search: search, select: select, setLang: setLang,
    lang: function () { return lang; }, fit: fitView,
    labelOf: function (i) { return labelOf(N[i]); },
    labels: function () { return labelBoxes.slice(); },
    labelMs: function () { return labelMs.slice(); },
    counts: function () {
      return {nodes: nodes.length, edges: edges.length,
              shownNodes: nodeView.length, shownEdges: edgeView.length};
    }
  };
})();

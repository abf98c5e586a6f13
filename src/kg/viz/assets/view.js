
(function () {
  "use strict";
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var times = {script: t0, parsed: performance.now()};
  var N = D.nodes, E = D.edges, T = D.types;
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function short(text, limit) {
    var chars = Array.from(text);
    return chars.length <= limit ? text : chars.slice(0, limit - 1).join("") + "\u2026";
  }
  function iri(r) {
    var i = r.indexOf(":"), p = i > 0 ? D.prefixes[r.slice(0, i)] : undefined;
    return p === undefined ? r : p + r.slice(i + 1);
  }
  // a node's IRI, linked to its page ({pageBase}id/…) when the build minted it
  function pageLink(r) {
    var full = iri(r), ns = D.prefixes.jdxr, box = el("div", null, "kg-dim kg-iri");
    if (D.pageBase && ns && full.indexOf(ns) === 0 && full.length > ns.length) {
      var a = el("a", full);
      a.href = D.pageBase + "id/" + full.slice(ns.length);
      box.appendChild(a);
    } else { box.textContent = full; }
    return box;
  }
  function bdOf(x) { return x >= 0 ? D.bds[x] : null; }
  var maxW = 1;
  E.forEach(function (e) { if (e[2] > maxW) { maxW = e[2]; } });
  function widthOf(w) { return 1 + 7 * Math.sqrt(Math.max(w, 0) / maxW); }
  // labels in Japanese (default) or English: ?lang=en or the page's language menu
  var lang = /[?&#]lang=en\b/.test(location.search + location.hash) ? "en" : "ja";
  function name(n) { return lang === "en" && n.en ? n.en : n.ja; }
  // a label's length limit counts Japanese characters; Latin letters are about half as wide
  function labelOf(n) { return short(name(n), T[n.t].limit * (lang === "en" ? 2 : 1)); }
  var nodes = new vis.DataSet(N.map(function (n, i) {
    var item = {id: i, label: labelOf(n), group: T[n.t].id, size: n.s,
                x: n.x, y: n.y};
    if (n.f) { item.font = {size: n.f}; }
    return item;
  }));
  var curWidth = E.map(function (e) { return widthOf(e[2]); });
  var edges = new vis.DataSet(E.map(function (e, i) {
    return {id: i, from: e[0], to: e[1], width: curWidth[i]};
  }));
  var state = {fy: "", ind: "", types: {}};
  T.forEach(function (t) { state.types[t.id] = true; });
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
  }
  function showCounts() {
    var c = document.getElementById("kg-counts");
    c.textContent = "ノード nodes " + nodes.length + " · エッジ edges " + edges.length;
    c.dataset.nodes = String(nodes.length); c.dataset.edges = String(edges.length);
    var s = document.getElementById("kg-shown");
    s.textContent = "表示 shown " + nodeView.length + " / " + edgeView.length;
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
    return parts.join(" · ");
  }
  function addInfo(box, pairs) {
    (pairs || []).forEach(function (kv) {
      box.appendChild(el("div", D.keys[kv[0]] + ": " + kv[1], "kg-dim"));
    });
  }
  function nodeBox(id, full) {
    var n = N[id], t = T[n.t], box = el("div");
    box.appendChild(el("div", n.ja, "kg-title"));
    if (n.en) { box.appendChild(el("div", n.en)); }
    box.appendChild(el("div", t.ja + " / " + t.en, "kg-dim"));
    var b = n.b === undefined ? -1 : n.b;
    var note = filtered() ? " (絞り込み filtered)" : "";
    box.appendChild(el("div", D.unit.ja + " " + countOf(b, n.c) + " " + D.unit.en + note));
    var py = perYear(b);
    if (py) { box.appendChild(el("div", py, "kg-dim")); }
    addInfo(box, n.i);
    if (full) {
      box.appendChild(pageLink(n.r));
      var links = [];
      network.getConnectedEdges(id).forEach(function (eid) {
        var e = E[eid], other = e[0] === id ? e[1] : e[0];
        if (shownEdges && !shownEdges.has(eid)) { return; }
        links.push([countOf(e[3], e[2]), name(N[other]), e[4] >= 0 ? D.preds[e[4]] : ""]);
      });
      links.sort(function (a, b2) { return b2[0] - a[0]; });
      if (links.length) {
        box.appendChild(el("div", "つながり links (" + links.length + ")", "kg-title"));
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
    box.appendChild(el("div", D.unit.ja + " " + countOf(e[3], e[2]) + " " + D.unit.en));
    var py = perYear(e[3]);
    if (py) { box.appendChild(el("div", py, "kg-dim")); }
    addInfo(box, e[5]);
    return box;
  }

  // -- the network -------------------------------------------------------------------------
  var container = document.getElementById("kg-net");
  times.data = performance.now();
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, D.options);
  times.network = performance.now();
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
  if (D.options.physics.enabled) {
    network.on("stabilizationProgress", function (p) {
      iterations = p.iterations;
      var pct = Math.round(100 * p.iterations / p.total);
      busy.textContent = "配置を計算中 laying out… " + pct + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      times.stabilized = performance.now();
      network.setOptions({physics: {enabled: false}});
      markStable();
    });
  } else {
    network.fit();
    markStable();
  }

  // -- controls ----------------------------------------------------------------------------
  function option(value, text) { var o = el("option", text); o.value = value; return o; }
  var fySel = document.getElementById("kg-fy"), indSel = document.getElementById("kg-ind");
  fySel.appendChild(option("", "全年度 all years"));
  D.fys.forEach(function (f) {
    fySel.appendChild(option(f.value, (f.ja ? f.ja + " " : "") + f.en));
  });
  indSel.appendChild(option("", "全指標 all indicators"));
  D.indicators.forEach(function (i) {
    indSel.appendChild(option(i.value, i.value + " — " + (i.ja || i.en)));
  });
  fySel.disabled = !D.fys.length; indSel.disabled = !D.indicators.length;
  fySel.addEventListener("change", function () { state.fy = fySel.value; apply(); });
  var langSel = document.getElementById("kg-lang");
  function setLang(value) {
    lang = value === "en" ? "en" : "ja";
    langSel.value = lang;
    document.documentElement.lang = lang;
    nodes.update(N.map(function (n, i) { return {id: i, label: labelOf(n)}; }));
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
    cb.type = "checkbox"; cb.checked = true; cb.dataset.type = t.id;
    cb.addEventListener("change", function () { state.types[t.id] = cb.checked; apply(); });
    row.appendChild(cb); row.appendChild(swatch(t));
    row.appendChild(el("span", t.ja + " / " + t.en + " (" + t.count + ")"));
    legend.appendChild(row);
  });
  var q = document.getElementById("kg-q"), results = document.getElementById("kg-results");
  function select(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    showInfo(id);
  }
  function search(text) {
    var s = String(text || "").trim().toLowerCase(), hits = [], hidden = 0;
    results.replaceChildren();
    if (!s) { return []; }
    N.forEach(function (n, i) {
      var hay = (n.ja + "\n" + n.en + "\n" + iri(n.r)).toLowerCase();
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
    if (hits.length) { select(hits[0]); }
    return hits;
  }
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault(); search(q.value);
  });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit(); });
  showCounts();
  showInfo(null);
  window.kg = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    data: D, state: state, apply: apply, search: search, select: select, setLang: setLang,
    lang: function () { return lang; },
    counts: function () {
      return {nodes: nodes.length, edges: edges.length,
              shownNodes: nodeView.length, shownEdges: edgeView.length};
    }
  };
})();

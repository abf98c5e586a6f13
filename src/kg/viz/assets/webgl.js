
(function () {
  "use strict";
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var times = {script: t0, parsed: performance.now()};
  var N = D.nodes, E = D.edges, T = D.types;
  var el = kgPanel.el, short = kgPanel.short;  // panel.js
  function iri(r) { return kgPanel.iri(D.prefixes, r); }
  function hrefOf(n) { return kgPanel.pageOf(D.prefixes, n) || null; }
  function aliasesOf(n) {
    return Array.isArray(n.a) ? n.a.map(String) : [];
  }
  function pageLink(n) {
    var href = hrefOf(n), box = el("div", null, "kg-dim kg-iri");
    if (href) {
      var a = el("a", iri(n.r));
      a.href = href;
      box.appendChild(a);
    } else { box.textContent = iri(n.r); }
    return box;
  }
  function bdOf(x) { return x >= 0 ? D.bds[x] : null; }
  var maxW = 1;
  E.forEach(function (e) { if (e[2] > maxW) { maxW = e[2]; } });
  // sizes in screen pixels: about what fitting vis-network's layout on screen gives, with a
  // floor so that the hubs of a very large graph stay visible
  var k = Math.max(0.15, Math.min(1, 9 / Math.sqrt(Math.max(N.length, 1))));
  function widthOf(w) { return k * (0.6 + 5 * Math.sqrt(Math.max(w, 0) / maxW)); }
  var lang = /[?&#]lang=en\b/.test(location.search + location.hash) ? "en" : "ja";
  function name(n) { return lang === "en" && n.en ? n.en : n.ja; }
  function labelOf(n) { return short(name(n), T[n.t].limit * (lang === "en" ? 2 : 1)); }
  var state = {fy: "", ind: "", types: {}, selected: null};
  var hiddenTypes = new Set(D.hiddenTypes || []);  // the FY hubs of the full view, at first
  T.forEach(function (t) { state.types[t.id] = !hiddenTypes.has(t.id); });
  function filtered() { return state.fy !== "" || state.ind !== ""; }
  function countOf(b, total) {
    if (!filtered()) { return total; }
    var bd = bdOf(b);
    return (bd && bd[(state.fy || "*") + "/" + (state.ind || "*")]) || 0;
  }

  // -- the graph: node keys are positions in N, edge keys positions in E -------------------
  // The graph holds what is drawn, not all the data: counts, search, filters and the details
  // panel read N and E. Every drawn node and edge costs the software renderer per frame (sigma
  // draws each as an instance): at most D.nodeBudget nodes are drawn (level of detail: the
  // largest of those shown, the ones in view first once the camera has moved, and the selected
  // node with its neighbours on top) and at most D.edgeBudget edges, the heaviest of those
  // shown between drawn nodes (a selected node's links on top).
  var graph = new graphology.Graph({
    multi: true, allowSelfLoops: true, type: D.directed ? "directed" : "undirected"
  });
  var NB = D.nodeBudget || N.length, LOD = N.length > NB, BUDGET = D.edgeBudget;
  var inGraph = new Uint8Array(N.length), shownMask = new Uint8Array(N.length).fill(1);
  var bySize = null;  // node positions, largest first (made when first needed)
  function largestFirst() {
    if (bySize === null) {
      var sz = new Float64Array(N.length), j;
      bySize = new Uint32Array(N.length);
      for (j = 0; j < N.length; j++) { sz[j] = N[j].s; bySize[j] = j; }
      bySize.sort(function (a, b) { return sz[b] - sz[a] || a - b; });
    }
    return bySize;
  }
  function nodeAttrs(i) {
    var n = N[i];
    return {
      x: n.x, y: -n.y, size: Math.max(0.5, n.s * k), color: T[n.t].color, label: labelOf(n),
      labelSize: n.f ? Math.min(22, 10 + 0.25 * n.f) : 10
    };
  }
  // Ties (a large view's links are mostly single events') are broken by a hash of the
  // position, so that the drawn ones are spread over the whole graph, not its first events.
  function spread(i) { return Math.imul(i + 1, 2654435761) >>> 0; }
  function weightOf(i) { return countOf(E[i][3], E[i][2]); }
  // the shown edges, heaviest first when there are more than can be drawn
  function ordered(ids) {
    var n = ids.length, j;
    if (n <= BUDGET) { return ids; }
    var w = new Float64Array(n), h = new Uint32Array(n), order = new Uint32Array(n);
    for (j = 0; j < n; j++) { w[j] = weightOf(ids[j]); h[j] = spread(ids[j]); order[j] = j; }
    order.sort(function (a, b) { return w[b] - w[a] || h[a] - h[b]; });
    var out = new Array(n);
    for (j = 0; j < n; j++) { out[j] = ids[order[j]]; }
    return out;
  }
  function addEdge(i) {
    var e = E[i];
    graph.addEdgeWithKey(String(i), String(e[0]), String(e[1]), {size: widthOf(weightOf(i))});
  }
  var edgeOrder = hiddenTypes.size ? [] : ordered(E.map(function (e, i) { return i; }));
  var forced = [], litLinks = [];  // the selected node and its neighbours; its shown links
  var view = null;  // the camera's viewport in graph coordinates, once it has moved
  function inView(i) {
    var n = N[i];
    return n.x >= view.x0 && n.x <= view.x1 && -n.y >= view.y0 && -n.y <= view.y1;
  }
  // make the graph hold what is to be drawn now
  function sync() {
    var want = new Uint8Array(N.length), count = 0, i, j;
    if (!LOD) {
      want.fill(1);  // small enough: every node, the filtered ones hidden
    } else {
      forced.forEach(function (f) { if (!want[f]) { want[f] = 1; count++; } });
      var order = largestFirst();
      for (var pass = view ? 0 : 1; pass < 2; pass++) {
        for (j = 0; j < order.length && count < NB; j++) {
          i = order[j];
          if (!want[i] && shownMask[i] && (pass === 1 || inView(i))) { want[i] = 1; count++; }
        }
      }
    }
    // sigma's handler of a dropped node costs ~8 ms here (1,000 drops: 7.7 s): a graph losing
    // nodes is cleared at once and refilled instead (4,000 additions: ~25 ms)
    var losing = false;
    for (i = 0; i < N.length && !losing; i++) { losing = inGraph[i] === 1 && !want[i]; }
    if (losing) { graph.clear(); inGraph.fill(0); } else { graph.clearEdges(); }
    var hideN = [], showN = [];
    for (i = 0; i < N.length; i++) {
      if (want[i] && !inGraph[i]) { graph.addNode(String(i), nodeAttrs(i)); inGraph[i] = 1; }
      if (want[i]) { (shownMask[i] ? showN : hideN).push(String(i)); }
    }
    if (renderer) {
      renderer.setNodesState(hideN, {isHidden: true}).setNodesState(showN, {isHidden: false});
    }
    var drawn = 0;
    litLinks.forEach(function (eid) { addEdge(eid); });
    for (j = 0; j < edgeOrder.length && drawn < BUDGET; j++) {
      var e = E[edgeOrder[j]];
      if (inGraph[e[0]] && inGraph[e[1]] && !graph.hasEdge(String(edgeOrder[j]))) {
        addEdge(edgeOrder[j]); drawn++;
      }
    }
    if (renderer) {
      renderer.setNodesState(graph.nodes(), {isHighlighted: false});
      if (state.selected !== null) {
        renderer.setNodesState([String(state.selected)], {isHighlighted: true});
      }
      renderer.setEdgesState(litLinks.map(String), {isHighlighted: true});
    }
  }
  var renderer = null, shownNodes = null, shownEdges = null;
  // -- filters: the same rule as the vis-network page (a node's breakdown under FY/indicator)
  function filter() {
    var ns = new Set(), showE = [];
    shownMask.fill(0);
    N.forEach(function (n, i) {
      if (state.types[T[n.t].id] && countOf(n.b === undefined ? -1 : n.b, 1) > 0) {
        ns.add(i); shownMask[i] = 1;
      }
    });
    E.forEach(function (e, i) {
      if (countOf(e[3], e[2]) > 0 && shownMask[e[0]] && shownMask[e[1]]) { showE.push(i); }
    });
    shownNodes = ns; shownEdges = new Set(showE); edgeOrder = ordered(showE);
  }
  times.prepared = performance.now();
  if (hiddenTypes.size) { filter(); }  // the types shown only on request (the FY hubs)
  times.filtered = performance.now();
  sync();
  times.data = performance.now();
  var FONT = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif";
  var D_NODES = Sigma.DEFAULT_STYLES.nodes, D_EDGES = Sigma.DEFAULT_STYLES.edges;
  renderer = new Sigma(graph, document.getElementById("kg-net"), {
    styles: {
      nodes: [D_NODES, {
        labelFont: FONT,
        labelSize: {attribute: "labelSize", defaultValue: 10},
        labelVisibility: {whenState: ["isHovered"], then: "visible",
                          else: {whenState: "isHighlighted", then: "visible", else: "auto"}},
        backdropVisibility: {whenState: "isHovered", then: "visible",
                             else: {whenState: "isHighlighted", then: "visible", else: "hidden"}}
      }],
      edges: [D_EDGES, {
        color: {whenState: "isHighlighted", then: "#c0392b", else: "rgba(120,135,150,0.35)"}
      }]
    },
    settings: {
      itemSizesReference: "screen",
      hideEdgesOnMove: N.length > 20000,
      labelRenderedSizeThreshold: 5,
      labelDensity: 0.5,
      enableEdgeEvents: false,
      enableNodeDrag: false,
      stagePadding: 20
    }
  });
  // sigma's first render ran in its constructor ("afterRender"): the draw calls are issued
  times.network = times.rendered = performance.now();
  if (!LOD && hiddenTypes.size) { sync(); }  // every node is in the graph: hide those filtered

  var stage = document.getElementById("kg-stage");
  var busy = document.getElementById("kg-busy"), status = document.getElementById("kg-status");

  function apply() {
    filter();
    select(state.selected !== null && shownMask[state.selected] ? state.selected : null);
    showCounts();
  }
  function showCounts() {
    var c = document.getElementById("kg-counts"), n = counts();
    c.textContent = "ノード nodes " + n.nodes + " · エッジ edges " + n.edges;
    c.dataset.nodes = String(n.nodes); c.dataset.edges = String(n.edges);
    var s = document.getElementById("kg-shown");
    s.textContent = "表示 shown " + n.shownNodes + " / " + n.shownEdges +
      (n.drawnNodes < n.shownNodes ? " (描画ノード nodes drawn " + n.drawnNodes + " / " +
       n.shownNodes + ": 大きい順・画面内優先 largest, in view first; " +
       "ズームで残りも zoom in for the rest)" : "") +
      (n.drawnEdges < n.shownEdges ? " (描画エッジ edges drawn " + n.drawnEdges +
       ": 重い順 heaviest; 絞り込みかノード選択で残りも filter or select for the rest)" : "");
    s.dataset.nodes = String(n.shownNodes); s.dataset.edges = String(n.shownEdges);
    s.dataset.drawn = String(n.drawnEdges); s.dataset.drawnNodes = String(n.drawnNodes);
  }
  function counts() {
    return {nodes: N.length, edges: E.length,
            shownNodes: shownNodes ? shownNodes.size : N.length,
            shownEdges: shownEdges ? shownEdges.size : E.length,
            drawnNodes: LOD ? graph.order : (shownNodes ? shownNodes.size : N.length),
            drawnEdges: graph.size};
  }
  // each node's links (positions in E), made when first asked for
  var incident = null;
  function linksOf(id) {
    if (incident === null) {
      incident = N.map(function () { return []; });
      E.forEach(function (e, i) {
        incident[e[0]].push(i);
        if (e[1] !== e[0]) { incident[e[1]].push(i); }
      });
    }
    return incident[id];
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
  // a number's plain name (D.keyNames, as on the vis page) and, in the details panel, one line
  // on what it means
  function addInfo(box, pairs, full) {
    (pairs || []).forEach(function (kv) {
      var key = D.keys[kv[0]], k = (D.keyNames || {})[key];
      box.appendChild(el("div", (k ? k.ja + " " + k.en : key) + ": " + kv[1], "kg-dim"));
      if (full && k && (k.help_ja || k.help_en)) {
        box.appendChild(el("div", [k.help_ja, k.help_en].filter(Boolean).join(" / "), "kg-help"));
      }
    });
  }
  function nodeBox(id, full) {
    var n = N[id], t = T[n.t], box = el("div");
    box.appendChild(el("div", n.ja, "kg-title"));
    if (n.en) { box.appendChild(el("div", n.en)); }
    var al = aliasesOf(n);
    if (al.length) { box.appendChild(el("div", "別名 aliases: " + al.join(", "), "kg-dim")); }
    box.appendChild(el("div", t.ja + " / " + t.en, "kg-dim"));
    var b = n.b === undefined ? -1 : n.b;
    var note = filtered() ? " (絞り込み filtered)" : "";
    box.appendChild(el("div", D.unit.ja + " " + countOf(b, n.c) + " " + D.unit.en + note));
    var py = perYear(b);
    if (py) { box.appendChild(el("div", py, "kg-dim")); }
    addInfo(box, n.i, full);
    if (full) {
      box.appendChild(pageLink(n));
      var links = [];
      linksOf(id).forEach(function (eid) {
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
  var tip = el("div", null, "kg-tip"); tip.style.display = "none"; tip.id = "kg-tip";
  stage.appendChild(tip);
  function hideTip() { tip.style.display = "none"; }
  renderer.on("enterNode", function (p) {
    tip.replaceChildren(nodeBox(+p.node, false));
    tip.style.display = "block";
    var x = p.event.x + 14, y = p.event.y + 14;
    tip.style.left = Math.max(0, Math.min(x, stage.clientWidth - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(y, stage.clientHeight - tip.offsetHeight - 4)) + "px";
  });
  renderer.on("leaveNode", hideTip);
  renderer.getCamera().on("updated", hideTip);
  // in a large view, the drawn nodes follow the camera once it has settled
  var settle = null;
  function follow() {
    var dim = renderer.getDimensions();
    var a = renderer.viewportToGraph({x: 0, y: 0});
    var b = renderer.viewportToGraph({x: dim.width, y: dim.height});
    view = {x0: Math.min(a.x, b.x), x1: Math.max(a.x, b.x), y0: Math.min(a.y, b.y),
            y1: Math.max(a.y, b.y)};
    sync();
    showCounts();
  }
  if (LOD) {
    renderer.getCamera().on("updated", function () {
      if (settle !== null) { clearTimeout(settle); }
      settle = setTimeout(function () { settle = null; follow(); }, 200);
    });
  }
  var info = document.getElementById("kg-info");
  function showInfo(id) {
    info.replaceChildren(
      id === null ? el("div", "ノードを選ぶと詳細 / select a node", "kg-dim") : nodeBox(id, true)
    );
  }
  // the selected node and its links are highlighted (label shown, links red); its shown links
  // are drawn beyond the edge budget, and in a large view its neighbours beyond the node budget
  // (the heaviest D.nodeBudget of its links)
  function select(id, zoom) {
    state.selected = id; forced = []; litLinks = [];
    if (id !== null) {
      var links = linksOf(id).filter(function (eid) {
        return !shownEdges || shownEdges.has(eid);
      });
      if (LOD) {
        if (links.length > NB) { links = ordered(links).slice(0, NB); }
        forced.push(id);
        links.forEach(function (eid) { var e = E[eid]; forced.push(e[0] === id ? e[1] : e[0]); });
      }
      litLinks = links;
    }
    sync();
    if (id !== null && zoom) {
      // the graph has just changed: sigma normalizes its display data when it next processes
      renderer.refresh();
      var d = renderer.getNodeDisplayData(String(id)), cam = renderer.getCamera();
      var ratio = Math.min(cam.ratio, Math.max(0.08, 4 / Math.sqrt(N.length)));
      if (d) { cam.setState({x: d.x, y: d.y, ratio: ratio}); }
    }
    showInfo(id);
  }
  renderer.on("clickNode", function (p) { select(+p.node, false); });
  renderer.on("clickStage", function () { select(null); });

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
  indSel.addEventListener("change", function () { state.ind = indSel.value; apply(); });
  var langSel = document.getElementById("kg-lang");
  function setLang(value) {
    lang = value === "en" ? "en" : "ja";
    langSel.value = lang;
    document.documentElement.lang = lang;
    graph.updateEachNodeAttributes(function (key, a) {
      a.label = labelOf(N[+key]);
      return a;
    }, {attributes: ["label"]});
  }
  langSel.value = lang; document.documentElement.lang = lang;
  langSel.addEventListener("change", function () { setLang(langSel.value); });
  var legend = document.getElementById("kg-legend");
  T.forEach(function (t) {
    var row = el("label", null, "kg-legend-item"), cb = el("input");
    var sw = el("span", null, "kg-swatch");
    cb.type = "checkbox"; cb.checked = state.types[t.id]; cb.dataset.type = t.id;
    cb.addEventListener("change", function () { state.types[t.id] = cb.checked; apply(); });
    sw.style.background = t.color;
    row.appendChild(cb); row.appendChild(sw);
    row.appendChild(el("span", t.ja + " / " + t.en + " (" + t.count + ")" +
                       (hiddenTypes.has(t.id) ? " — 既定で非表示 hidden at first" : "")));
    legend.appendChild(row);
  });
  var q = document.getElementById("kg-q"), results = document.getElementById("kg-results");
  function search(text) {
    var s = String(text || "").trim().toLowerCase(), hits = [], hidden = 0;
    results.replaceChildren();
    if (!s) { return []; }
    N.forEach(function (n, i) {
      var hay = (n.ja + "\n" + n.en + "\n" + aliasesOf(n).join("\n") + "\n" + iri(n.r));
      if (hay.toLowerCase().indexOf(s) < 0) { return; }
      if (shownNodes && !shownNodes.has(i)) { hidden += 1; return; }
      hits.push(i);
    });
    hits.sort(function (a, b) { return (N[b].c || 0) - (N[a].c || 0) || a - b; });
    var more = hidden ? " (+" + hidden + " 非表示 hidden by filters)" : "";
    results.appendChild(el("div", hits.length + " 件 found" + more, "kg-dim"));
    hits.slice(0, 30).forEach(function (i) {
      var b = el("button", N[i].ja + (N[i].en ? " / " + N[i].en : ""));
      b.type = "button"; b.dataset.node = String(i);
      b.addEventListener("click", function () { select(i, true); });
      results.appendChild(b);
    });
    if (hits.length) { select(hits[0], true); }
    return hits;
  }
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault(); search(q.value);
  });
  document.getElementById("kg-fit").addEventListener("click", function () {
    renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1, angle: 0});
  });
  showCounts();
  showInfo(null);

  // -- the stable first frame: sigma renders once in its constructor (layout precomputed, no
  // physics); two animation frames later that frame has been handed to the screen
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      var ms = performance.now();
      times.stable = ms;
      window.kgStable = {ms: ms, iterations: 0, times: times};
      // the drawn nodes change with the camera: keep the first frame's normalization
      if (LOD) { renderer.setCustomBBox(renderer.getBBox()); }
      document.documentElement.dataset.kgStable = ms.toFixed(1);
      busy.style.display = "none";
      status.textContent = "描画完了 drawn (" + (ms / 1000).toFixed(2) + " s)";
    });
  });
  window.kg = {
    renderer: renderer, graph: graph, data: D, state: state, apply: apply, search: search,
    select: select, selected: function () { return state.selected; }, setLang: setLang,
    counts: counts, hrefOf: hrefOf, follow: follow, lang: function () { return lang; }
  };
})();

// The published folder's search: ranks the names of search-index.js (kg.publish.search)
// as kg lookup does (exact, prefix, part of a name) and lists the hits, each linked to its
// page. Every text reaches the page through textContent.
(function () {
  "use strict";
  var D = window.JDX_SEARCH;
  var lang = document.documentElement.lang === "en" ? "en" : "ja";
  var LIMIT = 50;
  // kg.sparql.names.normalize: NFKC, case-folded, punctuation (P), separators (Z) and
  // control characters (C) left out.
  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(/[\p{P}\p{Z}\p{C}]/gu, "");
  }
  function pageOf(href) {
    return lang === "en" ? href.replace(/\.html$/, ".en.html") : href;
  }
  function rank(q) {
    var hits = [];
    D.entries.forEach(function (e, i) {
      var best = 0;
      e[5].forEach(function (n) {
        var s = n === q ? 1 : n.indexOf(q) === 0 ? 0.8 + 0.15 * q.length / n.length
          : n.indexOf(q) > 0 ? 0.6 + 0.15 * q.length / n.length : 0;
        if (s > best) best = s;
      });
      if (best > 0) hits.push([best, i]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return hits;
  }
  function show(text) {
    var list = document.getElementById("search-hits");
    var status = document.getElementById("search-status");
    list.textContent = "";
    var q = normalize(text || "");
    if (!q) { status.textContent = lang === "en" ? "Type a name above." : "上の欄に名前を入力してください。"; return; }
    var hits = rank(q);
    status.textContent = (lang === "en" ? hits.length + " found for " : hits.length + " 件: ") + text;
    hits.slice(0, LIMIT).forEach(function (h) {
      var e = D.entries[h[1]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = pageOf(e[0]);
      a.textContent = (lang === "en" ? e[3] || e[2] : e[2] || e[3]) || e[0];
      li.appendChild(a);
      var other = lang === "en" ? e[2] : e[3];
      var kind = document.createElement("span");
      kind.className = "type";
      kind.textContent = " " + (other ? other + " · " : "") + D.types[e[1]][lang] + (e[4] ? " · " + e[4] : "");
      li.appendChild(kind);
      list.appendChild(li);
    });
  }
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.querySelector("form.search input[name=q]");
  if (box) box.value = q;
  show(q);
})();

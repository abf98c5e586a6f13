
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("kg-data").textContent);
  var world = JSON.parse(document.getElementById("kg-world-data").textContent);
  var CHARTS = ["world", "by_indicator", "by_kind", "by_mode", "timeline"];
  var views = [];
  var lang = page.lang;

  // The map's layers name the inlined countries-50m.json by a placeholder (one copy per page).
  function fill(node) {
    if (Array.isArray(node)) {
      node.forEach(fill);
    } else if (node && typeof node === "object") {
      Object.keys(node).forEach(function (k) {
        if (k === "values" && node[k] === page.world) {
          node[k] = world;
        } else if (k !== "values") {
          fill(node[k]);
        }
      });
    }
  }

  // A page opened from disk has no /id/… pages beside it (they are kg serve's): link each mark to
  // its IRI instead, as the network views do. Served pages and published folders keep theirs.
  var PAGE_ROOT = "https://w3id.org/jdx/";
  function onDisk(node) {
    if (Array.isArray(node)) {
      node.forEach(onDisk);
    } else if (node && typeof node === "object") {
      Object.keys(node).forEach(function (k) {
        var v = node[k];
        if ((k === "href" || k === "fy_href") && typeof v === "string" && v.charAt(0) === "/") {
          node[k] = PAGE_ROOT + v.slice(1);
        } else if (v !== world) {
          onDisk(v);
        }
      });
    }
  }
  if (location.protocol === "file:") {
    onDisk(page);
  }

  // Everything is inline: a loader that never fetches, and links open in this tab.
  function loader() {
    var l = vega.loader({ target: "_self" });
    l.load = function (uri) {
      return Promise.reject(new Error("the overview loads nothing: " + uri));
    };
    return l;
  }

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function summary(t) {
    var list = document.getElementById("kg-summary");
    list.textContent = "";
    page.summary.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.setAttribute("href", r.fy_href);
      a.textContent = r["fy_" + lang];
      li.appendChild(a);
      var rest = t.summary_row
        .replace("{fy}", "")
        .replace("{events}", r.events)
        .replace("{partnered}", r.partnered)
        .replace("{partners}", r.partners);
      li.appendChild(document.createTextNode(rest));
      list.appendChild(li);
    });
  }

  function render() {
    var t = page.text[lang];
    document.documentElement.lang = lang;
    document.documentElement.removeAttribute("data-kg-stable");
    document.title = t.title;
    text("kg-title", t.title);
    text("kg-subtitle", t.subtitle);
    text("kg-lang", t.lang);
    text("kg-summary-title", t.summary);
    text("kg-note", t.note);
    summary(t);
    var undated = page.summary.reduce(function (n, r) { return n + r.no_month; }, 0);
    text("kg-undated", undated ? t.undated.replace("{n}", undated) : "");
    views.forEach(function (v) { v.finalize(); });
    views = [];
    var specs = JSON.parse(JSON.stringify(page.specs[lang]));
    fill(specs.world);
    var opts = {
      renderer: "svg",
      actions: false,
      ast: true,
      expr: window.vegaExpressionInterpreter,
      loader: loader(),
      tooltip: { theme: "light" }
    };
    return Promise.all(CHARTS.map(function (name) {
      return vegaEmbed("#kg-" + name, specs[name], opts).then(function (res) {
        views.push(res);
        return res;
      });
    })).then(function () {
      document.documentElement.setAttribute("data-kg-stable", lang);
    }, function (err) {
      console.error(err);
    });
  }

  document.getElementById("kg-lang").addEventListener("click", function () {
    lang = lang === "ja" ? "en" : "ja";
    render();
  });
  render();
})();

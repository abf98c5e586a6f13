// The query page of `kg serve`: plain JS, no external assets. Data from the endpoint is
// only ever put on the page with textContent (never innerHTML).
"use strict";

(function () {
  const ENDPOINT = "/sparql";
  const NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger)$/;
  const DEFAULT_BODY =
    "SELECT ?class (COUNT(?s) AS ?n) WHERE {\n  ?s a ?class .\n}\nGROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 50\n";
  // The project's prefixes (kg.model.vocab), from the endpoint: [prefix, namespace] pairs,
  // longest namespace first, as kg.model.vocab.compact reads them.
  let prefixes = [];

  const $ = (id) => document.getElementById(id);
  const editor = $("editor");
  const runButton = $("run");
  const statusLine = $("status");
  const results = $("results");
  const paramForm = $("params");
  let queries = [];
  let current = null; // the named query selected, or null

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", !!isError);
  }

  function shorten(iri) {
    for (const [p, ns] of prefixes) {
      const local = iri.slice(ns.length);
      if (iri.startsWith(ns) && local && !local.startsWith("//")) return p + ":" + local;
    }
    return iri;
  }

  // The page of an IRI this server answers for: /id/… for the build's resources, /ontology#…
  // for the ontology's terms (kg.serve.pages); null for the rest of the web.
  function pageOf(iri) {
    const table = new Map(prefixes);
    const ids = table.get("jdxr"), onto = table.get("jdx");
    if (ids && iri.startsWith(ids) && iri.length > ids.length) return "/id/" + iri.slice(ids.length);
    if (onto && iri.startsWith(onto) && iri.length > onto.length) {
      return "/ontology#" + encodeURIComponent(iri.slice(onto.length));
    }
    return null;
  }

  async function loadPrefixes() {
    try {
      const r = await fetch("/api/prefixes", { headers: { Accept: "application/json" } });
      if (!r.ok) throw new Error(await r.text());
      const table = await r.json();
      prefixes = Object.entries(table)
        .filter(([p, ns]) => typeof ns === "string")
        .sort((a, b) => b[1].length - a[1].length);
    } catch (e) {
      prefixes = []; // IRIs are then shown in full; queries still know the prefixes
    }
  }

  // The starting query, with PREFIX lines for the prefixes it uses (so it runs anywhere).
  function defaultQuery() {
    const known = new Map(prefixes);
    const lines = ["jdx", "rdfs"].filter((p) => known.has(p)).map((p) => "PREFIX " + p + ": <" + known.get(p) + ">\n");
    return lines.join("") + (lines.length ? "\n" : "") + DEFAULT_BODY;
  }

  // ---- named queries ---------------------------------------------------------------

  async function loadQueries() {
    try {
      const r = await fetch("/api/queries", { headers: { Accept: "application/json" } });
      if (!r.ok) throw new Error(await r.text());
      queries = await r.json();
    } catch (e) {
      setStatus("Could not load the named queries: " + e.message, true);
      queries = [];
    }
    const list = $("query-list");
    list.replaceChildren();
    for (const q of queries) {
      const b = el("button");
      b.type = "button";
      b.dataset.name = q.name;
      b.setAttribute("aria-pressed", "false");
      b.append(el("span", q.name, "qname"), el("span", q.question_ja, "qja"), el("span", q.question_en, "qen"));
      b.addEventListener("click", () => selectQuery(q.name));
      const li = el("li");
      li.append(b);
      list.append(li);
    }
  }

  function selectQuery(name) {
    const q = queries.find((x) => x.name === name) || null;
    current = q;
    for (const b of document.querySelectorAll("#query-list button")) {
      b.setAttribute("aria-pressed", String(b.dataset.name === name));
    }
    $("selected").hidden = !q;
    paramForm.replaceChildren();
    paramForm.hidden = true;
    if (!q) return;
    $("selected-name").textContent = q.name;
    $("selected-ja").textContent = q.question_ja;
    $("selected-en").textContent = q.question_en;
    $("selected-note").textContent = q.note ? "Note: " + q.note : "";
    $("selected-note").hidden = !q.note;
    editor.value = q.text;
    const examples = parseExample(q.example);
    for (const [p, spec] of Object.entries(q.params || {})) {
      const label = el("label");
      const desc = spec.description ? " — " + spec.description : "";
      label.append(el("span", p + (spec.optional ? " (optional)" : "") + desc));
      if (spec.help && spec.help.text) label.append(el("small", spec.help.text)); // allowed values
      const input = el("input");
      input.name = p;
      input.required = !spec.optional;
      input.autocomplete = "off";
      if (spec.pattern) input.pattern = spec.pattern; // the exact form kg serve accepts
      if (examples[p]) input.value = examples[p];
      input.placeholder = examples[p] || spec.kind || "";
      label.append(input);
      paramForm.append(label);
      paramForm.hidden = false;
    }
    setStatus(q.question_en ? "Selected: " + q.name : "");
  }

  // "kg query country_timeline --param country=PHL", "country=AUS&fy=2022", or a bare "AUS"
  function parseExample(example) {
    const out = {};
    if (!example || !current) return out;
    const names = Object.keys(current.params || {});
    const re = /\b([A-Za-z_]+)=([^\s&"']+)/g;
    let m;
    while ((m = re.exec(example)) !== null) {
      if (names.includes(m[1])) out[m[1]] = m[2];
    }
    if (names.length === 1 && !out[names[0]] && !/[=\s]/.test(example.trim())) {
      out[names[0]] = example.trim();
    }
    return out;
  }

  // ---- running -----------------------------------------------------------------------

  function requestParams() {
    const body = new URLSearchParams();
    body.set("query", editor.value);
    if (current && current.params && Object.keys(current.params).length) {
      body.set("name", current.name);
      for (const input of paramForm.querySelectorAll("input")) body.set(input.name, input.value.trim());
    }
    return body;
  }

  async function run() {
    if (!editor.value.trim()) {
      setStatus("Write a query first.", true);
      return;
    }
    if (!paramForm.hidden && !paramForm.reportValidity()) return;
    runButton.disabled = true;
    setStatus("Running…");
    results.replaceChildren();
    $("downloads").hidden = true;
    const body = requestParams();
    const t0 = performance.now();
    try {
      // The query text as an application/sparql-query body (a type no page of another origin
      // can send without a preflight, which this endpoint never grants); a named query's name
      // and parameters in the URL.
      const inUrl = new URLSearchParams(body);
      inUrl.delete("query");
      const target = ENDPOINT + (inUrl.toString() ? "?" + inUrl.toString() : "");
      const r = await fetch(target, {
        method: "POST",
        headers: {
          "Content-Type": "application/sparql-query",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: body.get("query"),
      });
      const ms = Math.round(performance.now() - t0);
      if (!r.ok) {
        setStatus(r.status + " " + (await r.text()), true);
        return;
      }
      const ctype = r.headers.get("Content-Type") || "";
      const truncated = r.headers.get("KG-Truncated");
      const note = truncated ? " — truncated: the answer was cut at the row limit (" + truncated + ")" : "";
      if (ctype.startsWith("application/sparql-results+json")) {
        const data = await r.json();
        if ("boolean" in data) {
          results.append(el("p", "ASK → " + data.boolean, "boolean"));
          setStatus("ASK answered in " + ms + " ms");
        } else {
          renderTable(data);
          const n = data.results.bindings.length;
          setStatus(n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms" + note);
        }
        showDownloads(body, "results");
      } else {
        const text = await r.text();
        results.append(el("pre", text, "graph"));
        const n = r.headers.get("KG-Results");
        setStatus((n ? n + " triples" : "Graph") + " in " + ms + " ms" + note);
        showDownloads(body, "graph");
      }
    } catch (e) {
      setStatus("Request failed: " + e.message, true);
    } finally {
      runButton.disabled = false;
    }
  }

  function renderTable(data) {
    const vars = data.head.vars || [];
    const table = el("table");
    const thead = el("thead");
    const hr = el("tr");
    for (const v of vars) hr.append(el("th", v));
    thead.append(hr);
    const tbody = el("tbody");
    const frag = document.createDocumentFragment();
    for (const b of data.results.bindings) {
      const tr = el("tr");
      for (const v of vars) tr.append(cell(b[v]));
      frag.append(tr);
    }
    tbody.append(frag);
    table.append(thead, tbody);
    results.append(table);
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const page = pageOf(term.value);
      const s = el(page ? "a" : "span", shorten(term.value), "iri");
      if (page) s.href = page;
      s.title = term.value;
      td.append(s);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "literal") {
      td.append(document.createTextNode(term.value));
      if (term["xml:lang"]) td.append(el("span", "@" + term["xml:lang"], "lang"));
      if (term.datatype && NUMERIC.test(term.datatype)) td.className = "n";
      if (term.datatype) td.title = shorten(term.datatype);
    } else {
      td.textContent = JSON.stringify(term.value);
    }
    return td;
  }

  function showDownloads(body, kind) {
    const ids = kind === "results" ? ["csv", "excel", "tsv", "json", "xml"] : ["ttl", "jsonld"];
    const fmt = { csv: "csv", excel: "excel", tsv: "tsv", json: "json", xml: "xml", ttl: "turtle", jsonld: "json-ld" };
    for (const id of ["csv", "excel", "tsv", "json", "xml", "ttl", "jsonld"]) {
      const a = $("dl-" + id);
      a.hidden = !ids.includes(id);
      const p = new URLSearchParams(body);
      p.set("format", fmt[id]);
      a.href = ENDPOINT + "?" + p.toString();
    }
    $("downloads").hidden = false;
  }

  // ---- editor --------------------------------------------------------------------

  editor.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    } else if (e.key === "Tab" && !e.shiftKey) {
      e.preventDefault();
      const { selectionStart: a, selectionEnd: b, value } = editor;
      editor.value = value.slice(0, a) + "  " + value.slice(b);
      editor.selectionStart = editor.selectionEnd = a + 2;
    }
  });
  runButton.addEventListener("click", run);
  paramForm.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  $("new-query").addEventListener("click", () => {
    selectQuery(null);
    editor.value = defaultQuery();
    results.replaceChildren();
    setStatus("");
    editor.focus();
  });

  async function loadHealth() {
    try {
      const h = await (await fetch("/health")).json();
      $("health").textContent =
        h.triples + " triples · time limit " + h.timeout_s + " s · row limit " + h.max_rows;
    } catch (e) {
      $("health").textContent = "";
    }
  }

  loadHealth();
  loadPrefixes().then(() => {
    if (!editor.value) editor.value = defaultQuery();
  });
  loadQueries().then(() => {
    const want = new URLSearchParams(location.search).get("q");
    if (want) selectQuery(want);
  });
})();

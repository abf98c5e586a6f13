// The SPARQL page of a published folder (kg.publish.sparql). This code follows the oxigraph
// package's web.js in the same inline module, so `__wbg_init` and `Store` are in scope. The
// engine starts from the wasm bytes of static/oxigraph-wasm.js, loads sparql-graph.js's
// N-Triples, and runs the named queries of sparql-queries.js with their parameters bound as
// kg.sparql's prepare binds them. Every text reaches the page through textContent.
const C = window.JDX_QUERIES;
const lang = document.documentElement.lang === "en" ? "en" : "ja";
const $ = (id) => document.getElementById(id);
const T = (ja, en) => (lang === "en" ? en : ja);
const t0 = performance.now();
window.jdx = { ready: false, timings: {} };

function bytesOf(b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// kg.sparql.params: a value of each kind as the term (N-Triples) kg query binds.
const IRI_SAFE = /^[A-Za-z0-9\-._~/%:@!$&'()*+,;=]*$/;
const ORGS = ["NATO", "EU", "ASEAN"];
const KINDS = {
  iso3(v) {
    const code = v.trim().toUpperCase();
    if (!(/^[A-Z]{3}$/.test(code) || ORGS.includes(code))) return null;
    return `<${C.jdxr}country/${code}>`;
  },
  fy(v) {
    let s = v.trim();
    if (s.toUpperCase().startsWith("FY")) s = s.slice(2);
    if (!/^[0-9]{4}$/.test(s) || +s < C.fy[0] || +s > C.fy[1]) return null;
    return `<${C.jdxr}fy/${+s}>`;
  },
  slug(v) {
    const s = v.trim();
    return /^[a-z_]+$/.test(s) ? JSON.stringify(s) : null;
  },
  date(v) {
    const s = v.trim();
    return /^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$/.test(s) ? JSON.stringify(s) : null;
  },
  iri(v) {
    let s = v.trim();
    if (s.startsWith("jdxr:")) s = C.jdxr + s.slice(5);
    else if (s.startsWith("<") && s.endsWith(">")) s = s.slice(1, -1);
    if (!s.startsWith(C.jdxr) || s.length === C.jdxr.length || !IRI_SAFE.test(s)) return null;
    return `<${s}>`;
  },
};
function normalize(text) {
  return text.normalize("NFKC").toLowerCase().replace(/[\p{P}\p{Z}\p{C}]/gu, "");
}

// A parameter's term: its kind's form, else the one value its name stands for.
function term(q, p, value) {
  let t = KINDS[p.kind](value);
  if (t === null) {
    const found = p.names[normalize(value)] || [];
    if (found.length === 1) t = KINDS[p.kind](found[0]);
    else if (found.length > 1) throw new Error(`${p.name}=${value}: ${T("複数に該当します", "is ambiguous")}: ${found.join(", ")}`);
  }
  if (t === null) throw new Error(`${T("値が不正です", "bad value")} ${JSON.stringify(value)} (${p.name}: ${p.looks})`);
  return t;
}

// kg.sparql.binding.prepare: VALUES blocks inside the WHERE groups, missing PREFIX lines in front.
function prepare(q, values) {
  const bound = {};
  for (const p of q.params) {
    const v = values[p.name];
    if (v === undefined || v === null || v === "") {
      if (!p.optional) throw new Error(`${q.name} ${T("にはパラメーターが必要です", "needs the parameter")} ${p.name} (${p.looks})`);
      continue;
    }
    bound[p.variable] = term(q, p, String(v));
  }
  let text = "";
  for (const piece of q.pieces) {
    if (typeof piece === "string") { text += piece; continue; }
    const ins = piece.filter((v) => v in bound).map((v) => `VALUES ?${v} { ${bound[v]} }`);
    if (ins.length) text += " " + ins.join(" ") + " ";
  }
  return q.head ? q.head + " " + text : text;
}
function withPrefixes(text) {
  const declared = new Set([...text.matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi)].map((m) => m[1] || ""));
  const head = Object.keys(C.prefixes).filter((p) => !declared.has(p)).map((p) => `PREFIX ${p}: <${C.prefixes[p]}>`);
  return head.length ? head.join(" ") + " " + text : text;
}

// The columns of a typed SELECT, in its order (the engine's rows do not keep it): the
// variables of the projection, ``(… AS ?v)`` giving ?v; null for SELECT * or no SELECT.
function projection(text) {
  const bare = text.replace(/<[^>\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g, (m) => (m[0] === "#" ? "" : m));
  const m = bare.match(/\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?([\s\S]*?)(?=\bWHERE\b|\{|\bFROM\b)/i);
  if (!m || m[1].trim() === "*") return null;
  const vars = [];
  let depth = 0;
  for (const t of m[1].match(/\(|\)|\bAS\s+[?$]\w+|[?$]\w+/gi) || []) {
    if (t === "(") depth++;
    else if (t === ")") depth--;
    else if (/^AS/i.test(t)) vars.push(t.replace(/^AS\s+[?$]/i, ""));
    else if (depth === 0) vars.push(t.slice(1));
  }
  return vars.length ? vars : null;
}

// kg.model.vocab.page_href(iri, "", static=True), for this page's language.
function pageOf(iri) {
  const html = lang === "en" ? ".en.html" : ".html";
  if (iri.startsWith(C.jdxr) && iri.length > C.jdxr.length) {
    return "id/" + encodeURI(iri.slice(C.jdxr.length)).replace(/[?#]/g, encodeURIComponent) + html;
  }
  if (iri.startsWith(C.jdx) && iri.length > C.jdx.length) return "ontology" + html + "#" + encodeURIComponent(iri.slice(C.jdx.length));
  if (iri === C.ontology) return "ontology" + html;
  return null;
}

// SPARQL 1.1 JSON results of a SELECT (what `kg query -f json` writes) or ASK.
function asJson(found, variables) {
  if (typeof found === "boolean") return { head: {}, boolean: found };
  const vars = variables ? [...variables] : [];
  const bindings = found.map((row) => {
    const b = {};
    for (const [k, t] of row) {
      if (!vars.includes(k)) vars.push(k);
      if (t.termType === "NamedNode") b[k] = { type: "uri", value: t.value };
      else if (t.termType === "BlankNode") b[k] = { type: "bnode", value: t.value };
      else {
        const lit = { type: "literal", value: t.value };
        if (t.language) lit["xml:lang"] = t.language;
        else if (t.datatype && t.datatype.value !== "http://www.w3.org/2001/XMLSchema#string") lit.datatype = t.datatype.value;
        b[k] = lit;
      }
    }
    return b;
  });
  return { head: { vars }, results: { bindings } };
}
function csvOf(json) {
  const cell = (s) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
  const vars = json.head.vars;
  const lines = [vars.map(cell).join(",")];
  for (const b of json.results.bindings) lines.push(vars.map((v) => cell(b[v] ? b[v].value : "")).join(","));
  return lines.join("\r\n") + "\r\n";
}

// The editor: YASGUI's Yasqe (static/yasgui.min.js) with every call out of the page turned off
// (no prefix.cc or LOV autocompletion, no shared links, no query button: its Ctrl-Enter runs
// here), else the plain text box.
let yasqe = null;
function makeEditor() {
  const Y = window.Yasgui;
  if (yasqe) return;
  if (!Y || !Y.Yasqe) return;
  const box = $("query-text");
  const holder = document.createElement("div");
  holder.id = "yasqe";
  box.after(holder);
  box.hidden = true;
  yasqe = new Y.Yasqe(holder, {
    value: box.value,
    autocompleters: [],
    persistenceId: null,
    persistent: null,
    createShareableLink: null,
    showQueryButton: false,
    resizeable: true,
    editorHeight: "320px",
    requestConfig: { endpoint: "" },
    syntaxErrorCheck: false, // it flags the project's prefixes, which the page adds on running
  });
  // Its options merge lists with the defaults, so `autocompleters: []` leaves them all on:
  // those that ask prefix.cc and LOV go here (only the local one, of variables, is kept).
  for (const name of [...yasqe.config.autocompleters]) {
    if (name !== "variables") yasqe.disableCompleter(name);
  }
  window.jdx.yasqe = yasqe;
  // Yasqe's own Ctrl-Enter would send the query over HTTP: it runs here instead.
  const keys = Object.assign({}, yasqe.getOption("extraKeys"));
  keys["Ctrl-Enter"] = keys["Cmd-Enter"] = () => runPage();
  yasqe.setOption("extraKeys", keys);
}
const getText = () => (yasqe ? yasqe.getValue() : $("query-text").value);
function setText(text) {
  if (yasqe) yasqe.setValue(text);
  else $("query-text").value = text;
}
window.jdx.editor = () => (yasqe ? "yasqe" : "textarea");

let store = null;
function run(text, variables) {
  const start = performance.now();
  const found = store.query(text);
  const ms = performance.now() - start;
  if (!Array.isArray(found) && typeof found !== "boolean") throw new Error(T("SELECT か ASK のみ表に出せます", "only SELECT and ASK show as a table"));
  return { ms, json: asJson(found, variables) };
}
// For tests and benchmarks: a named query with parameters, as kg query runs it.
window.jdx.prepare = (name, values) => prepare(C.queries.find((q) => q.name === name), values || {});
window.jdx.runNamed = (name, values) => {
  const q = C.queries.find((x) => x.name === name);
  return run(prepare(q, values || {}), q.variables);
};

function showTable(json) {
  const box = $("results");
  box.textContent = "";
  if (json.boolean !== undefined) { box.textContent = String(json.boolean); return; }
  const table = document.createElement("table");
  table.className = "results";
  const head = table.createTHead().insertRow();
  for (const v of json.head.vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const b of json.results.bindings) {
    const tr = body.insertRow();
    for (const v of json.head.vars) {
      const td = tr.insertCell();
      const x = b[v];
      if (!x) continue;
      const href = x.type === "uri" ? pageOf(x.value) : null;
      if (href) {
        const a = document.createElement("a");
        a.href = href;
        a.textContent = x.value.startsWith(C.jdxr) ? "jdxr:" + x.value.slice(C.jdxr.length) : x.value;
        a.title = x.value;
        td.appendChild(a);
      } else {
        td.textContent = x.value;
        if (x["xml:lang"]) td.lang = x["xml:lang"];
      }
    }
  }
  box.appendChild(table);
}
function offer(id, text, type) {
  const a = $(id);
  if (a.href) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.hidden = false;
}

let current = null;
function choose(q) {
  current = q;
  setText(q.text);
  $("query-about").textContent = (lang === "en" ? q.en : q.ja) + (q.note ? " — " + q.note : "");
  const box = $("params");
  box.querySelectorAll("label").forEach((x) => x.remove());
  box.hidden = q.params.length === 0;
  const example = {};
  for (const m of q.example.matchAll(/--param\s+(\w+)=(\S+)/g)) example[m[1]] = m[2];
  for (const p of q.params) {
    const label = document.createElement("label");
    label.textContent = p.name + (p.optional ? T("（省略可）", " (optional)") : "") + ": ";
    const input = document.createElement("input");
    input.name = p.name;
    input.id = "param-" + p.name;
    input.title = p.meaning + " — " + p.looks;
    input.placeholder = p.looks;
    input.value = example[p.name] || "";
    if (p.choices.length) {
      const list = document.createElement("datalist");
      list.id = "choices-" + p.name;
      for (const [value, ja, en] of p.choices) {
        const o = document.createElement("option");
        o.value = value;
        o.textContent = (lang === "en" ? en || ja : ja || en) || value;
        list.appendChild(o);
      }
      input.setAttribute("list", list.id);
      label.appendChild(list);
    }
    label.appendChild(input);
    const note = document.createElement("small");
    note.textContent = " " + p.meaning;
    label.appendChild(note);
    box.appendChild(label);
  }
  document.querySelectorAll("#query-list a").forEach((a) => a.setAttribute("aria-current", String(a.dataset.name === q.name)));
}
function runPage() {
  $("query-error").textContent = "";
  try {
    const text = getText();
    let got;
    if (current && text === current.text) {
      const values = {};
      $("params").querySelectorAll("input").forEach((i) => { values[i.name] = i.value; });
      got = run(prepare(current, values), current.variables);
    } else {
      got = run(withPrefixes(text), projection(text));
    }
    showTable(got.json);
    const n = got.json.results ? got.json.results.bindings.length : 1;
    $("run-status").textContent = `${n} ${T("行", "rows")} · ${got.ms.toFixed(1)} ms`;
    if (got.json.results) offer("download-csv", csvOf(got.json), "text/csv");
    offer("download-json", JSON.stringify(got.json, null, 1) + "\n", "application/sparql-results+json");
  } catch (e) {
    $("query-error").textContent = String(e && e.message ? e.message : e);
  }
}

async function start() {
  await __wbg_init({ module_or_path: bytesOf(window.JDX_OXIGRAPH_WASM) });
  const engine = performance.now();
  store = new Store();
  store.load(bytesOf(window.JDX_GRAPH_NT), { format: "application/n-triples" });
  const loaded = performance.now();
  window.jdx.timings = { engine_ms: engine - t0, load_ms: loaded - engine, ready_ms: loaded, triples: store.size };
  const list = $("query-list");
  for (const q of C.queries) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "#" + q.name;
    a.dataset.name = q.name;
    a.textContent = q.name;
    a.addEventListener("click", (ev) => { ev.preventDefault(); choose(q); history.replaceState(null, "", "#" + q.name); });
    li.appendChild(a);
    const s = document.createElement("span");
    s.textContent = " " + (lang === "en" ? q.en : q.ja);
    li.appendChild(s);
    list.appendChild(li);
  }
  const first = C.queries.find((q) => "#" + q.name === location.hash) || C.queries[0];
  choose(first);
  $("run").disabled = false;
  $("run").addEventListener("click", runPage);
  $("sparql-status").textContent = `${store.size} ${T("トリプルを読み込みました", "triples loaded")} (${loaded.toFixed(0)} ms)`;
  window.jdx.ready = true;
  // The editor's script (1 MB) loads once the graph is in: the plain box serves until then.
  const script = document.createElement("script");
  script.src = "static/yasgui.min.js";
  script.onload = makeEditor;
  document.body.appendChild(script);
}
start().catch((e) => { $("sparql-status").textContent = "error: " + e; console.error(e); });


/* What the vis and WebGL pages share, inlined in one script before each page's own. */
var kgPanel = (function () {
  "use strict";
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function short(text, limit) {
    if (text.length <= limit) { return text; }  // no more code points than UTF-16 units
    var chars = Array.from(text);
    return chars.length <= limit ? text : chars.slice(0, limit - 1).join("") + "\u2026";
  }
  function iri(prefixes, r) {
    var i = r.indexOf(":"), p = i > 0 ? prefixes[r.slice(0, i)] : undefined;
    return p === undefined ? r : p + r.slice(i + 1);
  }
  // a node's page: its href (kg serve's /id/…, or a published folder's relative id/….html);
  // a page opened from disk cannot reach /id/…, so there the link is the IRI (w3id.org
  // redirects it to a deployment); "" when the node has no page
  function pageOf(prefixes, n) {
    if (typeof n.href !== "string" || !n.href) { return ""; }
    return location.protocol === "file:" && n.href.charAt(0) === "/" ? iri(prefixes, n.r) : n.href;
  }
  return {el: el, short: short, iri: iri, pageOf: pageOf};
})();

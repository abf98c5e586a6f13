// Pages of the graph (kg.serve.pages): sortable tables. Plain JS, nothing from elsewhere;
// it only reorders rows the server wrote (no data is put on the page as markup).
"use strict";

(function () {
  function key(cell) {
    const text = (cell.textContent || "").trim();
    return /^-?\d+(\.\d+)?$/.test(text) ? [0, parseFloat(text), text] : [1, 0, text];
  }

  function compare(a, b) {
    if (a[0] !== b[0]) return a[0] - b[0];
    if (a[0] === 0 && a[1] !== b[1]) return a[1] - b[1];
    return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
  }

  for (const table of document.querySelectorAll("table.sortable")) {
    const heads = Array.from(table.tHead.rows[0].cells);
    heads.forEach((th, col) => {
      const button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", () => {
        const down = th.getAttribute("aria-sort") === "ascending";
        for (const other of heads) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows).map((row, i) => [key(row.cells[col]), i, row]);
        rows.sort((x, y) => (down ? -1 : 1) * compare(x[0], y[0]) || x[1] - y[1]);
        body.append(...rows.map((r) => r[2]));
      });
    });
  }
})();

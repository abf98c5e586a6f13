"""GEXF 1.2, as networkx writes it (Gephi reads it)."""

from __future__ import annotations

from kg.formats.graph_data import GraphData, typed_keys, xml

__all__ = ["write"]


def write(H: GraphData) -> str:
    """GEXF 1.2 as networkx writes it (ids, labels, weights, viz, attribute ids and types),
    streamed as text, without the day's date in <meta> (so that equal graphs give equal
    bytes). ``H.viz`` holds each node's color and size."""
    nodes = []
    for (node, d), look in zip(H.nodes, H.viz, strict=True):
        rest = {k: v for k, v in d.items() if k not in ("id", "label", "viz")}
        nodes.append((str(d.get("id", node)), str(d.get("label", node)), look, rest))
    edges = []
    for i, (u, v, key, d) in enumerate(H.edges):
        rest = {k: v for k, v in d.items() if k not in ("id", "label", "weight")}
        if key is not None:
            rest["networkx_key"] = key
        edges.append((u, v, str(d.get("id", i)), d, rest))
    ids: dict[tuple[str, str], str] = {}
    decl: dict[str, list[str]] = {"node": [], "edge": []}
    for cls, items in (("node", [n[3] for n in nodes]), ("edge", [e[4] for e in edges])):
        for name, typ in typed_keys(items).items():
            ids[(cls, name)] = str(len(ids))
            decl[cls].append(
                f'        <attribute id="{ids[(cls, name)]}" title="{xml(name)}" type="{typ}" />'
            )

    # each attribute's line up to its value, made once
    heads = {ck: f'<attvalue for="{i}" value="' for ck, i in ids.items()}

    def attvalues(cls: str, d: dict, indent: str) -> list[str]:
        if not d:
            return []
        return [
            f"{indent}<attvalues>",
            *[f'{indent}  {heads[(cls, k)]}{xml(v)}" />' for k, v in d.items()],
            f"{indent}</attvalues>",
        ]

    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<gexf xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
        "  <meta>",
        "    <creator>jdx-kg (kg.network)</creator>",
        "  </meta>",
        f'  <graph defaultedgetype="{"directed" if H.directed else "undirected"}" '
        f'mode="static" name="{xml(H.graph.get("name", ""))}">',
    ]
    for cls in ("edge", "node"):  # networkx's order
        if decl[cls]:
            out += [
                f'    <attributes mode="static" class="{cls}">',
                *decl[cls],
                "    </attributes>",
            ]
    out.append("    <nodes>")
    for nid, label, look, rest in nodes:
        out.append(f'      <node id="{xml(nid)}" label="{xml(label)}">')
        out += attvalues("node", rest, "        ")
        if look:
            c = look.get("color")
            if c is not None:
                out.append(
                    f'        <viz:color r="{c.get("r")}" g="{c.get("g")}" b="{c.get("b")}" '
                    f'a="{c.get("a", 1.0)}" />'
                )
            if look.get("size") is not None:
                out.append(f'        <viz:size value="{look["size"]}" />')
        out.append("      </node>")
    out += ["    </nodes>", "    <edges>"]
    for u, v, eid, d, rest in edges:
        extra = "".join(f' {k}="{xml(d[k])}"' for k in ("label", "weight") if k in d)
        head = f'      <edge source="{xml(u)}" target="{xml(v)}" id="{xml(eid)}"{extra}'
        body = attvalues("edge", rest, "        ")
        out += [head + ">", *body, "      </edge>"] if body else [head + " />"]
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out)

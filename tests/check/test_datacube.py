"""The student and budget data sets are well-formed RDF Data Cubes.

The integrity constraints are those of the W3C recommendation "The RDF Data Cube Vocabulary"
(https://www.w3.org/TR/vocab-data-cube/, section 11.1, "Well-formed cubes"), each an ASK query
that is true when the constraint is violated, as the recommendation writes them. They run on
the published graph (data/kg.nt) together with the ontology (ontology/jdx.ttl, which declares
the component properties qb:DimensionProperty, qb:MeasureProperty, qb:AttributeProperty and
their ranges and code lists), as ``kg push`` loads them into a server. The constraints hold
only on a cube in normalized form (section 10): the graph is published in that form, and a
test applies the normalization algorithm to show that it adds nothing.

Every constraint is also shown to fire on a broken copy, so that none of them holds only
because it has nothing to look at.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import paths

ROOT = paths.REPO
NT = ROOT / "data" / "kg.nt"
ONTOLOGY = ROOT / "ontology" / "jdx.ttl"

PREFIXES = """
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX jdx:  <https://w3id.org/jdx/ontology#>
PREFIX jdxr: <https://w3id.org/jdx/id/>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""

# Section 11.1: IC-1 ... IC-21 (IC-19 is two queries, for code lists that are a
# skos:ConceptScheme or a skos:Collection). IC-20 and IC-21 are templates, instantiated for
# every parent-child property of a qb:HierarchicalCodeList (INSTANTIATE below).
IC: dict[str, str] = {
    "IC-1 Unique DataSet": """
        ASK {
          { ?obs a qb:Observation .
            FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
          UNION
          { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 .
            FILTER (?dataset1 != ?dataset2) }
        }""",
    "IC-2 Unique DSD": """
        ASK {
          { ?dataset a qb:DataSet .
            FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
          UNION
          { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 .
            FILTER (?dsd1 != ?dsd2) }
        }""",
    "IC-3 DSD includes measure": """
        ASK {
          ?dsd a qb:DataStructureDefinition .
          FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] }
        }""",
    "IC-4 Dimensions have range": """
        ASK {
          ?dim a qb:DimensionProperty .
          FILTER NOT EXISTS { ?dim rdfs:range [] }
        }""",
    "IC-5 Concept dimensions have code lists": """
        ASK {
          ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
          FILTER NOT EXISTS { ?dim qb:codeList [] }
        }""",
    "IC-6 Only attributes may be optional": """
        ASK {
          ?dsd qb:component ?componentSpec .
          ?componentSpec qb:componentRequired "false"^^xsd:boolean ;
                         qb:componentProperty ?component .
          FILTER NOT EXISTS { ?component a qb:AttributeProperty }
        }""",
    "IC-7 Slice Keys must be declared": """
        ASK {
          ?sliceKey a qb:SliceKey .
          FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey }
        }""",
    "IC-8 Slice Keys consistent with DSD": """
        ASK {
          ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
          ?dsd qb:sliceKey ?slicekey .
          FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] }
        }""",
    "IC-9 Unique slice structure": """
        ASK {
          { ?slice a qb:Slice .
            FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
          UNION
          { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 .
            FILTER (?key1 != ?key2) }
        }""",
    "IC-10 Slice dimensions complete": """
        ASK {
          ?slice qb:sliceStructure [qb:componentProperty ?dim] .
          FILTER NOT EXISTS { ?slice ?dim [] }
        }""",
    "IC-11 All dimensions required": """
        ASK {
          ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty .
          FILTER NOT EXISTS { ?obs ?dim [] }
        }""",
    # For each pair of observations of a data set, whether all their dimension values are
    # equal. As the recommendation notes, the pairs compare the dimensions both have: IC-11
    # (every observation has every dimension) makes that all of them.
    "IC-12 No duplicate observations": """
        ASK {
          FILTER (?allEqual)
          {
            SELECT (MIN(?equal) AS ?allEqual) WHERE {
              ?obs1 qb:dataSet ?dataset .
              ?obs2 qb:dataSet ?dataset .
              FILTER (?obs1 != ?obs2)
              ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
              ?dim a qb:DimensionProperty .
              ?obs1 ?dim ?value1 .
              ?obs2 ?dim ?value2 .
              BIND (?value1 = ?value2 AS ?equal)
            } GROUP BY ?obs1 ?obs2
          }
        }""",
    "IC-13 Required attributes": """
        ASK {
          ?obs qb:dataSet/qb:structure/qb:component ?component .
          ?component qb:componentRequired "true"^^xsd:boolean ;
                     qb:componentProperty ?attr .
          FILTER NOT EXISTS { ?obs ?attr [] }
        }""",
    "IC-14 All measures present": """
        ASK {
          ?obs qb:dataSet/qb:structure ?dsd .
          FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
          ?dsd qb:component/qb:componentProperty ?measure .
          ?measure a qb:MeasureProperty .
          FILTER NOT EXISTS { ?obs ?measure [] }
        }""",
    "IC-15 Measure dimension consistent": """
        ASK {
          ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
          ?dsd qb:component/qb:componentProperty qb:measureType .
          FILTER NOT EXISTS { ?obs ?measure [] }
        }""",
    "IC-16 Single measure on measure dimension observation": """
        ASK {
          ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
          ?dsd qb:component/qb:componentProperty qb:measureType ;
               qb:component/qb:componentProperty ?omeasure .
          ?omeasure a qb:MeasureProperty .
          FILTER (?omeasure != ?measure)
        }""",
    # The recommendation writes HAVING (?count != ?numMeasures), with ?count the alias of
    # COUNT(?obs2) in the SELECT clause. SPARQL 1.1 evaluates HAVING before the SELECT
    # expressions (section 18.2.4), so there ?count is unbound, the filter an error and the
    # constraint could never fire (Oxigraph follows the algebra): the aggregate is written out.
    "IC-17 All measures present in measures dimension cube": """
        ASK {
          {
            SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
              {
                SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
                  ?dsd qb:component/qb:componentProperty ?m .
                  ?m a qb:MeasureProperty .
                } GROUP BY ?dsd
              }
              ?obs1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
              ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
              FILTER NOT EXISTS {
                ?dsd qb:component/qb:componentProperty ?dim .
                FILTER (?dim != qb:measureType)
                ?dim a qb:DimensionProperty .
                ?obs1 ?dim ?v1 .
                ?obs2 ?dim ?v2 .
                FILTER (?v1 != ?v2)
              }
            } GROUP BY ?obs1 ?numMeasures
            HAVING (COUNT(?obs2) != ?numMeasures)
          }
        }""",
    "IC-18 Consistent data set links": """
        ASK {
          ?dataset qb:slice ?slice .
          ?slice qb:observation ?obs .
          FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . }
        }""",
    "IC-19a Codes from code list (concept scheme)": """
        ASK {
          ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty ; qb:codeList ?list .
          ?list a skos:ConceptScheme .
          ?obs ?dim ?v .
          FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
        }""",
    "IC-19b Codes from code list (collection)": """
        ASK {
          ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty ; qb:codeList ?list .
          ?list a skos:Collection .
          ?obs ?dim ?v .
          FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v }
        }""",
}
# IC-20 and IC-21: "instantiated for each ?p found by the first query".
TEMPLATES: dict[str, tuple[str, str]] = {
    "IC-20 Codes from hierarchy": (
        """SELECT ?p WHERE {
             ?hierarchy a qb:HierarchicalCodeList ; qb:parentChildProperty ?p .
             FILTER (isIRI(?p))
           }""",
        """ASK {
             ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
             ?dim a qb:DimensionProperty ; qb:codeList ?list .
             ?list a qb:HierarchicalCodeList .
             ?obs ?dim ?v .
             FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v }
           }""",
    ),
    "IC-21 Codes from hierarchy (inverse)": (
        """SELECT ?p WHERE {
             ?hierarchy a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp .
             FILTER (isBlank(?pcp))
             ?pcp owl:inverseOf ?p .
             FILTER (isIRI(?p))
           }""",
        """ASK {
             ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
             ?dim a qb:DimensionProperty ; qb:codeList ?list .
             ?list a qb:HierarchicalCodeList .
             ?obs ?dim ?v .
             FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v }
           }""",
    ),
}

# Section 10.2, the normalization algorithm: phase 1 (type and property closure) and phase 2
# (push down attachment levels).
NORMALIZE = [
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty }
       WHERE { ?cs qb:dimension ?p }""",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty }
       WHERE { ?cs qb:measure ?p }""",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty }
       WHERE { ?cs qb:attribute ?p }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
         ?dataset qb:structure [qb:component ?spec] ; ?comp ?value .
         ?obs qb:dataSet ?dataset .
       }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
         ?dataset qb:structure [qb:component ?spec] ; qb:slice ?slice .
         ?slice ?comp ?value ; qb:observation ?obs .
       }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp .
         ?comp a qb:DimensionProperty .
         ?dataset qb:structure [qb:component ?spec] ; qb:slice ?slice .
         ?slice ?comp ?value ; qb:observation ?obs .
       }""",
]


def cube(*updates: str) -> ox.Store:
    """The published graph and the ontology in one store, with ``updates`` applied."""
    store = ox.Store()
    store.bulk_load(path=str(NT), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    for u in updates:
        store.update(PREFIXES + u)
    return store


def ask(store: ox.Store, query: str) -> bool:
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def violated(store: ox.Store) -> list[str]:
    """The names of the integrity constraints that ``store`` violates."""
    out = [name for name, q in IC.items() if ask(store, q)]
    for name, (instantiate, template) in TEMPLATES.items():
        solutions = store.query(PREFIXES + instantiate)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            p = row["p"]
            assert isinstance(p, ox.NamedNode)
            if ask(store, template.replace("$p", p.value)):
                out.append(name)
                break
    return out


@pytest.fixture(scope="module")
def published() -> ox.Store:
    return cube()


def count(store: ox.Store, query: str) -> int:
    solutions = store.query(PREFIXES + query)
    assert isinstance(solutions, ox.QuerySolutions)
    (row,) = list(solutions)
    n = row["n"]
    assert isinstance(n, ox.Literal)
    return int(n.value)


def test_the_cubes_are_there(published):
    """Four data sets, each with its structure; 142 observations typed qb:Observation."""
    # data/source.txt: 18 budget figures (lines 22-28: five lines and the total, FY2020-2022)
    # and 124 student counts (lines 281-284: 116 per country and 8 totals).
    assert count(published, "SELECT (COUNT(?o) AS ?n) { ?o a qb:Observation }") == 142
    per_dataset = {
        str(r["ds"].value).rsplit("/", 1)[-1]: int(r["n"].value)
        for r in published.query(
            PREFIXES + "SELECT ?ds (COUNT(?o) AS ?n) { ?o qb:dataSet ?ds } GROUP BY ?ds"
        )
    }
    assert per_dataset == {
        "students": 116,
        "students_total": 8,
        "budget": 12,  # FY2020, FY2021: budget and execution stated
        "budget_without_execution": 6,  # FY2022: ※1, execution not stated
    }
    dims = {
        str(r["ds"].value).rsplit("/", 1)[-1]: r["dims"].value
        for r in published.query(
            PREFIXES
            + """SELECT ?ds (GROUP_CONCAT(?d; separator=" ") AS ?dims) {
                   SELECT ?ds ?d {
                     ?ds qb:structure/qb:component/qb:componentProperty ?p .
                     ?p a qb:DimensionProperty .
                     BIND (STRAFTER(STR(?p), "#") AS ?d)
                   } ORDER BY ?ds ?d
                 } GROUP BY ?ds"""
        )
    }
    assert dims == {
        "students": "country direction fiscalYear",
        "students_total": "direction fiscalYear",
        "budget": "budgetLine fiscalYear",
        "budget_without_execution": "budgetLine fiscalYear",
    }


def test_the_published_cube_is_in_normalized_form(published):
    """Section 10's algorithm adds nothing: the graph is already in normalized form."""
    store = cube(*NORMALIZE)
    assert len(store) == len(published)


def test_normalization_does_add_what_is_missing():
    """The algorithm is not a no-op: it restores a dropped qb:Observation type."""
    drop = "DELETE DATA { <https://w3id.org/jdx/id/budget/1/2020> a qb:Observation }"
    broken = cube(drop)
    assert len(cube(drop, *NORMALIZE)) == len(broken) + 1


def test_all_21_integrity_constraints_hold(published):
    assert len(IC) + len(TEMPLATES) == 21 + 1  # IC-19 is two queries
    assert violated(published) == []


def test_ic12_agrees_with_counting_distinct_keys(published):
    """A second reading of IC-12: as many distinct dimension keys as observations."""
    keys = """
        SELECT (COUNT(DISTINCT ?key) AS ?n) {
          SELECT ?ds ?obs (GROUP_CONCAT(?v; separator="|") AS ?key) {
            SELECT ?ds ?obs ?v {
              ?obs qb:dataSet ?ds .
              ?ds qb:structure/qb:component/qb:componentProperty ?dim .
              ?dim a qb:DimensionProperty .
              ?obs ?dim ?value .
              BIND (CONCAT(STR(?ds), " ", STR(?dim), "=", STR(?value)) AS ?v)
            } ORDER BY ?ds ?obs ?v
          } GROUP BY ?ds ?obs
        }"""
    assert count(published, keys) == 142


OBS = "<https://w3id.org/jdx/id/students/2022/inbound/PHL>"
BUDGET_OBS = "<https://w3id.org/jdx/id/budget/3/2021>"
BREAKS: dict[str, list[str]] = {
    "IC-1 Unique DataSet": [f"DELETE WHERE {{ {OBS} qb:dataSet ?ds }}"],
    "IC-2 Unique DSD": [
        "DELETE WHERE { <https://w3id.org/jdx/id/dataset/budget> qb:structure ?s }"
    ],
    "IC-3 DSD includes measure": ["DELETE DATA { jdx:count a qb:MeasureProperty }"],
    "IC-4 Dimensions have range": ["DELETE WHERE { jdx:budgetLine rdfs:range ?r }"],
    "IC-5 Concept dimensions have code lists": [
        "DELETE WHERE { jdx:direction qb:codeList ?l }",
        "DELETE WHERE { jdx:direction rdfs:range ?r }",
        "INSERT DATA { jdx:direction rdfs:range skos:Concept }",
    ],
    "IC-6 Only attributes may be optional": [
        "INSERT DATA { <https://w3id.org/jdx/id/structure/budget/fiscalYear>"
        " qb:componentRequired false }"
    ],
    "IC-7 Slice Keys must be declared": ["INSERT DATA { jdxr:key a qb:SliceKey }"],
    "IC-8 Slice Keys consistent with DSD": [
        """INSERT DATA { jdxr:key a qb:SliceKey ; qb:componentProperty jdx:direction .
                         <https://w3id.org/jdx/id/structure/budget> qb:sliceKey jdxr:key }"""
    ],
    "IC-9 Unique slice structure": ["INSERT DATA { jdxr:slice a qb:Slice }"],
    "IC-10 Slice dimensions complete": [
        """INSERT DATA { jdxr:key qb:componentProperty jdx:fiscalYear .
                         jdxr:slice qb:sliceStructure jdxr:key }"""
    ],
    "IC-11 All dimensions required": [f"DELETE WHERE {{ {OBS} jdx:country ?c }}"],
    "IC-12 No duplicate observations": [
        f"""INSERT {{ jdxr:copy ?p ?o }} WHERE {{ {OBS} ?p ?o }}"""
    ],
    "IC-13 Required attributes": [f"DELETE WHERE {{ {OBS} sdmx-attribute:unitMeasure ?u }}"],
    "IC-14 All measures present": [f"DELETE WHERE {{ {BUDGET_OBS} jdx:executedAmount ?x }}"],
    "IC-15 Measure dimension consistent": [
        """INSERT DATA { <https://w3id.org/jdx/id/structure/budget> qb:component jdxr:mt .
                         jdxr:mt qb:componentProperty qb:measureType }""",
        f"INSERT DATA {{ {BUDGET_OBS} qb:measureType jdx:count }}",
    ],
    "IC-16 Single measure on measure dimension observation": [
        """INSERT DATA { <https://w3id.org/jdx/id/structure/budget> qb:component jdxr:mt .
                         jdxr:mt qb:componentProperty qb:measureType }""",
        f"INSERT DATA {{ {BUDGET_OBS} qb:measureType jdx:budgetAmount }}",
    ],
    "IC-17 All measures present in measures dimension cube": [
        """INSERT DATA { <https://w3id.org/jdx/id/structure/budget> qb:component jdxr:mt .
                         jdxr:mt qb:componentProperty qb:measureType }""",
        f"INSERT DATA {{ {BUDGET_OBS} qb:measureType jdx:budgetAmount }}",
    ],
    "IC-18 Consistent data set links": [
        "INSERT DATA { <https://w3id.org/jdx/id/dataset/budget> qb:slice jdxr:slice ."
        f" jdxr:slice qb:observation {OBS} }}"
    ],
    "IC-19a Codes from code list (concept scheme)": [
        f"DELETE WHERE {{ {OBS} jdx:direction ?d }}",
        f"INSERT DATA {{ {OBS} jdx:direction jdx:InPerson }}",
    ],
    "IC-19b Codes from code list (collection)": [
        "INSERT DATA { jdx:direction qb:codeList jdxr:directions ."
        " jdxr:directions a skos:Collection }"
    ],
    "IC-20 Codes from hierarchy": [
        """INSERT DATA { jdx:direction qb:codeList jdxr:tree .
                         jdxr:tree a qb:HierarchicalCodeList ; qb:hierarchyRoot jdx:Inbound ;
                                   qb:parentChildProperty skos:narrower }"""
    ],
    "IC-21 Codes from hierarchy (inverse)": [
        """INSERT DATA { jdx:direction qb:codeList jdxr:tree .
                         jdxr:tree a qb:HierarchicalCodeList ; qb:hierarchyRoot jdx:Inbound ;
                                   qb:parentChildProperty [ owl:inverseOf skos:broader ] }"""
    ],
}


def test_every_constraint_is_broken_by_one_copy():
    assert set(BREAKS) == set(IC) | set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_constraint_fires_on_a_broken_copy(name):
    assert name in violated(cube(*BREAKS[name]))

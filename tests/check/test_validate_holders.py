"""SHACL for appointments: a correct mini graph of office holders conforms; each broken variant
(start after end, two holders of a one-seat office at once, three of the two-seat 政務官, an
event's person out of office in the event's month) is caught, and handovers are no overlap."""

from __future__ import annotations

import rdflib
from rdflib import RDF, XSD, Literal, Namespace, URIRef

from kg import paths
from kg.check.validate import ValidationResult, validate_graph

SHAPES = paths.REPO / "ontology" / "shapes.ttl"
ONTOLOGY = paths.REPO / "ontology" / "jdx.ttl"

JDX = Namespace("https://w3id.org/jdx/ontology#")
JDXR = Namespace("https://w3id.org/jdx/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
PROV = Namespace("http://www.w3.org/ns/prov#")

MINISTER = JDXR["position/jp/minister"]
PVM = JDXR["position/jp/parliamentary_vice_minister"]
PAGE = URIRef("https://www.news24.jp/nnn/news87013056.html")


def appointment(g: rdflib.Graph, position: URIRef, person: str, start: str, end: str) -> URIRef:
    """An appointment whose bounds are days (YYYY-MM-DD) or months (YYYY-MM); end "" = open."""
    a = JDXR[f"appointment/{position.split('/')[-1]}/{person}"]
    p = JDXR[f"person/{person}"]
    g.add((p, RDF.type, JDX.Person))
    g.add((a, RDF.type, JDX.Appointment))
    g.add((a, ORG.member, p))
    g.add((a, JDX.position, position))
    g.add((a, PROV.wasDerivedFrom, PAGE))
    interval = URIRef(f"{a}/interval")
    g.add((a, ORG.memberDuring, interval))
    for value, prop, key in ((start, TIME.hasBeginning, "start"), (end, TIME.hasEnd, "end")):
        if not value:
            continue
        instant = URIRef(f"{a}/{key}")
        g.add((interval, prop, instant))
        if len(value) == 10:
            g.add((instant, TIME.inXSDDate, Literal(value, datatype=XSD.date)))
        else:
            g.add((instant, TIME.inXSDgYearMonth, Literal(value, datatype=XSD.gYearMonth)))
    return a


def mini_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for position, seats in ((MINISTER, 1), (PVM, 2)):
        g.add((position, RDF.type, JDX.Position))
        g.add((position, JDX.seats, Literal(seats)))
    # Handover on one day (河野太郎 -> 岸信夫, 2020-09-16) and within a month (as 丸茂 -> 井筒).
    appointment(g, MINISTER, "kono_taro", "2019-09-11", "2020-09-16")
    appointment(g, MINISTER, "kishi_nobuo", "2020-09-16", "2022-08-10")
    appointment(g, MINISTER, "hamada_yasukazu", "2022-08", "")
    # Two seats held at once, and a month handover in one of them.
    appointment(g, PVM, "iwata_kazuchika", "2019-09-13", "2020-09")
    appointment(g, PVM, "matsukawa_rui", "2020-09", "2021-10-06")
    appointment(g, PVM, "onishi_hiroyuki", "2020-09", "2021-11-11")
    event = JDXR["event/2020-hl-x"]
    g.add((event, JDX.japaneseParticipant, MINISTER))
    g.add((event, JDX.date, Literal("2021-01", datatype=XSD.gYearMonth)))
    g.add((event, JDX.participantPerson, JDXR["person/kishi_nobuo"]))
    handover = JDXR["event/2020-hl-y"]
    g.add((handover, JDX.japaneseParticipant, MINISTER))
    g.add((handover, JDX.date, Literal("2020-09", datatype=XSD.gYearMonth)))
    g.add((handover, JDX.candidateParticipant, JDXR["person/kono_taro"]))
    g.add((handover, JDX.candidateParticipant, JDXR["person/kishi_nobuo"]))
    return g


def run(g: rdflib.Graph) -> ValidationResult:
    return validate_graph(g, SHAPES, ONTOLOGY)


def focuses(result: ValidationResult) -> list[str]:
    return sorted(v.focus for v in result.errors)


def test_correct_holders_conform() -> None:
    result = run(mini_graph())
    assert result.conforms, result.report()


def test_start_after_end() -> None:
    g = mini_graph()
    a = appointment(g, PVM, "late_start", "2021-05-01", "2021-04-30")
    result = run(g)
    assert str(a) in focuses(result), result.report()
    assert any("after it ends" in v.message for v in result.errors), result.report()


def test_two_holders_of_a_one_seat_office() -> None:
    g = mini_graph()
    a = appointment(g, MINISTER, "someone_else", "2021-01-10", "2021-02-01")
    result = run(g)
    assert focuses(result) == [str(a)], result.report()
    assert "more than its 1 seat" in result.errors[0].message


def test_three_holders_of_the_two_seat_office() -> None:
    g = mini_graph()
    a = appointment(g, PVM, "third_seat", "2021-01-01", "2021-03-01")
    result = run(g)
    assert focuses(result) == [str(a)], result.report()
    assert "more than its 2 seat" in result.errors[0].message


def test_a_person_out_of_office_in_the_events_month() -> None:
    g = mini_graph()
    event = JDXR["event/2019-hl-z"]
    g.add((event, JDX.japaneseParticipant, MINISTER))
    g.add((event, JDX.date, Literal("2019-06", datatype=XSD.gYearMonth)))
    g.add((event, JDX.participantPerson, JDXR["person/kishi_nobuo"]))
    result = run(g)
    assert focuses(result) == [str(event)], result.report()
    assert "held no appointment" in result.errors[0].message


def test_a_person_confirmed_in_office_only_on_a_date() -> None:
    """An appointment whose start is not confirmed is bounded by its jdx:inOfficeOn date."""
    g = mini_graph()
    state = JDXR["position/jp/state_minister"]
    g.add((state, RDF.type, JDX.Position))
    a = appointment(g, state, "harada_kenji", "", "2019-09-13")
    g.add((a, JDX.inOfficeOn, Literal("2019-02-27", datatype=XSD.date)))
    ok, early = JDXR["event/2019-hl-a"], JDXR["event/2018-hl-b"]
    for event, month in ((ok, "2019-06"), (early, "2019-01")):
        g.add((event, JDX.japaneseParticipant, state))
        g.add((event, JDX.date, Literal(month, datatype=XSD.gYearMonth)))
        g.add((event, JDX.participantPerson, JDXR["person/harada_kenji"]))
    result = run(g)
    assert focuses(result) == [str(early)], result.report()


def test_a_person_shown_in_office_on_two_dates_only() -> None:
    """Neither bound confirmed (防衛審議官 西田安範: shown in office on 2019-10-09 and on
    2020-06-10): the days between the two dates are his; a month outside them is not."""
    g = mini_graph()
    vmi = JDXR["position/jp/vice_minister_international"]
    g.add((vmi, RDF.type, JDX.Position))
    a = appointment(g, vmi, "nishida_yasunori", "", "")
    for day in ("2019-10-09", "2020-06-10"):
        g.add((a, JDX.inOfficeOn, Literal(day, datatype=XSD.date)))
    inside, before, after = (
        JDXR[f"event/{k}"] for k in ("2019-hl-in", "2019-hl-pre", "2020-hl-post")
    )
    for event, month in ((inside, "2020-02"), (before, "2019-07"), (after, "2020-09")):
        g.add((event, JDX.japaneseParticipant, vmi))
        g.add((event, JDX.date, Literal(month, datatype=XSD.gYearMonth)))
        g.add((event, JDX.participantPerson, JDXR["person/nishida_yasunori"]))
    result = run(g)
    assert focuses(result) == sorted([str(before), str(after)]), result.report()

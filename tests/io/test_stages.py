"""Deal status from CRM exports (kit.io.stages): a property test, and the rules on literal frames.

The property: an export whose rows say "closed" (a closed, won or lost word in the
stage label, or a true "Is Deal Closed?" / "Is Closed Won" flag) never loads with
every deal open and no warning.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import kit
from kit.io.stages import decide_status, label_words, stage_key

CLOSED_WORDS = ["Closed", "closed won", "Closed: lost", "CLOSED_LOST", "Fermée gagnée", "fermee perdue",
                "Won", "lost", "Clos", "Conclue", "Gagné", "Perdu", "closedwon", "Closed-Lost"]
OPEN_LABELS = ["Contract Sent", "qualifiedtobuy", "Appointment Scheduled", "Demo", "Trial",
               "Negotiation", "Rendez-vous programmé"]
FILLER = st.text(alphabet="abcdefxyz ABC:-_()/0123456789", max_size=8)


@st.composite
def label_saying_closed(draw):
    word = draw(st.sampled_from(CLOSED_WORDS))
    word = draw(st.sampled_from([word, word.upper(), word.lower(), word.replace(" ", "")]))
    return f"{draw(FILLER)} {word} {draw(FILLER)}".strip()


@st.composite
def export_saying_closed(draw):
    """A HubSpot deals export (as a frame) with at least one row that says closed."""
    n = draw(st.integers(1, 6))
    labels = draw(st.lists(st.one_of(st.sampled_from(OPEN_LABELS), FILLER.filter(str.strip)),
                           min_size=n, max_size=n))
    flags = draw(st.sampled_from(["none", "closed", "won"]))
    closed_rows = draw(st.sets(st.integers(0, n - 1), min_size=1))
    closed_flag = ["false"] * n
    for k in closed_rows:
        if flags == "none":
            labels[k] = draw(label_saying_closed())
        else:
            closed_flag[k] = "true"
    frame = pd.DataFrame({"Record ID": [str(k + 1) for k in range(n)], "Deal Stage": labels,
                          "Deal owner": ["Ana"] * n, "Amount": ["10"] * n,
                          "Create Date": ["2026-01-05"] * n, "Close Date": ["2026-02-05"] * n})
    if flags == "closed":
        frame["Is Deal Closed?"] = closed_flag
    elif flags == "won":
        frame["Is Closed Won"] = closed_flag
    return frame


@seed(18)
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(export_saying_closed())
def test_an_export_saying_closed_never_loads_all_open_and_silent(frame):
    ds = kit.load_dataset({"deals": frame}, preset="hubspot")
    statuses = ds.opportunities["status"]
    loud = ds.issues["severity"].isin(["warning", "error"]).any()
    assert loud or not (statuses.eq("open").all() and len(ds.rejected["opportunities"]) == 0), (
        frame, ds.issues)
    assert loud or (statuses != "open").any(), (frame, ds.issues)


SPEC = {"from": "stage", "won": ["Closed Won"], "lost": ["Closed Lost"], "open": ["Demo"],
        "otherwise": "open", "won_flag": ["Won"], "closed_flag": ["Closed"], "lost_flag": ["Lost"],
        "probability": ["Probability (%)"]}


def _decide(**cols):
    f = pd.DataFrame(cols)
    return decide_status(f, SPEC, list(f.columns), table="opportunities", origin="x.csv")


def test_flags_decide_row_by_row_then_the_label():
    d = _decide(stage=["Demo", "Demo", "Demo", "Closed Won", "Mystery", "Demo", "Closed Lost"],
                Won=["1", "0", "", "", "0", "", ""], Closed=["1", "1", "0", "1", "", "1", ""],
                Lost=["", "", "", "", "", "", ""])
    # won; closed and not won: lost; not closed: open; closed, label says won; won false and
    # nothing else: the label (unknown: open); closed, label open: unknown; no flag: label
    assert d.status.tolist() == ["won", "lost", "open", "won", "open", "unknown", "lost"]
    assert d.used == "Won / Lost / Closed / stage"
    assert [i.rule for i in d.issues] == ["stage_closed", "stage_unknown"]
    assert d.issues[0].rows == [7] and d.issues[1].rows == [6]


def test_probability_in_percent_and_user_map():
    f = pd.DataFrame({"stage": ["A", "B", "C", "D", ""], "Probability (%)": ["100", "0", "35", "", ""]})
    d = decide_status(f, SPEC, list(f.columns), table="opportunities", origin="x.csv",
                      user_map={"d": "lost"})
    assert d.status.tolist() == ["won", "lost", "open", "lost", ""]
    assert [(i.rule, i.count) for i in d.issues] == [("stage_probability", 3)]


def test_lenient_keys_and_words():
    assert stage_key("CLOSED - WON") == stage_key("closedwon") == stage_key("Closed: Won")
    assert [label_words(x) for x in ("Gagnée !", "Closed/Lost", "Fermé", "Qualified")] == [
        "won", "lost", "closed", None]

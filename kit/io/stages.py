"""Deal status (open / won / lost) from a CRM export: the CRM's own flags first, then its stage labels.

What decides, for each deal of an export (see ``status:`` in ``kit/presets/*.yaml``):

1. the CRM's flags, when the export has them: ``won_flag`` (HubSpot ``Is Closed Won``,
   Salesforce ``Won``) true means won, ``lost_flag`` (``Is closed lost``) true means
   lost, ``closed_flag`` (HubSpot ``Is Deal Closed?``, Salesforce ``Closed``) false means
   open and true means won or lost: lost when the won flag says false, otherwise the
   stage label must tell, and when it does not the status is ``unknown``;
2. the stage label, compared leniently (case, accents, punctuation and spaces
   ignored: ``Closed: won`` = ``closedwon`` = ``Closed Won``): the labels the user
   maps (``mapping={"opportunities": {"values": {"status": {"Signed": "won"}}}}``),
   then the preset's ``won``, ``lost`` and ``open`` lists;
3. the stage probability (``probability``), when the export has it: 1 (100 %) is
   won, 0 is lost, anything between is open;
4. the words of the label: ``won``/``gagné(e)``/``signed`` is won, ``lost``/``perdu(e)``
   is lost; ``closed``/``fermé(e)``/``clos`` alone means closed, status ``unknown``;
5. any other label is ``otherwise`` (open), with a warning listing those labels.

A deal whose status is ``unknown`` is set aside by the loader (the value is not one
of open, won, lost) with a warning that names the labels and the line of YAML that
maps them: a closed deal is never counted as open.

Examples
--------
>>> import pandas as pd
>>> spec = {"from": "stage", "won": ["Closed Won"], "lost": ["Closed Lost"], "open": ["Demo"],
...         "otherwise": "open", "won_flag": [], "closed_flag": [], "lost_flag": [],
...         "probability": []}
>>> f = pd.DataFrame({"stage": ["Closed: won", "closedlost", "Demo", "Fermée gagnée", "Closed", "Trial"]})
>>> st = decide_status(f, spec, list(f.columns), table="opportunities", origin="deals.csv")
>>> st.status.tolist()
['won', 'lost', 'open', 'won', 'unknown', 'open']
>>> sorted(i.rule for i in st.issues)
['stage_closed', 'stage_unknown', 'stage_words']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit.io.headers import find_header
from kit.io.issues import EXAMPLES, Issue
from kit.io.tokens import read_bools

STATUS_KEYS = ("from", "won", "lost", "open", "otherwise", "won_flag", "closed_flag", "lost_flag",
               "probability")
#: Words of a stage label that say the deal is won, lost, or closed (accents removed).
WON_WORDS = {"won", "win", "gagne", "gagnee", "signed", "signe", "signee"}
LOST_WORDS = {"lost", "perdu", "perdue"}
CLOSED_WORDS = {"closed", "ferme", "fermee", "clos", "close", "cloture", "cloturee", "conclu",
                "conclue"}
UNKNOWN = "unknown"


def _ascii(text) -> str:
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()


def stage_key(label) -> str:
    """A stage label compared leniently: accents, case, punctuation and spaces removed.

    Examples
    --------
    >>> stage_key("Closed: won"), stage_key("closedwon"), stage_key(" Fermée gagnée ")
    ('closedwon', 'closedwon', 'fermeegagnee')
    """
    return re.sub(r"[^0-9a-z]+", "", _ascii(label))


def label_words(label) -> str | None:
    """``won``, ``lost`` or ``closed`` when the words of a label say so, else ``None``.

    Examples
    --------
    >>> label_words("Won - contract signed"), label_words("Perdue (prix)"), label_words("Closed")
    ('won', 'lost', 'closed')
    >>> label_words("Closed won or lost?") is None, label_words("Negotiation") is None
    (True, True)
    """
    words = set(re.split(r"[^0-9a-z]+", _ascii(label)))
    won, lost = bool(words & WON_WORDS), bool(words & LOST_WORDS)
    if won != lost:
        return "won" if won else "lost"
    if not won and words & CLOSED_WORDS:
        return "closed"
    return None


def _flag(frame: pd.DataFrame, header: str | None) -> pd.Series:
    """True / False / None per row of a flag column (``None`` when absent, blank or not a boolean word)."""
    if header is None:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return read_bools(frame[header])


def probability(values: pd.Series, header: str = "") -> pd.Series:
    """Stage probabilities as shares of 1 (``100``, ``100 %`` and ``1.0`` are all 1).

    The column is in percent when its header has ``%`` or a value is above 1.

    Examples
    --------
    >>> probability(pd.Series(["1.0", "0", "0,4", ""])).tolist()
    [1.0, 0.0, 0.4, nan]
    >>> probability(pd.Series(["100", "10"]), "Probability (%)").tolist()
    [1.0, 0.1]
    """
    text = values.astype(str).str.strip().str.rstrip("%").str.strip().str.replace(",", ".", regex=False)
    p = pd.to_numeric(text, errors="coerce")
    if "%" in header or (p > 1).any():
        p = p / 100
    return p


@dataclass
class Decision:
    """What :func:`decide_status` found: the status of each row and what to tell."""

    status: pd.Series
    used: str = ""
    issues: list = field(default_factory=list)


def _counts(labels: pd.Series) -> str:
    counts = labels.value_counts(sort=False)
    counts = counts.sort_values(ascending=False, kind="stable")
    return ", ".join(f"{k!r} ({v})" for k, v in counts.items())


def _yaml_line(labels, status: str) -> str:
    shown = ", ".join(f"{lab!r}: {status}" for lab in list(dict.fromkeys(labels))[:6])
    return f"opportunities: {{values: {{status: {{{shown}}}}}}}"


def decide_status(frame: pd.DataFrame, spec: dict, headers: list, *, table: str, origin: str,
                  user_map: dict | None = None, name: str = "preset",
                  stage_header: str | None = None) -> Decision:
    """open / won / lost / ``unknown`` for each row of an export (see the module docstring).

    ``spec`` is the ``status`` entry of a preset table (keys :data:`STATUS_KEYS`,
    lists of labels or headers), ``headers`` the columns of ``frame`` to look the
    flags up in, ``user_map`` ``{label: status}`` given by the user (mapping
    ``values: status:``), ``stage_header`` the export header of the stage column
    (for messages). A row with no stage and no flag gets ``""`` (rejected as a
    missing status).
    """
    user = {stage_key(k): str(v).strip().lower() for k, v in (user_map or {}).items()
            if v is not None and str(v).strip().lower() in ("open", "won", "lost")}
    listed = {}
    for status in ("open", "lost", "won"):
        listed.update({stage_key(v): status for v in spec.get(status) or []})
    src = spec.get("from")
    labels = (frame[src].astype(str).str.strip() if src and src in frame.columns
              else pd.Series("", index=frame.index, dtype=object))
    prob_h = find_header(headers, spec.get("probability") or [])
    prob = probability(frame[prob_h], prob_h) if prob_h else pd.Series(np.nan, index=frame.index)

    by_label, how = {}, {}  # label -> status, label -> how it was decided
    for lab in labels.unique():
        key = stage_key(lab)
        if not key:
            by_label[lab], how[lab] = "", "blank"
        elif key in user:
            by_label[lab], how[lab] = user[key], "mapped"
        elif key in listed:
            by_label[lab], how[lab] = listed[key], "listed"
        else:
            words = label_words(lab)
            by_label[lab] = UNKNOWN if words == "closed" else (words or spec.get("otherwise") or "open")
            how[lab] = "words" if words else "unknown"
    from_label = labels.map(by_label)
    label_how = labels.map(how)
    # the probability decides for labels the preset does not list
    guess = label_how.isin(["words", "unknown"]) & prob.notna()
    by_prob = pd.Series(np.where(prob >= 1, "won", np.where(prob <= 0, "lost", "open")), index=frame.index)
    from_label = from_label.mask(guess, by_prob)
    label_how = label_how.mask(guess, "probability")

    won_h = find_header(headers, spec.get("won_flag") or [])
    closed_h = find_header(headers, spec.get("closed_flag") or [])
    lost_h = find_header(headers, spec.get("lost_flag") or [])
    w, c, lo = _flag(frame, won_h), _flag(frame, closed_h), _flag(frame, lost_h)
    label_or_unknown = from_label.where(from_label.isin(["won", "lost"]), UNKNOWN)
    status = from_label.copy()
    by_flag = pd.Series(False, index=frame.index)
    conditions = [
        (w.eq(True), "won"),
        (lo.eq(True), "lost"),
        (c.eq(True) & w.eq(False), "lost"),
        (c.eq(True), label_or_unknown),
        (c.eq(False), "open"),
        (w.eq(False) & lo.eq(False), "open"),
    ]
    for cond, value in reversed(conditions):  # the first condition that holds wins
        cond = cond.fillna(False).astype(bool)
        status = status.mask(cond, value)
        by_flag |= cond
    used = " / ".join(h for h in (won_h, lost_h, closed_h) if h)
    used = " / ".join(x for x in (used, src and (stage_header or src), prob_h) if x)
    out = Decision(status.astype(object), used)
    lines = frame["_line"] if "_line" in frame.columns else pd.Series(frame.index + 2, index=frame.index)

    def rows(mask):
        return [int(v) for v in lines[mask].head(EXAMPLES)]

    by_label_rows = ~by_flag
    words = by_label_rows & label_how.eq("words") & status.isin(["won", "lost"])
    if words.any():
        shown = ", ".join(f"{lab!r} -> {by_label[lab]}" for lab in dict.fromkeys(labels[words]))
        out.issues.append(Issue(table, "status", "stage_words", "info", int(words.sum()), rows(words),
                                f"{origin}: stage labels read from their words: {shown}. If one is "
                                f"wrong, map it: {_yaml_line(labels[words], 'open')}."))
    probs = by_label_rows & label_how.eq("probability")
    if probs.any():
        out.issues.append(Issue(table, "status", "stage_probability", "info", int(probs.sum()), rows(probs),
                                f"{origin}: the {name} preset does not know the stage label(s) "
                                f"{_counts(labels[probs])}; their status comes from the probability "
                                f"column {prob_h!r} (100 % won, 0 % lost, otherwise open)."))
    closed = status.eq(UNKNOWN)
    if closed.any():
        why = (f"the flag {closed_h!r} says closed" if closed_h and (c.eq(True) & closed).any()
               else "the label says closed")
        out.issues.append(Issue(
            table, "status", "stage_closed", "warning", int(closed.sum()), rows(closed),
            f"{origin}: {int(closed.sum())} deal(s) are closed ({why}) but the export does not say "
            f"whether won or lost; stage label(s) {_counts(labels[closed])}. Their status is unknown "
            "and they are set aside (ds.rejected), not counted as open. Say which labels are won "
            f"or lost in a mapping file (mapping= or kit check --mapping): "
            f"{_yaml_line(labels[closed], 'won')} (write won or lost for each)."))
    unknown = by_label_rows & label_how.eq("unknown") & ~closed
    if unknown.any():
        other = spec.get("otherwise") or "open"
        out.issues.append(Issue(
            table, "status", "stage_unknown", "warning", int(unknown.sum()), rows(unknown),
            f"{origin}: {int(unknown.sum())} deal(s) have stage label(s) the {name} preset does not "
            f"know: {_counts(labels[unknown])}; they are counted as {other}. If some are won or "
            f"lost (or to silence this), map them in a mapping file (mapping= or kit check "
            f"--mapping): {_yaml_line(labels[unknown], 'open')} (write open, won or lost for each)."))
    return out

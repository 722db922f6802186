"""Columns a CRM export may lack, made up from what it has: ids, closing dates.

* **No id column**: a stable id is derived from the row number and a hash of the
  row (``row12-3f9a1c0b``); the same file gives the same ids, but two rows for one
  deal cannot be told apart (a note says so).
* **No close-date column**: ``closed_at`` comes from the time the deal was won or
  lost (Pipedrive ``Deal - Won time`` / ``Deal - Lost time``, HubSpot ``Date entered
  "Closed Won (...)"``, Salesforce ``Last Stage Change Date``), listed under
  ``closed_times`` in the preset; it also fills closed deals whose close date is empty.
* **No owner column**, **no amount column**: :func:`absent` says what cannot be
  computed (rule ``absent``); :func:`kit.compute` gives that cause when a KPI
  needs what is missing.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"Deal - Title": ["A", "B"], "_line": [2, 3]})
>>> ids = derived_ids(f)
>>> ids.str.match(r"^row2-[0-9a-f]{8}$").tolist(), ids.equals(derived_ids(f.copy()))
([True, False], True)
"""

from __future__ import annotations

import hashlib

import pandas as pd

from kit.io.currency import describe, load_hint
from kit.io.files import LINE
from kit.io.headers import find_headers
from kit.io.issues import EXAMPLES, Issue


def derived_ids(frame: pd.DataFrame) -> pd.Series:
    """``row<line>-<8 hex digits of the row's hash>`` for each row (stable for a given file).

    Examples
    --------
    >>> derived_ids(pd.DataFrame({"a": ["x"], "_line": [7]})).tolist()
    ['row7-11f6ad8e']
    """
    cells = frame.drop(columns=[LINE], errors="ignore").astype(str)
    lines = frame[LINE] if LINE in frame.columns else pd.Series(range(2, len(frame) + 2), index=frame.index)
    out = []
    for line, row in zip(lines, cells.itertuples(index=False, name=None)):
        digest = hashlib.sha1("\x1f".join(row).encode("utf-8")).hexdigest()[:8]
        out.append(f"row{int(line)}-{digest}")
    return pd.Series(out, index=frame.index, dtype=object)


def id_note(table: str, column: str, origin: str, looked: list, n: int) -> Issue:
    """The info row saying ids were derived and duplicates cannot be found."""
    return Issue(table, column, "derived_id", "info", n, [],
                 f"{origin}: no id column (looked for {looked}): each row gets the id "
                 f"row<line>-<hash of the row> as {column}. Duplicates (the same deal exported "
                 "twice) cannot be detected; add the id column to the export to detect them.")


def closed_times(frame: pd.DataFrame, spec: dict, headers: list) -> tuple[pd.Series | None, list]:
    """``closed_at`` from the won / lost / closed times of an export: ``(values, headers used)``.

    ``spec`` is the preset's ``closed_times`` entry ``{won: [...], lost: [...],
    closed: [...]}`` (headers; ``*`` ends a prefix). A won deal takes the first
    non-empty won time, a lost deal the first lost time, either one the first
    ``closed`` time. ``frame`` must have ``status``. ``None`` when no header is found.

    Examples
    --------
    >>> f = pd.DataFrame({"status": ["won", "lost", "open"], "Deal - Won time": ["2026-01-05", "", ""],
    ...                   "Deal - Lost time": ["", "2026-01-09", ""]})
    >>> values, used = closed_times(f, {"won": ["Deal - Won time"], "lost": ["Deal - Lost time"]},
    ...                             list(f.columns))
    >>> values.tolist(), used
    (['2026-01-05', '2026-01-09', ''], ['Deal - Won time', 'Deal - Lost time'])
    """
    out = pd.Series("", index=frame.index, dtype=object)
    used = []
    for which in ("won", "lost", "closed"):
        heads = find_headers(headers, spec.get(which) or [])
        rows = frame["status"].isin(["won", "lost"]) if which == "closed" else frame["status"].eq(which)
        for h in heads:
            text = frame[h].astype(str).str.strip()
            take = rows & out.eq("") & text.ne("") & text.ne("nan")
            out = out.mask(take, text)
            used.append(h)
    return (out, used) if used else (None, [])


def fill_closed_at(frame: pd.DataFrame, spec: dict, headers: list, chosen: dict, table: str,
                   origin: str) -> list:
    """Fill ``closed_at`` of closed deals from the won/lost times; return the info issues."""
    if not spec or "status" not in frame.columns:
        return []
    values, used = closed_times(frame, spec, headers)
    if values is None:
        return []
    had = "closed_at" in frame.columns
    current = frame["closed_at"].astype(str).str.strip() if had else pd.Series("", index=frame.index)
    take = frame["status"].isin(["won", "lost"]) & current.isin(["", "nan"]) & values.ne("")
    if not take.any():
        return []
    frame["closed_at"] = current.mask(take, values)
    chosen.setdefault("closed_at", " / ".join(used))
    what = ("has no close-date column" if not had else "leaves the close date of some closed deals empty")
    rows = [int(v) for v in frame.loc[take, LINE].head(EXAMPLES)] if LINE in frame.columns else []
    return [Issue(table, "closed_at", "closed_from_times", "info", int(take.sum()), rows,
                  f"{origin} {what}: closed_at of {int(take.sum())} won or lost deal(s) is the "
                  f"time the deal was won or lost ({', '.join(repr(h) for h in used)}).")]


def absent(table: str, column: str | None, message: str, severity: str = "info") -> Issue:
    """A row of ``ds.issues`` (rule ``absent``) saying why ``table`` or ``table.column`` is missing.

    :func:`kit.compute` quotes it when a KPI needs what is missing.

    Examples
    --------
    >>> absent("orders", "amount", "the report has no Amount column: revenue needs it.").rule
    'absent'
    """
    return Issue(table, column, "absent", severity, 0, [], message)


#: Optional columns whose absence limits the KPIs: (table, column, what it costs).
LIMITING = (("opportunities", "rep_id", "no owner column: the deals are loaded without rep_id; "
             "KPIs by rep and rep comparisons are not available"),)


def absent_columns(stages: dict, issues: list) -> list:
    """Rows of rule ``absent`` for the optional columns in :data:`LIMITING` that a table lacks.

    ``stages`` maps tables to what :func:`kit.io.validate.stage_table` found (with
    ``.columns`` and ``.origin``); a column already said absent in ``issues`` is
    not said twice.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> rows = absent_columns({"opportunities": NS(columns=["opportunity_id"], origin="deals.csv")}, [])
    >>> rows[0].column, rows[0].message[:35]
    ('rep_id', 'deals.csv has no rep_id column (no ')
    """
    said = {(i.table, i.column) for i in issues if i.rule == "absent"}
    out = []
    for table, column, cost in LIMITING:
        st = stages.get(table)
        if st is not None and column not in st.columns and (table, column) not in said:
            out.append(absent(table, column, f"{st.origin} has no {column} column ({cost})."))
    return out


def header_notes(table: str, origin: str, name: str, chosen: dict, repeated: dict) -> list:
    """Which columns were used: one info row, and one per header name the export repeats.

    Examples
    --------
    >>> rows = header_notes("opportunities", "x.csv", "HubSpot", {"customer_id": "Company"},
    ...                     {"Company": ["Company", "Company (2)"]})
    >>> [r.rule for r in rows], rows[1].message[-60:]
    (['columns_used', 'repeated_header'], "rst one, 'Company'. The export writes it so: nothing to fix.")
    """
    used = {h: c for c, h in chosen.items()}
    out = [Issue(table, None, "columns_used", "info", len(chosen), [],
                 f"{origin}: columns used by the {name} preset: " + ", ".join(
                     f"{c} <- {h!r}" if h != "(derived)" else f"{c} derived"
                     for c, h in chosen.items()) + ".")]
    for header, cols in repeated.items():
        taken = [c for c in cols if c in used]
        which = (f"{used[taken[0]]} is read from the first one, {taken[0]!r}" if taken
                 else "none of them is used")
        out.append(Issue(table, None, "repeated_header", "info", len(cols), [],
                         f"{origin}: the header has {len(cols)} columns named {header!r}, read as "
                         f"{cols}; {which}. The export writes it so: nothing to fix."))
    return out


def no_amount(name: str, origin: str, heads: list, converted: list, money) -> Issue:
    """Why the deals have no amount (rule ``absent``): the cause revenue and the money KPIs give.

    ``heads`` are the headers the preset looked for, ``converted`` those of converted
    amounts, ``money`` what :func:`kit.io.currency.read_money` found (or ``None``).

    Examples
    --------
    >>> no_amount("Salesforce", "r.csv", ["Amount (converted)", "Amount"], ["Amount (converted)"],
    ...           None).message[:60]
    "the Salesforce export 'r.csv' has no Amount column (looked f"
    """
    if money is not None and money.set_aside:
        return absent("orders", "amount", (
            f"the amounts of {origin!r} are in {len(money.counts)} currencies "
            f"({describe(money.counts)}): revenue and the other money KPIs need amounts in one "
            f"currency. Load with {load_hint(money.counts)} (rates: the value of one unit in the "
            "dataset currency), or export a converted amount column."))
    plain = next((h for h in heads if h not in converted), heads[0] if heads else "Amount")
    return absent("orders", "amount", (
        f"the {name} export {origin!r} has no {plain} column (looked for {heads}): "
        "revenue needs it (orders are made from the amounts of won deals), and so do the other "
        f"money KPIs. Add the {plain} column to the export, or load an orders file."), "warning")

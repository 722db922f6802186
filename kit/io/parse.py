r"""Reading cells as the kinds of the contract: French and ISO numbers, dates, booleans.

Parsing is done by DuckDB, column by column, with SQL expressions built here: one
code path for CSV text, Excel cells, typed Parquet columns and database columns.
What a column holds is decided once per column from all its values (never row by
row): whether ``03/04/2025`` is day-first, whether ``1,234`` has a decimal comma.

* numbers: ``1234.5``, ``1 234,56`` (normal, non-breaking U+00A0 or narrow U+202F
  spaces), ``1.234,56``, ``1,234.56``, ``(12,50)`` for a negative amount, with or
  without the dataset's currency symbol (``€``, ``EUR``);
* dates: ISO (``2025-12-31``, ``2025-12-31T14:05:00+01:00``: an offset is converted
  to the dataset's time zone, then dropped), ``31/12/2025``, ``31/12/2025 14:05``,
  ``31.12.25``; for ``date`` columns also ``2025-12`` (the 1st of the month);
* booleans: true/false, oui/non, vrai/faux, yes/no, 1/0.

Examples
--------
>>> import duckdb
>>> con = duckdb.connect()
>>> rel = con.sql("SELECT * FROM (VALUES ('1 234,56 €'), ('12,5'), (''), ('abc')) t(x)")
>>> d = decide(rel, {"x": "money"}, {"x": "VARCHAR"})
>>> d["x"]
{'decimal_comma': True}
>>> p = parse_column("x", "money", "VARCHAR", d["x"])
>>> con.sql(f"SELECT {p.value} AS v, {p.present} AS present FROM rel").fetchall()
[(1234.56, True), (12.5, True), (None, False), (None, True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kit.io._sqltext import ident, literal, literal_list
from kit.io.tokens import DMY_RE as _DMY_RE
from kit.io.tokens import FALSE_WORDS, TRUE_WORDS, day_first

#: Text read as a missing value in typed columns (dates, numbers, booleans, enums).
NULL_TOKENS = ("", "na", "n/a", "#n/a", "null", "none", "nan", "nat")
SPACES = r"[\s\x{00a0}\x{202f}\x{2009}']"
CURRENCY_SYMBOLS = {"EUR": ("€", "EUR"), "USD": ("$", "USD", "US$"), "GBP": ("£", "GBP"),
                    "CHF": ("CHF", "Fr."), "CAD": ("$", "CAD", "CA$"), "JPY": ("¥", "JPY")}
MIN_DATE, MAX_DATE = "1900-01-01", "2200-12-31"
_TZ_RE = r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|UTC|[+-]\d{2}(:?\d{2})?)$"
_DMY_START_RE = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d"
_DMY_HEAD_RE = r"^\d{1,2}[/.-]"
#: Code points trimmed from both ends of a cell: space, tab, line breaks, no-break spaces.
_BLANKS = (32, 9, 10, 13, 160, 8239)
_BLANK_SET = "[" + "".join(f"\\x{{{k:04x}}}" for k in _BLANKS) + "]"
#: A cell that starts or ends with one of _BLANKS (RE2: ``$`` is the end of the text).
_BLANK_ENDS = f"^{_BLANK_SET}|{_BLANK_SET}$"


@dataclass(frozen=True)
class Parsed:
    """SQL for one column: ``value`` (typed, NULL when missing or unreadable) and
    ``present`` (the raw cell holds something). A cell is unreadable when
    ``present`` and ``value IS NULL``.

    ``steps`` is ``value`` as a chain: the first step reads the column, each next
    one reads the result of the previous, written ``{x}``. ``value`` writes the
    chain out as one expression, repeating what a step uses more than once; the
    loader computes the steps in nested projections instead (:func:`chain_levels`),
    each computed once per cell, which keeps the SQL small to plan.
    """

    value: str
    present: str
    steps: tuple = ()


def _parsed(steps, present: str) -> Parsed:
    steps = tuple(steps)
    value = steps[0]
    for step in steps[1:]:
        value = step.replace("{x}", f"({value})")
    return Parsed(value, present, steps)


def chain_levels(chains: dict, passed: dict) -> list:
    """The SELECT lists that compute the step ``chains`` ``{alias: steps}`` in nested projections.

    Level 1 computes each first step as its alias, each next level the next step
    from the previous level's value (``{x}``), passing on the finished ones; the
    columns of ``passed`` ``{alias: SQL or None}`` are computed at level 1 and
    passed on. Each list reads the one before it.

    Examples
    --------
    >>> chain_levels({"v": ("x + 1", "{x} * {x}")}, {"k": None, "n": "x IS NULL"})
    [['x + 1 AS "v"', '"k"', 'x IS NULL AS "n"'], ['("v") * ("v") AS "v"', '"k"', '"n"']]
    """
    depth = max((len(s) for s in chains.values()), default=1)
    levels = []
    for k in range(depth):
        select = [(steps[k] if k == 0 else steps[k].replace("{x}", f"({ident(a)})")) + f" AS {ident(a)}"
                  if k < len(steps) else ident(a) for a, steps in chains.items()]
        select += [f"{sql} AS {ident(a)}" if k == 0 and sql is not None else ident(a)
                   for a, sql in passed.items()]
        levels.append(select)
    return levels


def one_of(expr: str, values) -> str:
    """SQL testing that ``expr`` is one of ``values`` (NULL when ``expr`` is NULL).

    Written with ``list_contains`` rather than ``IN (...)``: DuckDB plans a long
    ``IN`` list as a join with the list, which costs more to plan than to run on
    a few thousand rows.

    Examples
    --------
    >>> import duckdb
    >>> duckdb.sql(f"SELECT {one_of('x', ['a', 'b'])} FROM (VALUES ('a'), ('c'), (NULL)) t(x)").fetchall()
    [(True,), (False,), (None,)]
    """
    return f"list_contains([{', '.join(literal(v) for v in values)}], {expr})"


def family(dtype: str) -> str:
    """Family of a DuckDB type: text, int, float, bool, timestamp, timestamptz, date, other.

    Examples
    --------
    >>> family("DECIMAL(18,2)"), family("TIMESTAMP WITH TIME ZONE"), family("TIMESTAMP_NS")
    ('float', 'timestamptz', 'timestamp')
    """
    t = str(dtype).upper()
    if t in ("VARCHAR", "JSON") or t.startswith(("VARCHAR", "ENUM", "STRING")):
        return "text"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
             "UINTEGER", "UBIGINT", "UHUGEINT"):
        return "int"
    if t in ("FLOAT", "DOUBLE", "REAL") or t.startswith("DECIMAL"):
        return "float"
    if t == "BOOLEAN":
        return "bool"
    if t in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return "timestamptz"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    if t == "DATE":
        return "date"
    return "other"


def _text(col: str, dtype: str) -> str:
    """Trimmed text of a cell, NULL when blank (numbers written without ``.0``)."""
    c = ident(col)
    fam = family(dtype)
    if fam == "float":
        raw = (f"CASE WHEN NOT isfinite({c}) THEN NULL WHEN {c} = trunc({c}) "
               f"THEN CAST(CAST({c} AS HUGEINT) AS VARCHAR) ELSE CAST({c} AS VARCHAR) END")
    elif fam == "bool":
        raw = f"CASE WHEN {c} THEN 'true' WHEN NOT {c} THEN 'false' END"
    elif str(dtype).upper() == "VARCHAR":
        raw = c
    else:
        raw = f"CAST({c} AS VARCHAR)"
    trimmed = f"NULLIF(trim({raw}, {literal(''.join(map(chr, _BLANKS)))}), '')"
    if fam not in ("text", "other"):
        return trimmed
    # trimming with a set of characters is slow: only cells that start or end with
    # one of them are trimmed (one regular expression: cheaper to plan than ascii())
    return (f"CASE WHEN regexp_matches({raw}, {literal(_BLANK_ENDS)}) "
            f"THEN {trimmed} ELSE NULLIF({raw}, '') END")


def _token_text(col: str, dtype: str) -> str:
    t = _text(col, dtype)
    return f"(CASE WHEN {one_of(f'lower({t})', NULL_TOKENS)} THEN NULL ELSE {t} END)"


def decide(rel, kinds: dict, dtypes: dict, locale: str = "auto", *, prepared: bool = False) -> dict:
    """Per-column reading decisions for the text columns of relation ``rel``.

    Returns ``{column: {"dayfirst": bool, "formats": [...]}}`` for date columns and
    ``{column: {"decimal_comma": bool}}`` for number columns (``prepared``: the
    columns hold the output of :func:`prepare`). ``locale`` ``"fr"``
    or ``"en"`` settles ambiguous columns (``03/04/2025``, ``1,234``); ``"auto"``
    reads them the French way. All columns are decided in one pass over ``rel``:
    the counts that tell day-first dates and decimal commas, and the shapes of the
    date cells (digits written as 9), from which the formats are taken.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> rel = con.sql("SELECT * FROM (VALUES ('04/13/2025'), ('04/01/2025')) t(d)")
    >>> decide(rel, {"d": "datetime"}, {"d": "VARCHAR"})
    {'d': {'dayfirst': False, 'formats': ['%m/%d/%Y']}}
    """
    # a projection computes once what the counts of a column read (its day/month/year
    # cells, its text without blanks), then one aggregate counts
    cells, aggs, plan = [], [], []
    for col, kind in kinds.items():
        if family(dtypes[col]) != "text":
            continue
        t = ident(col) if prepared else _token_text(col, dtypes[col])
        x = ident(f"_cell{len(cells)}")
        if kind in ("datetime", "date"):
            # only cells starting like 31/12 or 1.2. are read further (ISO dates are not)
            cells.append(f"CASE WHEN regexp_matches({t}, {literal(_DMY_HEAD_RE)}) THEN {t} END AS {x}")
            first = f"TRY_CAST(regexp_extract({x}, {literal(_DMY_RE)}, 1) AS INTEGER)"
            second = f"TRY_CAST(regexp_extract({x}, {literal(_DMY_RE)}, 2) AS INTEGER)"
            aggs += [f"count(*) FILTER (WHERE {first} > 12)", f"count(*) FILTER (WHERE {second} > 12)",
                     f"histogram(translate({x}, '0123456789', '9999999999'))"]
            plan.append((col, "date"))
        elif kind in ("money", "number", "int"):
            if locale in ("fr", "en"):  # settled by the locale: nothing to count
                plan.append((col, locale))
                continue
            cells.append(f"regexp_replace({t}, {literal(SPACES)}, '', 'g') AS {x}")
            comma = r",\d{1,2}$|,\d{4,}$|\.\d{3},|^[-+]?\d{1,3}(\.\d{3}){2,}$"
            dot = r"\.\d{1,2}$|\.\d{4,}$|,\d{3}\.|^[-+]?\d{1,3}(,\d{3}){2,}$"
            aggs += [f"count(*) FILTER (WHERE regexp_matches({x}, {literal(comma)}))",
                     f"count(*) FILTER (WHERE regexp_matches({x}, {literal(dot)}))"]
            plan.append((col, "number"))
    if not plan:
        return {}
    row = rel.project(", ".join(cells)).aggregate(", ".join(aggs)).fetchall()[0] if aggs else ()
    out, k = {}, 0
    for col, what in plan:
        if what in ("fr", "en"):
            out[col] = {"decimal_comma": what == "fr"}
            continue
        a, b = row[k], row[k + 1]
        k += 2
        if what == "date":
            dayfirst = day_first(a, b, locale)
            out[col] = {"dayfirst": dayfirst, **_shapes(row[k] or {}, dayfirst)}
            k += 1
        elif a or b:
            out[col] = {"decimal_comma": a > b}
        else:
            out[col] = {"decimal_comma": True}
    return out


def prepare(col: str, kind: str, dtype: str) -> str:
    """SQL of the cleaned cell of ``col`` that :func:`parse_column` reads with ``prepared=True``.

    Text is trimmed, blanks (and, for typed kinds, tokens such as ``NA``) become
    NULL; typed columns pass unchanged. Computing it once in its own projection
    keeps the parsing expressions small.

    Examples
    --------
    >>> prepare("x", "number", "DOUBLE")
    '"x"'
    """
    if family(dtype) not in ("text", "other"):
        return ident(col)
    return _text(col, dtype) if kind in ("id", "str") else _token_text(col, dtype)


def _shapes(counts: dict, dayfirst: bool) -> dict:
    """The day/month/year formats of a text date column from ``{shape: count}`` of its cells.

    The 200 most frequent shapes of the cells that start like a day/month/year date
    are read (digits written as 9), two-digit years first: ``"%Y"`` would read 25 as
    the year 25.

    Examples
    --------
    >>> _shapes({"99/99/9999": 3, "9/9/99": 1, "yesterday": 1}, True)
    {'formats': ['%d/%m/%y', '%d/%m/%Y']}
    """
    formats = []
    for sig, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:200]:
        f = dmy_format(sig, dayfirst) if sig else None
        if f and f not in formats:
            formats.append(f)
    formats.sort(key=lambda f: "%Y" in f)
    return {"formats": formats}


def null_tokens(col: str) -> str:
    """SQL of the cleaned text in column ``col`` with the tokens of :data:`NULL_TOKENS` set to NULL.

    ``col`` holds :func:`prepare`'s output for an ``id`` column (text trimmed, blanks
    as NULL); the result is what :func:`prepare` gives for typed kinds, computed from it.

    Examples
    --------
    >>> import duckdb
    >>> duckdb.sql(f"SELECT {null_tokens('x')} FROM (VALUES ('N/A'), ('12')) t(x)").fetchall()
    [(None,), ('12',)]
    """
    c = ident(col)
    longest = max(len(tok) for tok in NULL_TOKENS)
    return (f"CASE WHEN length({c}) <= {longest} AND {one_of(f'lower({c})', NULL_TOKENS)} "
            f"THEN NULL ELSE {c} END")


def dmy_format(shape: str, dayfirst: bool = True) -> str | None:
    """The strptime format of a day/month/year cell shape (digits written as 9), or None.

    Examples
    --------
    >>> dmy_format("99/99/9999 99:99"), dmy_format("9.9.99", dayfirst=False)
    ('%d/%m/%Y %H:%M', '%m.%d.%y')
    >>> dmy_format("9999-99-99") is None
    True
    """
    m = re.fullmatch(r"(9{1,2})([/.-])(9{1,2})\2(9{2}|9{4})(?:([ T])(9{1,2}):(99)(:99)?)?", shape)
    if not m:
        return None
    d, mo = ("%d", "%m") if dayfirst else ("%m", "%d")
    sep = m.group(2)
    fmt = f"{d}{sep}{mo}{sep}{'%Y' if len(m.group(4)) == 4 else '%y'}"
    if m.group(5):
        fmt += m.group(5) + "%H:%M" + (":%S" if m.group(8) else "")
    return fmt


def parse_column(col: str, kind: str, dtype: str, decision: dict | None = None, *,
                 timezone: str = "Europe/Paris", currency: str = "EUR",
                 prepared: bool = False) -> Parsed:
    """SQL reading column ``col`` (DuckDB type ``dtype``) as contract ``kind``.

    With ``prepared=True``, ``col`` holds the output of :func:`prepare` (text
    already cleaned; its type is still given as ``dtype``).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> rel = con.sql("SELECT * FROM (VALUES ('31/12/2025 14:05'), ('2025-12-31T13:05:00Z'), ('oops')) t(d)")
    >>> p = parse_column("d", "datetime", "VARCHAR", {"dayfirst": True})
    >>> [str(v) for (v,) in con.sql(f"SELECT {p.value} FROM rel").fetchall()]
    ['2025-12-31 14:05:00', '2025-12-31 14:05:00', 'None']
    >>> rel = con.sql("SELECT * FROM (VALUES ('Oui'), ('non'), ('1'), ('peut-être')) t(b)")
    >>> con.sql(f"SELECT {parse_column('b', 'bool', 'VARCHAR').value} FROM rel").fetchall()
    [(True,), (False,), (True,), (None,)]
    """
    decision = decision or {}
    fam = family(dtype)
    c = ident(col)
    if prepared and fam in ("text", "other"):
        t = tt = c
    else:
        t, tt = _text(col, dtype), _token_text(col, dtype)
    if kind in ("id", "str"):
        return _parsed([t], f"({t} IS NOT NULL)")
    if kind == "enum":
        return _parsed([f"lower({tt})"], f"({tt} IS NOT NULL)")
    if kind in ("datetime", "date"):
        return _parse_datetime(col, kind, dtype, decision, timezone, tt)
    if kind in ("money", "number", "int"):
        if fam in ("int", "float"):
            steps = [f"CASE WHEN isfinite(CAST({c} AS DOUBLE)) THEN CAST({c} AS DOUBLE) END"]
            present = f"({c} IS NOT NULL)"
        else:
            steps = _number_from_text(tt, decision.get("decimal_comma", True), currency)
            present = f"({tt} IS NOT NULL)"
        if kind == "int":
            steps.append("CASE WHEN {x} = trunc({x}) THEN CAST({x} AS BIGINT) END")
        return _parsed(steps, present)
    if kind == "bool":
        if fam == "bool":
            return _parsed([c], f"({c} IS NOT NULL)")
        if fam in ("int", "float"):
            return _parsed([f"CASE WHEN {c} = 1 THEN TRUE WHEN {c} = 0 THEN FALSE END"],
                           f"({c} IS NOT NULL)")
        return _parsed([f"CASE WHEN lower({tt}) IN {literal_list(TRUE_WORDS)} THEN TRUE "
                        f"WHEN lower({tt}) IN {literal_list(FALSE_WORDS)} THEN FALSE END"],
                       f"({tt} IS NOT NULL)")
    raise ValueError(f"unknown column kind {kind!r}")


#: The step that sets dates outside MIN_DATE..MAX_DATE to missing.
_IN_RANGE = (f"CASE WHEN {{x}} BETWEEN TIMESTAMP {literal(MIN_DATE)} "
             f"AND TIMESTAMP {literal(MAX_DATE)} THEN {{x}} END")


def _parse_datetime(col, kind, dtype, decision, timezone, t) -> Parsed:
    fam = family(dtype)
    c = ident(col)
    tz = literal(timezone)
    if fam == "timestamp":
        value, present = f"CAST({c} AS TIMESTAMP)", f"({c} IS NOT NULL)"
    elif fam == "timestamptz":
        value, present = f"timezone({tz}, {c})", f"({c} IS NOT NULL)"
    elif fam == "date":
        value, present = f"CAST({c} AS TIMESTAMP)", f"({c} IS NOT NULL)"
    elif fam in ("text", "other"):
        formats = decision.get("formats")
        if formats is None:  # not decided from the data: every day/month/year layout
            d, m = ("%d", "%m") if decision.get("dayfirst", True) else ("%m", "%d")
            formats = [f"{d}{sep}{m}{sep}{y}{time}" for y in ("%y", "%Y") for sep in "/-."
                       for time in (" %H:%M", " %H:%M:%S", "")]
        iso = f"TRY_CAST({t} AS TIMESTAMP)"
        if kind == "date":
            iso = f"coalesce({iso}, try_strptime({t}, ['%Y-%m', '%m/%Y', '%Y/%m']))"
        dmy = (f"try_strptime({t}, {literal(formats[0])})" if len(formats) == 1
               else f"try_strptime({t}, [{', '.join(literal(f) for f in formats)}])"
               if formats else None)
        # each text goes to the reader its shape calls for (a failed try is slow)
        value = (
            f"CASE WHEN regexp_matches({t}, {literal(_TZ_RE)}) "
            f"THEN timezone({tz}, TRY_CAST({t} AS TIMESTAMPTZ)) "
            + (f"WHEN regexp_matches({t}, {literal(_DMY_START_RE)}) THEN {dmy} " if formats else "")
            + f"ELSE {iso} END"
        )
        present = f"({t} IS NOT NULL)"
    else:  # numbers are not dates (Excel serials are read as dates by read_excel)
        value, present = "CAST(NULL AS TIMESTAMP)", f"({c} IS NOT NULL)"
    steps = [value, _IN_RANGE]
    if kind == "date":
        steps.append("date_trunc('day', {x})")
    return _parsed(steps, present)


def _number_from_text(t: str, decimal_comma: bool, currency: str) -> list:
    # steps: blanks, currency symbols and the Unicode minus removed; (12,50) as
    # -12,50 and the separators read; the number
    symbols = CURRENCY_SYMBOLS.get(currency.upper(), (currency.upper(),))
    sym = "|".join(re.escape(s) for s in symbols)
    s = f"regexp_replace({t}, {literal(SPACES)}, '', 'g')"
    s = f"regexp_replace({s}, {literal('^(' + sym + ')|(' + sym + ')$')}, '', 'gi')"
    s = f"replace({s}, chr(8722), '-')"
    signed = ("CASE WHEN regexp_matches({x}, '^\\(.*\\)$') "
              "THEN '-' || substr({x}, 2, length({x}) - 2) ELSE {x} END")
    sep = (f"replace(replace({signed}, '.', ''), ',', '.')" if decimal_comma
           else f"replace({signed}, ',', '')")
    number = ("CASE WHEN isfinite(TRY_CAST({x} AS DOUBLE)) AND "
              "regexp_matches({x}, '^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$') THEN TRY_CAST({x} AS DOUBLE) END")
    return [s, sep, number]

"""The currency of the amounts of a CRM export, and conversion with user-given rates.

A preset names the currency column of its export (``currency: column:``) and the
converted-amount columns (``currency: converted:``, amounts already in the company
currency). What follows, for the dataset's currency:

* amounts taken from a converted column: the currency of that column (Salesforce
  ``Amount (converted) Currency``), else ``currency=``, else EUR;
* one currency in the currency column: that currency;
* several: the amounts are **not** added up: without ``rates=`` the amount column
  is set aside (kept as ``export: <header>``), ``ds.issues`` gives the count per
  currency and says what to pass, and the KPIs that need amounts say why they
  cannot be computed. With ``rates={"USD": 0.92}`` (the value of one unit of each
  currency in the dataset currency) the amounts are converted.

Examples
--------
>>> plan = Money("opportunities", "currency", {"USD": 2, "EUR": 3})
>>> settle(plan, None, {"USD": 0.9})
('EUR', {'USD': 0.9})
>>> settle(Money("opportunities", "currency", {"GBP": 4}), None, None)
('GBP', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from kit.errors import DataError, ParameterError
from kit.io._sqltext import ident, literal
from kit.io.headers import find_header
from kit.io.issues import Issue

#: Name given to the column holding each row's currency.
COLUMN = "currency"


@dataclass
class Money:
    """What a preset found about the currency of the amounts of one table."""

    table: str | None = None
    column: str | None = None  # per-row currency column of the table (``currency``)
    counts: dict = field(default_factory=dict)  # currency -> rows
    converted: str | None = None  # header of the converted amount used, if any
    converted_currency: str | None = None
    header: str = ""  # export header of the currency column
    set_aside: bool = False  # amounts in several currencies, not loaded as ``amount``


def count_currencies(values: pd.Series) -> dict:
    """``{ISO code: rows}`` of a currency column (codes upper-cased, blanks left out).

    Examples
    --------
    >>> count_currencies(pd.Series(["usd", "EUR", " EUR ", ""]))
    {'EUR': 2, 'USD': 1}
    """
    codes = values.astype(str).str.strip().str.upper()
    codes = codes[codes.ne("")]
    counts = codes.value_counts()
    return {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def describe(counts: dict) -> str:
    """``'USD (2), EUR (1)'``.

    Examples
    --------
    >>> describe({"USD": 2, "EUR": 1})
    'USD (2), EUR (1)'
    """
    return ", ".join(f"{k} ({v})" for k, v in counts.items())


def check_rates(rates) -> dict | None:
    """Validate ``rates=``: ``{ISO code: positive number}``.

    Raises
    ------
    ParameterError
        For a value that is not such a dict: a key that is not a three-letter code,
        or a rate that is not a positive number.

    Examples
    --------
    >>> check_rates({"usd": "0.9"})
    {'USD': 0.9}
    """
    if rates is None:
        return None
    bad = ParameterError(f"rates={rates!r} is not allowed; give the value of one unit of each "
                         "currency in the dataset currency, e.g. rates={'USD': 0.92, 'GBP': 1.17} "
                         "with currency='EUR'.")
    if not isinstance(rates, dict):
        raise bad
    out = {}
    for k, v in rates.items():
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise bad from None
        if not (isinstance(k, str) and re.fullmatch(r"[A-Za-z]{3}", k)) or not v > 0:
            raise bad
        out[k.upper()] = v
    return out


def load_hint(counts: dict) -> str:
    """The options to pass to convert amounts in several currencies to the most common one.

    Examples
    --------
    >>> load_hint({"USD": 2, "EUR": 1})
    "currency='USD', rates={'EUR': <value of 1 EUR in USD>}"
    """
    first, *rest = counts
    return f"currency={first!r}, {_rate_hint(rest, first)}"


def _rate_hint(codes, target: str) -> str:
    return "rates={" + ", ".join(f"'{c}': <value of 1 {c} in {target}>" for c in codes) + "}"


def settle(money: Money | None, currency: str | None, rates: dict | None) -> tuple[str, dict | None]:
    """``(dataset currency, {currency: rate} to convert or None)`` for what a preset found.

    ``currency`` and ``rates`` are the options of :func:`kit.load_dataset`.

    Raises
    ------
    DataError
        When the amounts are in another currency than ``currency`` and no rate
        is given for it, naming what to pass.

    Examples
    --------
    >>> settle(Money("opportunities", "currency", {"GBP": 4}, header="Currency"), "EUR", None)
    Traceback (most recent call last):
    ...
    kit.errors.DataError: the amounts of the export are in GBP (column 'Currency'), and currency='EUR' was given...
    """
    rates = check_rates(rates)
    wanted = currency.upper() if currency else None
    if money is None or (not money.counts and not money.converted_currency):
        return wanted or "EUR", None
    if money.converted:
        source = {money.converted_currency: 1} if money.converted_currency else {}
        where = f"column {money.converted!r}"
    else:
        source, where = money.counts, f"column {money.header!r}"
    if not source:
        return wanted or "EUR", None
    if len(source) == 1:
        (code,) = source
        target = wanted or code
        if code == target:
            return target, None
        if rates and code in rates:
            return target, {code: rates[code]}
        raise DataError(f"the amounts of the export are in {code} ({where}), and currency="
                        f"{currency!r} was given; omit currency= (the dataset is then in {code}) "
                        f"or pass {_rate_hint([code], target)} to convert them.")
    if not rates:
        return wanted or "EUR", None  # set aside by the preset; ds.issues says what to pass
    target = wanted
    if target is None:
        without = [c for c in source if c not in rates]
        if len(without) != 1:
            raise DataError(f"the amounts of the export are in {describe(source)} ({where}); with "
                            f"rates={rates!r}, pass currency= too: the currency the rates "
                            "convert to.")
        target = without[0]
    missing = [c for c in source if c != target and c not in rates]
    if missing:
        raise DataError(f"the amounts of the export are in {describe(source)} ({where}); rates "
                        f"has no rate for {', '.join(missing)}. Pass {_rate_hint(missing, target)} "
                        f"as well (the value of one unit in {target}).")
    return target, {c: rates[c] for c in source if c != target}


def convert_amounts(con, money: Money, target: str, rates: dict) -> None:
    """Convert the ``amount`` of ``kept_<table>`` to ``target`` with ``rates`` (in DuckDB).

    The view ``kept_<table>`` is renamed ``kept_<table>_as_read`` and replaced by one
    whose ``amount`` is multiplied by the rate of its row's currency.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW kept_opportunities AS SELECT * FROM (VALUES (10.0::DOUBLE, 'USD'), "
    ...                 "(5.0, 'EUR')) t(amount, currency)")
    >>> convert_amounts(con, Money("opportunities", "currency", {"USD": 1, "EUR": 1}), "EUR", {"USD": 0.9})
    >>> con.sql("SELECT amount FROM kept_opportunities").fetchall()
    [(9.0,), (5.0,)]
    """
    t = money.table
    old, new = f"kept_{t}", f"kept_{t}_as_read"
    con.execute(f"ALTER VIEW {ident(old)} RENAME TO {ident(new)}")
    if money.converted or not money.column:
        (rate,) = rates.values()
        factor = literal(rate)
    else:
        code = f"upper(trim(CAST({ident(money.column)} AS VARCHAR)))"
        cases = " ".join(f"WHEN {literal(c)} THEN {literal(r)}" for c, r in rates.items())
        factor = f"CASE {code} {cases} ELSE 1 END"
    con.execute(f"CREATE TEMP VIEW {ident(old)} AS SELECT * REPLACE (amount * {factor} AS amount) "
                f"FROM {ident(new)}")


def read_money(out, cur, headers, renames, chosen, table, origin, rates, notes) -> Money | None:
    """The currency of the amounts of one export frame (renamed ``out``); amounts in several
    currencies are set aside (``amount`` renamed ``export: <header>``) unless ``rates``.

    ``cur`` is the preset's ``currency`` entry, ``headers`` the export's headers,
    ``renames`` {header: new name}, ``chosen`` {contract column: header}; issues are
    appended to ``notes``.

    Examples
    --------
    >>> out = pd.DataFrame({"amount": ["1", "2"], "currency": ["USD", "EUR"]})
    >>> notes, chosen = [], {"amount": "Value"}
    >>> m = read_money(out, {"column": ["Cur"], "converted": [], "converted_column": []},
    ...                ["Value", "Cur"], {"Value": "amount", "Cur": "currency"}, chosen,
    ...                "opportunities", "x.csv", None, notes)
    >>> m.set_aside, list(out.columns), notes[0].rule
    (True, ['export: Value', 'currency'], 'currencies')
    """
    if not cur or "amount" not in chosen:
        return None
    amount_h = chosen["amount"]
    cur_h = find_header(headers, cur["column"])
    converted = amount_h if find_header([amount_h], cur["converted"]) else None
    conv_h = find_header(headers, cur["converted_column"])
    conv = count_currencies(out[renames.get(conv_h, conv_h)]) if conv_h else {}
    counts = count_currencies(out[COLUMN]) if cur_h and renames.get(cur_h) == COLUMN else {}
    money = Money(table, COLUMN if counts else None, counts, converted,
                  next(iter(conv)) if len(conv) == 1 else None, cur_h or "")
    if len(counts) > 1 and converted:
        notes.append(Issue(table, "amount", "currencies", "info", sum(counts.values()), [],
                           f"{origin}: deals in {len(counts)} currencies ({describe(counts)}, "
                           f"column {cur_h!r}); amounts are read from {converted!r}, in one "
                           "currency."))
    elif len(counts) > 1 and not rates:
        out.rename(columns={"amount": f"export: {amount_h}"}, inplace=True)
        del chosen["amount"]
        money.set_aside = True
        notes.append(Issue(table, "amount", "currencies", "warning", sum(counts.values()), [],
                           f"{origin}: amounts in {len(counts)} currencies: {describe(counts)} "
                           f"(column {cur_h!r}). They are not added up: the amount column is kept "
                           f"as 'export: {amount_h}' and KPIs that need amounts are not "
                           f"computed. To convert them, load with {load_hint(counts)}"
                           + (f", or export the converted amount column ({', '.join(cur['converted'])})"
                              if cur["converted"] else "") + "."))
    elif counts:
        notes.append(Issue(table, "amount", "currencies", "info", sum(counts.values()), [],
                           f"{origin}: amounts in {describe(counts)} (column {cur_h!r})."))
    return money

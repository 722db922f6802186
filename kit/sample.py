"""Deterministic generator of the sample dataset (DESIGN §2, §3, §6).

The sample describes *Clairval Bureautique*, a fictional French B2B company that
sells office equipment, document-management software, maintenance contracts,
training and consumables to businesses. Three sales teams ("Nord", "Sud",
"Île-de-France") of four reps each (hunters, farmers and mixed profiles) work
leads from six channels over 24 months. The patterns are chosen so that every KPI
of DESIGN §6 has something to show: a summer dip and a year-end peak, channels
that differ in conversion and cost, lost proposals, satisfied customers who
reorder and refer more, products launched and retired, reps above and below
their targets.

Everything is drawn from one :class:`numpy.random.Generator` seeded with
``seed``; rows are sorted and written with fixed formats, so the same seed and
end month give byte-identical files.

Command line::

    python -m kit.sample --seed 7 --out data/sample [--end 2026-10] [--leads N]
                         [--format csv|parquet]

Examples
--------
>>> from kit.sample import generate
>>> tables = generate(seed=1, leads=500)
>>> sorted(tables) == sorted(TABLE_NAMES)
True
>>> len(tables["leads"]), tables["leads"]["created_at"].max() <= pd.Timestamp("2026-10-31 23:59:59")
(500, True)
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kit.contract import CONTRACT, TABLE_NAMES
from kit.errors import ParameterError, check_choice

COMPANY = "Clairval Bureautique"
DEFAULT_SEED = 7
DEFAULT_END = "2026-10"
DEFAULT_LEADS = 3600
MIN_LEADS = 500
MONTHS = 24
WARMUP = 4  # months simulated before the data so that the pipeline is full from the start
PARQUET_FROM = 100_000  # --leads from which the command line writes Parquet by default
FORMATS = ("csv", "parquet")

DAY = 86_400
HOUR = 3_600
NEVER = np.int64(2**62)  # "did not happen (yet)": later than any real time

# Revenue and lead seasonality by calendar month (January first): summer dip, year-end peak.
SEASON = np.array([1.00, 1.00, 1.05, 1.00, 0.95, 1.00, 0.62, 0.45, 1.05, 1.10, 1.40, 1.50])
SALON_MONTHS = (3, 6, 10)  # trade fairs: salon leads and costs concentrate there

# Channels: share of leads, engagement, qualification, win given a proposal, email reply.
SOURCES = ("site_web", "linkedin", "emailing", "salon", "partenaire", "recommandation", None)
SOURCE_SHARE = np.array([0.27, 0.18, 0.17, 0.13, 0.12, 0.11, 0.004])
ENGAGE = np.array([0.70, 0.55, 0.38, 0.82, 0.86, 0.92, 0.50])
QUALIFY = np.array([0.50, 0.42, 0.34, 0.60, 0.66, 0.75, 0.40])
WIN = np.array([0.40, 0.34, 0.28, 0.48, 0.52, 0.62, 0.36])
REPLY = np.array([0.07, 0.06, 0.03, 0.09, 0.11, 0.15, 0.06])

SEGMENTS = ("TPE", "PME", "ETI", "Grands comptes", None)
SEGMENT_SHARE = np.array([0.30, 0.40, 0.20, 0.10, 0.003])
SEGMENT_SIZE = np.array([0.4, 1.0, 2.0, 3.2, 1.0])  # quantity multiplier
SEGMENT_WIN = np.array([1.10, 1.00, 0.92, 0.80, 1.00])
SEGMENT_REORDER = np.array([0.10, 0.15, 0.21, 0.28, 0.15])  # repeat orders per month

METHODS = ("vente conseil", "démonstration", "appel d'offres")
METHOD_SHARE = np.array([0.45, 0.35, 0.20])
METHOD_WIN = np.array([1.05, 1.12, 0.70])
LOST_EARLY = ("besoin non confirmé", "pas de réponse", "pas de budget")
LOST_EARLY_SHARE = np.array([0.40, 0.35, 0.25])
LOST_LATE = ("prix", "concurrent", "pas de budget", "calendrier", "pas de réponse")
LOST_LATE_SHARE = np.array([0.35, 0.30, 0.15, 0.10, 0.10])

TEAMS = {
    "Nord": ("Isabelle Renard", ("Hauts-de-France", "Grand Est", "Normandie")),
    "Sud": ("François Bonnet",
            ("Provence-Alpes-Côte d'Azur", "Occitanie", "Auvergne-Rhône-Alpes", "Nouvelle-Aquitaine")),
    "Île-de-France": ("Caroline Petit", ("Île-de-France", "Centre-Val de Loire", "Bourgogne-Franche-Comté")),
}
PROFILES = ("hunter", "farmer", "mixed")
LEAD_WEIGHT = np.array([3.0, 0.3, 0.9])  # by profile: share of new leads
ACCOUNT_WEIGHT = np.array([0.0, 2.0, 1.6])  # by profile: share of existing accounts
# rep_id, name, team, profile, skill, days hired before the first month (negative: after it)
REPS = (
    ("R01", "Camille Lefèvre", "Nord", "hunter", 1.12, 2050),
    ("R02", "Julien Moreau", "Nord", "farmer", 1.00, 3340),
    ("R03", "Sophie Garnier", "Nord", "mixed", 0.92, 1390),
    ("R04", "Mehdi Benali", "Nord", "hunter", 0.82, 515),
    ("R05", "Élodie Fabre", "Sud", "hunter", 1.18, 2460),
    ("R06", "Thomas Roux", "Sud", "farmer", 0.95, 2725),
    ("R07", "Nadia Haddad", "Sud", "mixed", 1.02, 775),
    ("R08", "Pierre Castel", "Sud", "farmer", 0.85, 1670),
    ("R09", "Léa Dubois", "Île-de-France", "hunter", 1.05, 1488),
    ("R10", "Antoine Mercier", "Île-de-France", "hunter", 0.78, -125),
    ("R11", "Chloé Martin", "Île-de-France", "farmer", 1.10, 3285),
    ("R12", "Hugo Lambert", "Île-de-France", "mixed", 0.96, 263),
)

CATEGORIES = ("Matériel", "Logiciel", "Maintenance", "Formation", "Consommables")
CATEGORY_FIRST = np.array([0.36, 0.26, 0.15, 0.14, 0.09])  # product mix of a first order
CATEGORY_REPEAT = np.array([0.10, 0.08, 0.25, 0.10, 0.47])  # ... and of a reorder
CATEGORY_QTY = np.array([1.2, 2.0, 1.2, 1.0, 7.0])
# name, category, unit price, unit cost / price, launch and retirement (months after the first month)
PRODUCTS = (
    ("Imprimante laser Pro 400", 0, 1450.0, 0.68, -30, None),
    ("Imprimante couleur A3 Studio", 0, 3900.0, 0.70, -40, 14),
    ("Copieur multifonction MX-7", 0, 8900.0, 0.72, -50, None),
    ("Copieur multifonction MX-9", 0, 12500.0, 0.70, 9, None),
    ("Scanner documentaire S20", 0, 980.0, 0.62, -20, None),
    ("Borne d'accueil tactile", 0, 5600.0, 0.66, 3, None),
    ("Logiciel GED Essentiel", 1, 2400.0, 0.25, -36, 18),
    ("Logiciel GED Entreprise", 1, 7800.0, 0.22, 6, None),
    ("Suite gestion des impressions", 1, 1900.0, 0.20, -24, None),
    ("Module signature électronique", 1, 1200.0, 0.18, 15, None),
    ("Contrat maintenance Standard", 2, 890.0, 0.45, -60, None),
    ("Contrat maintenance Premium", 2, 2100.0, 0.40, -60, None),
    ("Extension garantie 3 ans", 2, 450.0, 0.35, -30, 20),
    ("Formation utilisateurs (1 jour)", 3, 1100.0, 0.48, -48, None),
    ("Formation administrateur", 3, 1650.0, 0.45, -30, None),
    ("Atelier dématérialisation", 3, 2300.0, 0.50, 12, None),
    ("Toner noir haute capacité", 4, 145.0, 0.55, -60, None),
    ("Pack toners couleur", 4, 390.0, 0.57, -60, 11),
    ("Pack toners couleur v2", 4, 420.0, 0.55, 10, None),
    ("Papier recyclé (palette)", 4, 620.0, 0.74, -60, None),
    ("Kit tambour", 4, 260.0, 0.50, -40, None),
)

ACTIVITY_MIX = {  # purpose -> (types, shares)
    "prospecting": (("call", "voicemail", "email", "social_message", "meeting", "video_call"),
                    np.array([0.36, 0.16, 0.32, 0.10, 0.04, 0.02])),
    "sales": (("meeting", "video_call", "call", "email"), np.array([0.22, 0.22, 0.26, 0.30])),
    "customer_service": (("call", "email", "video_call"), np.array([0.50, 0.45, 0.05])),
}
TYPES = ("call", "voicemail", "email", "meeting", "video_call", "social_message")
OUTCOMES = ("connected", "no_answer", "appointment_set", "voicemail", "wrong_number",
            "sent", "held", "no_show", "received")
PURPOSES = ("prospecting", "sales", "customer_service")

NETWORKS = ("linkedin", "facebook", "instagram", "youtube")
NETWORK_SHARE = np.array([0.60, 0.16, 0.16, 0.08])
NETWORK_REACH = np.array([1900.0, 900.0, 1200.0, 650.0])
NETWORK_RATES = np.array([  # reactions, comments, shares, clicks per impression
    [0.022, 0.003, 0.0025, 0.012],
    [0.015, 0.002, 0.0030, 0.006],
    [0.035, 0.004, 0.0010, 0.003],
    [0.018, 0.002, 0.0010, 0.015],
])

COMMENTS = {
    "good": ("Très bon suivi commercial.", "Livraison rapide, merci.", "Équipe réactive et à l'écoute.",
             "Installation impeccable.", "Je recommande sans hésiter."),
    "mixed": ("Correct, sans plus.", "Délai de livraison un peu long.", "Bon produit, prix élevé.",
              "Documentation à améliorer."),
    "bad": ("Aucun retour du support.", "Facturation erronée.", "Matériel livré en retard.",
            "Interlocuteur difficile à joindre.", "Déçu par la qualité."),
}


# --------------------------------------------------------------------------- public API


def generate(seed: int = DEFAULT_SEED, end: str = DEFAULT_END, leads: int | None = None) -> dict:
    """Generate the thirteen tables of the sample dataset.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed and ``end`` give the same tables.
    end : str
        Last month of the data, ``"YYYY-MM"``; the data covers the 24 months up to
        the end of that month. Four earlier months are simulated but not written,
        so that the pipeline is full from the first month: opportunities still
        open when the data starts are kept, created earlier and without a lead.
    leads : int, optional
        Number of leads (default 3,600, at least 500). Activities, opportunities,
        customers, orders and costs scale with it; reps, products and social posts
        do not.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table of :data:`kit.contract.TABLE_NAMES`, with exactly the
        contract columns, sorted by key. Identifiers and labels are strings,
        times naive ``datetime64[ns]``, money ``float64`` rounded to the cent.

    Raises
    ------
    ParameterError
        On a seed that is not a non-negative integer, an ``end`` that is not
        ``YYYY-MM`` or fewer than 500 leads.

    Examples
    --------
    >>> t = generate(seed=3, end="2025-06", leads=600)
    >>> t["orders"]["ordered_at"].max() < pd.Timestamp("2025-07-01")
    True
    >>> sorted(t["opportunities"]["status"].unique())
    ['lost', 'open', 'won']
    """
    seed = _check_seed(seed)
    first, stop = _check_end(end)
    n_leads = _check_leads(leads)
    rng = np.random.default_rng(seed)
    w = _Window(first, stop)
    scale = n_leads / DEFAULT_LEADS
    reps = _Reps(w)
    products = _Products(w)
    lead = _simulate_leads(rng, w, reps, n_leads)
    opp = _simulate_opportunities(rng, w, reps, lead)
    cust = _simulate_customers(rng, w, reps, lead, opp, scale)
    refs = _simulate_referrals(rng, w, lead, cust)
    orders = _simulate_orders(rng, w, products, lead, opp, cust)
    acts = _simulate_activities(rng, w, reps, lead, opp, cust)
    lead.ids = np.concatenate([np.full(lead.n_warm, None, dtype=object), _ids("L", lead.n - lead.n_warm, 6)])
    opp.ids = np.full(opp.n, None, dtype=object)
    opp.ids[opp.kept] = _ids("OP", int(opp.kept.sum()), 6)
    cust.ids = _ids("C", cust.n, 5)
    surveys = _simulate_surveys(rng, w, orders, cust)
    tables = {
        "leads": _leads_table(w, reps, lead, cust),
        "activities": _activities_table(reps, lead, opp, cust, acts),
        "opportunities": _opportunities_table(reps, products, lead, opp, cust),
        "stage_history": _stage_history_table(opp),
        "orders": _orders_table(reps, products, opp, cust, orders),
        "customers": _customers_table(cust),
        "costs": _costs_table(rng, w, reps, lead, cust, refs, orders, scale),
        "surveys": surveys,
        "referrals": _referrals_table(lead, cust, refs),
        "targets": _targets_table(w, reps, opp, orders),
        "reps": reps.table(),
        "products": products.table(),
        "social": _social_table(rng, w),
    }
    return {name: _conform(name, tables[name]) for name in TABLE_NAMES}


def write(tables: dict, out, format: str = "csv") -> list[Path]:
    """Write tables to ``out/<table>.csv`` (or ``.parquet``) and return the paths.

    CSV files are UTF-8, comma-separated, with ``YYYY-MM-DD HH:MM:SS`` times,
    ``YYYY-MM-DD`` dates, ``.`` decimals with two digits for money, ``true`` /
    ``false`` booleans and empty cells for missing values. Parquet files are
    written with pyarrow. The folder is created when needed; other files in it
    are left alone.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Usually the result of :func:`generate`; keys must be contract tables.
    out : str or Path
        Destination folder.
    format : {"csv", "parquet"}
        File format.

    Raises
    ------
    ParameterError
        On an unknown format or table name.

    Examples
    --------
    >>> import tempfile
    >>> tables = {"reps": pd.DataFrame({"rep_id": ["R1"], "name": ["Ana"], "team": ["Nord"],
    ...     "manager": [None], "region": [None], "hired_at": pd.to_datetime(["2024-01-02"])})}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write(tables, d)
    ...     print(paths[0].read_text(encoding="utf-8"), end="")
    rep_id,name,team,manager,region,hired_at
    R1,Ana,Nord,,,2024-01-02 00:00:00
    """
    check_choice("format", format, FORMATS, what_next="Use format='csv' or format='parquet'.")
    unknown = [t for t in tables if t not in CONTRACT]
    if unknown:
        raise ParameterError(
            f"write() received unknown table(s) {unknown}; allowed tables: {list(TABLE_NAMES)}. "
            "Pass the dict returned by kit.sample.generate()."
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = out / f"{name}.{format}"
        if format == "csv":
            _csv_frame(name, df).to_csv(path, index=False, encoding="utf-8", lineterminator="\n",
                                        float_format="%.2f")
        else:
            df.to_parquet(path, index=False, engine="pyarrow")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    """Command line: ``python -m kit.sample --seed N --out DIR [--end] [--leads] [--format]``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     main(["--seed", "2", "--out", d, "--leads", "500", "--quiet"])
    0
    """
    p = argparse.ArgumentParser(
        prog="python -m kit.sample",
        description=f"Write the sample dataset of {COMPANY} (13 tables of the data contract).")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 7)")
    p.add_argument("--out", required=True, help="destination folder")
    p.add_argument("--end", default=DEFAULT_END, help="last month YYYY-MM (default %(default)s)")
    p.add_argument("--leads", type=int, default=None,
                   help=f"number of leads (default {DEFAULT_LEADS}); the other tables scale with it")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help=f"csv or parquet (default: csv, parquet from {PARQUET_FROM:,} leads)")
    p.add_argument("--quiet", action="store_true", help="print nothing")
    args = p.parse_args(argv)
    fmt = args.format or ("parquet" if (args.leads or 0) >= PARQUET_FROM else "csv")
    t0 = time.perf_counter()
    tables = generate(seed=args.seed, end=args.end, leads=args.leads)
    paths = write(tables, args.out, format=fmt)
    if not args.quiet:
        for path, (name, df) in zip(paths, tables.items()):
            print(f"{name:15s} {len(df):>12,d} rows  {path}")
        print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0


# --------------------------------------------------------------------------- checks


def _check_seed(seed):
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(
            f"seed must be a non-negative integer; received {seed!r}. Pass e.g. seed=7."
        )
    return int(seed)


def _check_end(end):
    if not isinstance(end, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end):
        raise ParameterError(
            f"end must be a month written YYYY-MM; received {end!r}. Pass e.g. end='2026-10'."
        )
    last = pd.Period(end, freq="M")
    return last - (MONTHS - 1), last


def _check_leads(leads):
    if leads is None:
        return DEFAULT_LEADS
    if isinstance(leads, (bool, np.bool_)) or not isinstance(leads, (int, np.integer)) or leads < MIN_LEADS:
        raise ParameterError(
            f"leads must be an integer of at least {MIN_LEADS}; received {leads!r}. "
            f"Leave it out for the default ({DEFAULT_LEADS}) or pass e.g. leads=100000."
        )
    return int(leads)


# --------------------------------------------------------------------------- time helpers


class _Window:
    """The months of the data as int64 seconds since 1970 (naive local time)."""

    def __init__(self, first: pd.Period, last: pd.Period):
        months = pd.period_range(first, last + 1, freq="M")
        self.starts = _seconds(months.start_time)  # MONTHS + 1 entries
        self.cal = months.month.to_numpy()[:MONTHS]
        sim = pd.period_range(first - WARMUP, last + 1, freq="M")  # with the warm-up months
        self.sim_starts = _seconds(sim.start_time)
        self.sim_cal = sim.month.to_numpy()[:-1]
        self.start = int(self.starts[0])
        self.end = int(self.starts[-1]) - 1  # last second of the last month
        self.first = first

    def month_of(self, t):
        return np.searchsorted(self.starts, t, side="right") - 1

    def month_start(self, offset: int) -> int:
        """First second of the month ``offset`` months after the first one."""
        return int(_seconds(pd.DatetimeIndex([(self.first + offset).start_time]))[0])


def _seconds(dt) -> np.ndarray:
    return np.asarray(pd.DatetimeIndex(dt).values.astype("datetime64[s]").astype(np.int64))


def _office(t):
    """Move times into office hours, Monday to Friday 08:00-19:00, keeping each day's order."""
    day = t // DAY
    dow = (day + 3) % 7  # 0 is Monday: 1970-01-01 was a Thursday
    day = day + np.where(dow == 5, 2, np.where(dow == 6, 1, 0))
    return day * DAY + 8 * HOUR + (t % DAY) * 11 // 24


def _next_office(t):
    """The first office-hours instant at or after ``t``."""
    day, sec = t // DAY, t % DAY
    day = np.where(sec >= 19 * HOUR, day + 1, day)
    sec = np.where(sec >= 19 * HOUR, 8 * HOUR, np.maximum(sec, 8 * HOUR))
    dow = (day + 3) % 7
    shift = np.where(dow == 5, 2, np.where(dow == 6, 1, 0))
    return np.where(shift > 0, (day + shift) * DAY + 8 * HOUR, day * DAY + sec)


def _prev_office(t):
    """The last office-hours instant at or before ``t``."""
    day, sec = t // DAY, t % DAY
    day = np.where(sec < 8 * HOUR, day - 1, day)
    sec = np.where(sec < 8 * HOUR, 19 * HOUR - 1, np.minimum(sec, 19 * HOUR - 1))
    dow = (day + 3) % 7
    shift = np.where(dow == 5, 1, np.where(dow == 6, 2, 0))
    return np.where(shift > 0, (day - shift) * DAY + 19 * HOUR - 1, day * DAY + sec)


def _office_within(t, lo, hi):
    """:func:`_office` of ``t``, kept in ``[lo, hi]`` (a weekend at the end goes back to Thursday)."""
    o = _office(t)
    o = np.where(o > hi, _office(t - 3 * DAY), o)
    return np.minimum(np.maximum(o, lo), hi)


def _delay(rng, n, median_days, sigma=0.8, floor=600):
    """Log-normal delays in whole seconds, at least ``floor``."""
    d = rng.lognormal(np.log(median_days * DAY), sigma, n)
    return np.maximum(d.astype(np.int64), floor)


def _pick(rng, shares, n):
    shares = np.asarray(shares, dtype=float)
    return rng.choice(len(shares), size=n, p=shares / shares.sum())


def _ts(t) -> np.ndarray:
    """int64 seconds (``NEVER`` for missing) to ``datetime64[ns]``."""
    t = np.asarray(t, dtype=np.int64)
    out = t.astype("datetime64[s]")
    out[t >= NEVER] = np.datetime64("NaT")
    return out.astype("datetime64[ns]")


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """``prefix`` followed by 1..n zero-padded to ``width`` (at least enough digits)."""
    width = max(width, len(str(n)))
    nums = pc.utf8_lpad(pa.array(np.arange(1, n + 1, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, nums, "").to_numpy(zero_copy_only=False)


def _take(values, idx) -> np.ndarray:
    """``values[idx]`` as an object array, ``None`` where ``idx`` is negative."""
    values = np.asarray(values, dtype=object)
    idx = np.asarray(idx)
    out = values[np.maximum(idx, 0)] if len(values) else np.full(len(idx), None, dtype=object)
    out = out.copy()
    out[idx < 0] = None
    return out


def _frame(columns: dict) -> pd.DataFrame:
    """A DataFrame that keeps each column as its own array (no copy into blocks)."""
    return pd.DataFrame(columns, copy=False)


def _labels(labels, idx) -> np.ndarray:
    return np.asarray(labels, dtype=object)[idx]


# --------------------------------------------------------------------------- reference tables


class _Reps:
    def __init__(self, w: _Window):
        self.ids = np.array([r[0] for r in REPS], dtype=object)
        self.names = [r[1] for r in REPS]
        self.team_names = list(TEAMS)
        self.team = np.array([self.team_names.index(r[2]) for r in REPS])
        self.profile = np.array([PROFILES.index(r[3]) for r in REPS])
        self.skill = np.array([r[4] for r in REPS])
        self.hired = np.array([(w.start // DAY - r[5]) * DAY for r in REPS], dtype=np.int64)
        self.n = len(REPS)
        self.farmer = self.profile == PROFILES.index("farmer")
        self.hunter = self.profile == PROFILES.index("hunter")

    def table(self) -> pd.DataFrame:
        teams = [self.team_names[t] for t in self.team]
        return _frame({
            "rep_id": self.ids, "name": self.names, "team": teams,
            "manager": [TEAMS[t][0] for t in teams], "region": [TEAMS[t][1][0] for t in teams],
            "hired_at": _ts(self.hired),
        })


class _Products:
    def __init__(self, w: _Window):
        self.n = len(PRODUCTS)
        self.ids = _ids("PRD", self.n, 2)
        self.category = np.array([p[1] for p in PRODUCTS])
        self.price = np.array([p[2] for p in PRODUCTS])
        self.cost = np.round(self.price * np.array([p[3] for p in PRODUCTS]), 2)
        self.launch = np.array([w.month_start(p[4]) for p in PRODUCTS], dtype=np.int64)
        self.retire = np.array([NEVER if p[5] is None else w.month_start(p[5]) for p in PRODUCTS],
                               dtype=np.int64)
        # active[m, p]: product p can be sold during the whole month m
        self.active = (self.launch[None, :] <= w.starts[:MONTHS, None]) & \
                      (self.retire[None, :] >= w.starts[1:, None])

    def draw(self, rng, month, category_share):
        """One product per element of ``month``, among the products sold that month."""
        out = np.empty(len(month), dtype=np.int64)
        order = np.argsort(month, kind="stable")
        counts = np.bincount(month, minlength=MONTHS)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        for m in range(MONTHS):
            if counts[m] == 0:
                continue
            act = self.active[m]
            per_cat = np.bincount(self.category[act], minlength=len(CATEGORIES))
            weight = np.where(act, category_share[self.category] / np.maximum(per_cat[self.category], 1), 0)
            out[order[bounds[m]:bounds[m + 1]]] = _pick(rng, weight, counts[m])
        return out

    def table(self) -> pd.DataFrame:
        return _frame({
            "product_id": self.ids, "name": [p[0] for p in PRODUCTS],
            "category": _labels(CATEGORIES, self.category),
            "launched_at": _ts(self.launch), "retired_at": _ts(self.retire),
            "unit_price": self.price, "unit_cost": self.cost,
        })


# --------------------------------------------------------------------------- simulation


class _Sim(dict):
    """Arrays of one simulated entity, readable and writable as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__


def _simulate_leads(rng, w, reps, n_data):
    """Leads of the warm-up months (index < ``n_warm``, not written) then ``n_data`` leads."""
    weight = SEASON[w.sim_cal - 1] * (1 + 0.12 * np.arange(-WARMUP, MONTHS) / MONTHS)
    n_warm = int(round(n_data * weight[:WARMUP].sum() / weight[WARMUP:].sum()))
    counts = np.concatenate([rng.multinomial(n_warm, weight[:WARMUP] / weight[:WARMUP].sum()),
                             rng.multinomial(n_data, weight[WARMUP:] / weight[WARMUP:].sum())])
    n = n_warm + n_data
    month = np.repeat(np.arange(WARMUP + MONTHS), counts)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    src = np.empty(n, dtype=np.int64)
    rep = np.empty(n, dtype=np.int64)
    for m in range(WARMUP + MONTHS):
        sl = slice(bounds[m], bounds[m + 1])
        share = SOURCE_SHARE.copy()
        share[SOURCES.index("salon")] *= 3.0 if w.sim_cal[m] in SALON_MONTHS else 0.45
        src[sl] = _pick(rng, share, counts[m])
        hired = reps.hired <= w.sim_starts[m]
        rep[sl] = _pick(rng, LEAD_WEIGHT[reps.profile] * hired, counts[m])
    lo, hi = w.sim_starts[month], w.sim_starts[month + 1]
    created = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
    web = src == SOURCES.index("site_web")
    created = np.where(web, created, _office_within(created, lo, hi - 1))
    order = np.argsort(created, kind="stable")
    created, src, rep = created[order], src[order], rep[order]
    seg = _pick(rng, SEGMENT_SHARE, n)
    skill = reps.skill[rep]
    engaged = rng.random(n) < np.clip(ENGAGE[src] * (0.85 + 0.15 * skill), 0, 0.97)
    engaged_at = np.where(engaged, created + _delay(rng, n, 1.5, 1.0, 900), NEVER)
    qualified = engaged & (rng.random(n) < np.clip(QUALIFY[src] * skill, 0, 0.95))
    qualified_at = np.where(qualified, np.maximum(_office(engaged_at + _delay(rng, n, 8, 0.7, HOUR)),
                                                  engaged_at + 600), NEVER)
    has_opp = qualified & (rng.random(n) < 0.85)
    # when an unconverted lead is given up (before the censoring at the end of the data)
    stale = created + _delay(rng, n, 60, 0.3, 20 * DAY)
    dropped = np.where(engaged, _office(engaged_at + _delay(rng, n, 25, 0.6, DAY)),
                       np.where(rng.random(n) < 0.8, stale, NEVER))
    dropped = np.where(qualified, _office(qualified_at + _delay(rng, n, 15, 0.6, DAY)), dropped)
    last = np.where(qualified, qualified_at, np.where(engaged, engaged_at, created))
    dropped = np.where(dropped < NEVER, np.maximum(dropped, last + 600), NEVER)
    return _Sim(n=n, n_warm=n_warm, created=created, src=src, rep=rep, seg=seg, engaged_at=engaged_at,
                qualified_at=qualified_at, has_opp=has_opp, dropped=dropped,
                qualified=qualified, engaged=engaged)


def _simulate_opportunities(rng, w, reps, lead):
    li = np.flatnonzero(lead.has_opp)
    created = np.maximum(_office(lead.qualified_at[li] + _delay(rng, len(li), 3, 0.7, HOUR)),
                         lead.qualified_at[li] + 600)
    keep = created <= w.end
    li, created = li[keep], created[keep]
    order = np.argsort(created, kind="stable")
    li, created = li[order], created[order]
    n = len(li)
    rep, src, seg = lead.rep[li], lead.src[li], lead.seg[li]
    method = _pick(rng, METHOD_SHARE, n)
    qual_ok = rng.random(n) < 0.92
    qual = np.where(qual_ok, np.maximum(_office(created + _delay(rng, n, 2, 0.7, 1800)), created + 600), NEVER)
    prop_ok = qual_ok & (rng.random(n) < 0.80)
    prop = np.where(prop_ok, np.maximum(_office(qual + _delay(rng, n, 9, 0.6, DAY)), qual + 600), NEVER)
    progress = (created - w.start) / (w.end - w.start)
    prop_cal = pd.DatetimeIndex(_ts(np.where(prop_ok, prop, created))).month.to_numpy()
    p_win = (WIN[src] * reps.skill[rep] * METHOD_WIN[method] * SEGMENT_WIN[seg]
             * (0.9 + 0.2 * progress) * np.where(np.isin(prop_cal, (10, 11, 12)), 1.15, 1.0))
    won = prop_ok & (rng.random(n) < np.clip(p_win, 0.05, 0.9))
    nego_ok = prop_ok & (rng.random(n) < np.where(won, 0.8, 0.35))
    nego = np.where(nego_ok, np.maximum(_office(prop + _delay(rng, n, 6, 0.6, HOUR)), prop + 600), NEVER)
    last = np.where(nego_ok, nego, np.where(prop_ok, prop, np.where(qual_ok, qual, created)))
    closed = np.maximum(_office(last + _delay(rng, n, 13, 0.7, HOUR)), last + 600)
    # summer holidays: most decisions due in July or August wait for September
    when = _ts(closed)
    summer = np.isin(pd.DatetimeIndex(when).month.to_numpy(), (7, 8)) & (rng.random(n) < 0.75)
    september = (when.astype("datetime64[Y]").astype("datetime64[M]") + np.timedelta64(8, "M"))
    september = september.astype("datetime64[s]").astype(np.int64)
    closed = np.where(summer, _office(september + _delay(rng, n, 8, 0.6, DAY)), closed)
    done = closed <= w.end
    status = np.where(done, np.where(won, 1, 2), 0)  # 0 open, 1 won, 2 lost
    reason = np.where(prop_ok, 10 + _pick(rng, LOST_LATE_SHARE, n), _pick(rng, LOST_EARLY_SHARE, n))
    cens = lambda t: np.where(t <= w.end, t, NEVER)  # noqa: E731
    # a lead with an opportunity is lost when the opportunity is lost, else not lost
    lead.dropped[lead.has_opp] = NEVER
    lost = status == 2
    lead.dropped[li[lost]] = closed[lost]
    # opportunities closed before the data starts are history: not written
    kept = closed >= w.start
    return _Sim(n=n, kept=kept, lead=li, created=created, rep=rep, src=src, seg=seg, method=method,
                qual=cens(qual), prop=cens(prop), nego=cens(nego), closed=cens(closed),
                closed_raw=closed, status=status, won=won, reason=reason)


def _simulate_customers(rng, w, reps, lead, opp, scale):
    """Customers acquired before the data plus those converted from leads, by acquisition."""
    wi = np.flatnonzero(opp.status == 1)
    n_new, n_old = len(wi), int(round(800 * scale))
    old_acq = _office(w.start - (rng.random(n_old) * 6 * 365 * DAY).astype(np.int64) - 30 * DAY)
    old_src = _pick(rng, SOURCE_SHARE[:-1], n_old)
    old_seg = _pick(rng, SEGMENT_SHARE[:-1], n_old)
    senior = reps.hired <= w.start
    old_rep = _pick(rng, ACCOUNT_WEIGHT[reps.profile] * senior, n_old)
    acq = np.concatenate([old_acq, opp.closed[wi]])
    lead_idx = np.concatenate([np.full(n_old, -1), opp.lead[wi]])
    opp_idx = np.concatenate([np.full(n_old, -1), wi])
    src = np.concatenate([old_src, opp.src[wi]])
    seg = np.concatenate([old_seg, opp.seg[wi]])
    seller = np.concatenate([old_rep, opp.rep[wi]])
    # accounts won by a rep go to a farmer of the team seven times out of ten
    account = seller.copy()
    handover = np.zeros(len(acq), dtype=bool)
    handover[n_old:] = rng.random(n_new) < 0.7
    for team in range(len(TEAMS)):
        farmers = np.flatnonzero(reps.farmer & (reps.team == team))
        sel = np.flatnonzero(handover & (reps.team[seller] == team))
        account[sel] = farmers[rng.integers(0, len(farmers), len(sel))]
    order = np.argsort(acq, kind="stable")
    acq, lead_idx, opp_idx, src, seg, seller, account = (
        a[order] for a in (acq, lead_idx, opp_idx, src, seg, seller, account))
    n = len(acq)
    team = reps.team[seller]
    region = np.empty(n, dtype=object)
    for t, (_, regions) in enumerate(TEAMS.values()):
        sel = np.flatnonzero(team == t)
        share = np.array([3.0] + [1.0] * (len(regions) - 1))
        region[sel] = _labels(regions, _pick(rng, share, len(sel)))
    sat = rng.normal(0, 1, n)
    # customers leave after about three years on average, satisfied ones later
    churn = acq + (rng.exponential(40 * 30.4 * DAY, n) * np.exp(0.45 * sat)).astype(np.int64)
    # an older customer referred by an even older one (index = acquisition rank)
    referred_by = np.full(n, -1)
    old_reco = np.flatnonzero((lead_idx < 0) & (src == SOURCES.index("recommandation")))
    referred_by[old_reco] = np.where(old_reco > 0, (rng.random(len(old_reco)) * old_reco).astype(np.int64), -1)
    by_lead = np.full(lead.n, -1)
    by_lead[lead_idx[lead_idx >= 0]] = np.flatnonzero(lead_idx >= 0)
    by_opp = np.full(opp.n, -1)
    by_opp[opp_idx[opp_idx >= 0]] = np.flatnonzero(opp_idx >= 0)
    return _Sim(n=n, acq=acq, churn=churn, lead=lead_idx, opp=opp_idx, src=src, seg=seg, seller=seller,
                account=account, region=region, sat=sat, referred_by=referred_by,
                by_lead=by_lead, by_opp=by_opp)


def _simulate_referrals(rng, w, lead, cust):
    """Referrals behind 'recommandation' leads, plus some that led nowhere (invalid)."""
    reco = np.flatnonzero(lead.src == SOURCES.index("recommandation"))
    n_extra = int(round(0.15 * len(reco)))
    extra_at = w.start + (rng.random(n_extra) * (w.end - w.start)).astype(np.int64)
    at = np.concatenate([_office(lead.created[reco] - (rng.random(len(reco)) * 3 * DAY).astype(np.int64)),
                         _office(extra_at)])
    lead_idx = np.concatenate([reco, np.full(n_extra, -1)])
    month = np.searchsorted(w.sim_starts, np.concatenate([lead.created[reco], extra_at]), side="right") - 1
    referrer = np.empty(len(at), dtype=np.int64)
    for m in range(WARMUP + MONTHS):
        sel = np.flatnonzero(month == m)
        start = w.sim_starts[m]
        eligible = int(np.searchsorted(cust.acq, start, side="left"))
        recent = cust.acq[:eligible] >= start - 182 * DAY
        weight = (np.exp(0.9 * cust.sat[:eligible]) * np.where(recent, 3.5, 1.0)
                  * np.where(cust.churn[:eligible] > start, 1.0, 0.1))
        referrer[sel] = _pick(rng, weight, len(sel))
    at = np.minimum(np.maximum(at, cust.acq[referrer] + HOUR),
                    np.where(lead_idx >= 0, lead.created[np.maximum(lead_idx, 0)], w.end))
    valid = np.where(lead_idx >= 0, rng.random(len(at)) < np.where(lead.engaged[np.maximum(lead_idx, 0)],
                                                                     0.92, 0.55),
                     rng.random(len(at)) < 0.1)
    order = np.argsort(at, kind="stable")
    at, lead_idx, referrer, valid = at[order], lead_idx[order], referrer[order], valid[order]
    has = lead_idx >= 0
    conv = np.full(len(at), -1)
    conv[has] = cust.by_lead[lead_idx[has]]
    cust.referred_by[conv[conv >= 0]] = referrer[conv >= 0]
    keep = (at >= w.start) & ((lead_idx < 0) | (lead_idx >= lead.n_warm))
    return _Sim(n=int(keep.sum()), at=at[keep], lead=lead_idx[keep], referrer=referrer[keep], valid=valid[keep])


def _lines(rng, products, month, n_orders, seg, share, extra_lines, qty_scale, max_discount):
    """Order lines: ``(order index, product, quantity, amount, cost)`` sorted by order."""
    n_lines = 1 + np.minimum(rng.poisson(extra_lines, n_orders), 5)
    owner = np.repeat(np.arange(n_orders), n_lines)
    prod = products.draw(rng, month[owner], share)
    lam = CATEGORY_QTY[products.category[prod]] * SEGMENT_SIZE[seg[owner]] * qty_scale
    qty = 1 + rng.poisson(lam)
    discount = rng.random(len(owner)) * max_discount
    amount = np.round(qty * products.price[prod] * (1 - discount), 2)
    cost = np.round(qty * products.cost[prod], 2)
    return owner, prod, qty, amount, cost


def _simulate_orders(rng, w, products, lead, opp, cust):
    # every opportunity gets a quote; a won one becomes the customer's first order
    first_at = np.where(opp.status == 1, _office(opp.closed + (rng.random(opp.n) * 2 * DAY).astype(np.int64)),
                        NEVER)
    first_at = np.where(first_at > w.end, opp.closed, np.maximum(first_at, opp.closed))
    q_month = np.clip(w.month_of(np.where(opp.status == 1, first_at, opp.created)), 0, MONTHS - 1)
    q_owner, q_prod, q_qty, q_amount, q_cost = _lines(rng, products, q_month, opp.n, opp.seg,
                                                      CATEGORY_FIRST, 1.6, 1.0, 0.12)
    opp.amount = np.round(np.bincount(q_owner, weights=q_amount, minlength=opp.n), 2)
    first_line = np.concatenate([[0], np.cumsum(np.bincount(q_owner, minlength=opp.n))[:-1]])
    opp.product = q_prod[first_line]
    # reorders: a Poisson number per customer and month, more for satisfied customers
    rate = SEGMENT_REORDER[cust.seg] * np.exp(0.55 * cust.sat)
    growth = 1 - 0.1 * np.arange(MONTHS) / MONTHS  # the base grows: keep revenue growth moderate
    r_cust, r_at = [], []
    for m in range(MONTHS):
        lo = np.maximum(w.starts[m], cust.acq + DAY)
        hi = np.minimum(w.starts[m + 1], cust.churn)
        ok = np.flatnonzero(lo < hi - HOUR)
        k = rng.poisson(rate[ok] * SEASON[w.cal[m] - 1] * growth[m] * (hi[ok] - lo[ok]) / (30 * DAY))
        c = np.repeat(ok, k)
        t = lo[c] + (rng.random(len(c)) * (hi[c] - lo[c])).astype(np.int64)
        t = _office_within(t, lo[c], hi[c] - 1)
        r_cust.append(c)
        r_at.append(t)
    r_cust, r_at = np.concatenate(r_cust), np.concatenate(r_at)
    won = np.flatnonzero((opp.status == 1) & (first_at >= w.start))
    at = np.concatenate([first_at[won], r_at])
    customer = np.concatenate([cust.by_opp[won], r_cust])
    opp_idx = np.concatenate([won, np.full(len(r_cust), -1)])
    rep = np.concatenate([opp.rep[won], cust.account[r_cust]])
    order = np.lexsort((customer, at))
    at, customer, opp_idx, rep = at[order], customer[order], opp_idx[order], rep[order]
    n = len(at)
    # lines: the quote of a won opportunity, or a drawn reorder basket
    is_first = opp_idx >= 0
    pos = np.full(opp.n, -1)
    pos[opp_idx[is_first]] = np.flatnonzero(is_first)
    from_quote = pos[q_owner] >= 0
    reo = np.flatnonzero(~is_first)
    r_owner, r_prod, r_qty, r_amount, r_cost = _lines(
        rng, products, np.clip(w.month_of(at[reo]), 0, MONTHS - 1), len(reo), cust.seg[customer[reo]],
        CATEGORY_REPEAT, 0.7, 0.6, 0.08)
    owner = np.concatenate([pos[q_owner[from_quote]], reo[r_owner]])
    line_order = np.argsort(owner, kind="stable")
    lines = _Sim(
        order=owner[line_order],
        product=np.concatenate([q_prod[from_quote], r_prod])[line_order],
        qty=np.concatenate([q_qty[from_quote], r_qty])[line_order],
        amount=np.concatenate([q_amount[from_quote], r_amount])[line_order],
        cost=np.concatenate([q_cost[from_quote], r_cost])[line_order],
    )
    return _Sim(n=n, at=at, customer=customer, opp=opp_idx, rep=rep, lines=lines)


def _activity_fields(rng, reps, rep, purpose_code, inbound_p, call_outcome, reply_p):
    """Type, direction, outcome and replied for activities of one purpose."""
    n = len(rep)
    types_, share = ACTIVITY_MIX[PURPOSES[purpose_code]]
    kind = np.empty(n, dtype=np.int8)
    for r in range(reps.n):  # reps differ in their email / call balance
        sel = np.flatnonzero(rep == r)
        s = share.copy()
        if "email" in types_:
            s[types_.index("email")] *= 0.6 + 0.08 * ((5 * r) % 12)
        kind[sel] = _pick(rng, s, len(sel))
    kind = np.array([TYPES.index(t) for t in types_], dtype=np.int8)[kind]
    inbound = rng.random(n) < inbound_p
    inbound &= np.isin(kind, (TYPES.index("call"), TYPES.index("email"), TYPES.index("social_message")))
    u = rng.random(n)
    outcome = np.full(n, OUTCOMES.index("sent"), dtype=np.int8)
    is_call = kind == TYPES.index("call")
    outcome[is_call] = call_outcome(u[is_call], np.flatnonzero(is_call))
    outcome[kind == TYPES.index("voicemail")] = OUTCOMES.index("voicemail")
    live = np.isin(kind, (TYPES.index("meeting"), TYPES.index("video_call")))
    outcome[live] = np.where(u[live] < 0.92, OUTCOMES.index("held"), OUTCOMES.index("no_show"))
    outcome[is_call & inbound] = OUTCOMES.index("connected")
    outcome[inbound & ~is_call] = OUTCOMES.index("received")
    replied = np.full(n, -1, dtype=np.int8)  # -1: not an email
    is_mail = kind == TYPES.index("email")
    replied[is_mail] = rng.random(int(is_mail.sum())) < reply_p[is_mail]
    return kind, inbound.astype(np.int8), outcome, replied


def _call_outcome(p_appt, p_connected):
    def outcome(u, idx):
        a, c = p_appt[idx], p_connected[idx]
        return np.select([u < a, u < a + c, u < a + c + 0.12, u < a + c + 0.15],
                         [OUTCOMES.index("appointment_set"), OUTCOMES.index("connected"),
                          OUTCOMES.index("voicemail"), OUTCOMES.index("wrong_number")],
                         OUTCOMES.index("no_answer"))
    return outcome


def _spread(rng, lo, hi, n_each):
    """``n_each[i]`` office-hour times in ``]lo[i], hi[i]]`` for each i, with the owner index.

    Owners whose interval holds no office time get none.
    """
    a, b = _next_office(lo + 300), _prev_office(hi)
    n_each = np.where(a <= b, n_each, 0)
    owner = np.repeat(np.arange(len(lo)), n_each)
    a, b = a[owner], b[owner]
    t = a + (rng.random(len(owner)) * (b - a)).astype(np.int64)
    return owner, _office_within(t, a, b)


def _simulate_activities(rng, w, reps, lead, opp, cust):
    parts = []
    # 1. prospecting: touches on a lead until it is qualified or dropped
    n_each = 1 + rng.poisson(2.3, lead.n) + lead.engaged * rng.poisson(1.3, lead.n) + lead.qualified
    hi = np.where(lead.qualified, lead.qualified_at, np.where(lead.dropped < NEVER, lead.dropped,
                                                               lead.created + 60 * DAY))
    n_each[:lead.n_warm] = 0
    owner, t = _spread(rng, lead.created, hi, n_each)
    rep = lead.rep[owner]
    after = t >= lead.engaged_at[owner]
    p_appt = 0.14 * reps.skill[rep] * np.where(lead.qualified[owner], 1.6, 0.7)
    fields = _activity_fields(rng, reps, rep, 0, np.where(after, 0.15, 0.02),
                              _call_outcome(p_appt, np.full(len(owner), 0.33)),
                              REPLY[lead.src[owner]] * np.where(lead.engaged[owner], 2.0, 0.5))
    parts.append((t, rep, 0, owner, np.full(len(owner), -1), np.full(len(owner), -1), fields))
    # 2. sales: conversations on an opportunity until it closes
    n_each = 2 + rng.poisson(3.5, opp.n) + (opp.status == 1) * rng.poisson(1.0, opp.n)
    owner, t = _spread(rng, opp.created, opp.closed_raw, n_each)
    fields = _activity_fields(rng, reps, opp.rep[owner], 1, np.full(len(owner), 0.3),
                              _call_outcome(np.full(len(owner), 0.05), np.full(len(owner), 0.67)),
                              np.full(len(owner), 0.45))
    parts.append((t, opp.rep[owner], 1, opp.lead[owner], np.full(len(owner), -1), owner, fields))
    # 3. account management: customer service and follow-ups, by month
    unhappy = cust.sat < -0.8
    rate = 0.32 * np.where(reps.farmer[cust.account], 1.35, 1.0) * np.where(unhappy, 1.4, 1.0)
    c_owner, c_t = [], []
    for m in range(MONTHS):
        lo = np.maximum(w.starts[m], cust.acq + HOUR)
        hi = np.minimum(w.starts[m + 1], cust.churn + 30 * DAY) - 1  # a last call after leaving
        ok = np.flatnonzero(lo < hi - HOUR)
        k = rng.poisson(rate[ok] * (hi[ok] - lo[ok]) / (30 * DAY))
        o, t = _spread(rng, lo[ok], hi[ok], k)
        c_owner.append(ok[o])
        c_t.append(t)
    owner, t = np.concatenate(c_owner), np.concatenate(c_t)
    service = rng.random(len(owner)) < np.where(unhappy[owner], 0.75, 0.55)
    rep = cust.account[owner]
    for purpose, sel in ((2, np.flatnonzero(service)), (1, np.flatnonzero(~service))):
        fields = _activity_fields(rng, reps, rep[sel], purpose, np.full(len(sel), 0.65 if purpose == 2 else 0.25),
                                  _call_outcome(np.full(len(sel), 0.03), np.full(len(sel), 0.7)),
                                  np.full(len(sel), 0.6))
        parts.append((t[sel], rep[sel], purpose, np.full(len(sel), -1), owner[sel], np.full(len(sel), -1),
                      fields))
    t = np.concatenate([p[0] for p in parts])
    keep = (t >= w.start) & (t <= w.end)
    cols = _Sim(
        at=t, rep=np.concatenate([p[1] for p in parts]),
        purpose=np.concatenate([np.full(len(p[0]), p[2]) for p in parts]),
        lead=np.concatenate([p[3] for p in parts]), customer=np.concatenate([p[4] for p in parts]),
        opp=np.concatenate([p[5] for p in parts]),
        kind=np.concatenate([p[6][0] for p in parts]), inbound=np.concatenate([p[6][1] for p in parts]),
        outcome=np.concatenate([p[6][2] for p in parts]), replied=np.concatenate([p[6][3] for p in parts]),
    )
    order = np.flatnonzero(keep)[np.argsort(t[keep], kind="stable")]
    out = _Sim({k: v[order] for k, v in cols.items()})
    # a few prospecting activities carry no purpose (the contract's default rule applies)
    out.no_purpose = (out.purpose == 0) & (rng.random(len(order)) < 0.005)
    return out


# --------------------------------------------------------------------------- tables


def _leads_table(w, reps, lead, cust):
    conv_cust = cust.by_lead
    converted = conv_cust >= 0
    converted_at = np.where(converted, cust.acq[np.maximum(conv_cust, 0)], NEVER)
    lost_at = np.where(converted, NEVER, lead.dropped)
    cens = lambda t: np.where(t <= w.end, t, NEVER)  # noqa: E731
    return _frame({
        "lead_id": lead.ids, "created_at": _ts(lead.created),
        "source": _labels(SOURCES, lead.src), "rep_id": reps.ids[lead.rep],
        "segment": _labels(SEGMENTS, lead.seg),
        "engaged_at": _ts(cens(lead.engaged_at)), "qualified_at": _ts(cens(lead.qualified_at)),
        "converted_at": _ts(converted_at),
        "customer_id": _take(cust.ids, conv_cust),
        "lost_at": _ts(cens(lost_at)),
    }).iloc[lead.n_warm:]  # the warm-up leads are not written


def _activities_table(reps, lead, opp, cust, a):
    purpose = _labels(PURPOSES, a.purpose)
    purpose[a.no_purpose] = None
    replied = pd.array(np.where(a.replied >= 0, a.replied == 1, False), dtype="boolean")
    replied[a.replied < 0] = pd.NA
    return _frame({
        "activity_id": _ids("A", len(a.at), 7), "occurred_at": _ts(a.at), "rep_id": reps.ids[a.rep],
        "type": _labels(TYPES, a.kind), "purpose": purpose,
        "lead_id": _take(lead.ids, a.lead),
        "customer_id": _take(cust.ids, a.customer),
        "opportunity_id": _take(opp.ids, a.opp),
        "direction": _labels(("outbound", "inbound"), a.inbound),
        "outcome": _labels(OUTCOMES, a.outcome), "replied": replied,
    })


def _opportunities_table(reps, products, lead, opp, cust):
    stage = _current_stage(opp)
    lost = opp.status == 2
    reason = np.where(lost, opp.reason, -1)
    reasons = LOST_EARLY + tuple([None] * (10 - len(LOST_EARLY))) + LOST_LATE
    return _frame({
        "opportunity_id": opp.ids, "created_at": _ts(opp.created), "rep_id": reps.ids[opp.rep],
        "status": _labels(("open", "won", "lost"), opp.status), "amount": opp.amount,
        "closed_at": _ts(opp.closed), "lead_id": lead.ids[opp.lead],
        "customer_id": _take(cust.ids, np.where(opp.status == 1, cust.by_opp, -1)),
        "product_id": products.ids[opp.product], "qualified_at": _ts(opp.qual),
        "proposal_at": _ts(opp.prop), "stage": stage,
        "method": _labels(METHODS, opp.method), "lost_reason": _take(reasons, reason),
    })[opp.kept]


STAGES = ("new", "qualified", "proposal", "negotiation", "won", "lost")


def _stage_times(opp):
    won_at = np.where(opp.status == 1, opp.closed, NEVER)
    lost_at = np.where(opp.status == 2, opp.closed, NEVER)
    return (opp.created, opp.qual, opp.prop, opp.nego, won_at, lost_at)


def _current_stage(opp):
    times = np.stack(_stage_times(opp))
    entered = times < NEVER
    # the latest stage entered (stages are entered in this order)
    last = len(STAGES) - 1 - np.argmax(entered[::-1], axis=0)
    return _labels(STAGES, last)


def _stage_history_table(opp):
    times = _stage_times(opp)
    ids = opp.ids
    frames = []
    for s, t in enumerate(times):
        sel = np.flatnonzero((t < NEVER) & opp.kept)
        frames.append(pd.DataFrame({"opportunity_id": ids[sel], "stage": STAGES[s], "entered_at": _ts(t[sel]),
                                    "_o": sel, "_s": s}))
    df = pd.concat(frames, ignore_index=True).sort_values(["_o", "_s"], kind="stable")  # id, then time
    return df.drop(columns=["_o", "_s"])


def _orders_table(reps, products, opp, cust, o):
    ln = o.lines
    return _frame({
        "order_id": _ids("CMD", o.n, 6)[ln.order], "ordered_at": _ts(o.at[ln.order]),
        "customer_id": cust.ids[o.customer[ln.order]], "amount": ln.amount, "cost": ln.cost,
        "product_id": products.ids[ln.product], "quantity": ln.qty.astype(np.int64),
        "rep_id": reps.ids[o.rep[ln.order]], "opportunity_id": _take(opp.ids, o.opp[ln.order]),
    })


def _customers_table(cust):
    ids = cust.ids
    return _frame({
        "customer_id": ids, "acquired_at": _ts(cust.acq), "source": _labels(SOURCES, cust.src),
        "segment": _labels(SEGMENTS, cust.seg), "region": cust.region,
        "referred_by": _take(ids, cust.referred_by),
    })


def _referrals_table(lead, cust, r):
    return _frame({
        "referral_id": _ids("PAR", r.n, 5), "referrer_id": cust.ids[r.referrer],
        "referred_at": _ts(r.at), "valid": r.valid.astype(bool),
        "referred_lead_id": _take(lead.ids, r.lead),
    })


def _simulate_surveys(rng, w, o, cust):
    # CSAT after about a third of the orders
    asked = np.flatnonzero(rng.random(o.n) < 0.32)
    csat_at = o.at[asked] + _delay(rng, len(asked), 3, 0.8, HOUR)
    csat_c = o.customer[asked]
    csat = np.clip(np.rint(3.75 + 0.85 * cust.sat[csat_c] + rng.normal(0, 0.8, len(asked))), 1, 5)
    # NPS campaigns in March and September
    nps_c, nps_at = [], []
    for m in np.flatnonzero(np.isin(w.cal, (3, 9))):
        ok = np.flatnonzero((cust.acq < w.starts[m]) & (cust.churn > w.starts[m])
                            & (rng.random(cust.n) < 0.22))
        nps_c.append(ok)
        nps_at.append(_office(w.starts[m] + (rng.random(len(ok)) * 20 * DAY).astype(np.int64)))
    nps_c, nps_at = np.concatenate(nps_c), np.concatenate(nps_at)
    nps = np.clip(np.rint(7.7 + 1.9 * cust.sat[nps_c] + rng.normal(0, 1.2, len(nps_c))), 0, 10)
    at = np.concatenate([csat_at, nps_at])
    customer = np.concatenate([csat_c, nps_c])
    kind = np.concatenate([np.zeros(len(csat_c), dtype=np.int64), np.ones(len(nps_c), dtype=np.int64)])
    score = np.concatenate([csat, nps]).astype(np.int64)
    keep = np.flatnonzero(at <= w.end)
    keep = keep[np.lexsort((customer[keep], at[keep]))]
    at, customer, kind, score = at[keep], customer[keep], kind[keep], score[keep]
    n = len(at)
    band = np.where(kind == 0, np.select([score >= 4, score == 3], [0, 1], 2),
                    np.select([score >= 9, score >= 7], [0, 1], 2))
    commented = rng.random(n) < 0.18
    comment = np.full(n, None, dtype=object)
    for b, key in enumerate(("good", "mixed", "bad")):
        sel = np.flatnonzero(commented & (band == b))
        comment[sel] = _labels(COMMENTS[key], rng.integers(0, len(COMMENTS[key]), len(sel)))
    anonymous = rng.random(n) < 0.01
    return _frame({
        "response_id": _ids("S", n, 6), "responded_at": _ts(at), "kind": _labels(("csat", "nps"), kind),
        "score": score, "customer_id": _take(cust.ids, np.where(anonymous, -1, customer)),
        "comment": comment,
    })


def _costs_table(rng, w, reps, lead, cust, refs, orders, scale):
    """Monthly costs by category, with the channel for acquisition costs."""
    month_of_lead = w.month_of(lead.created)
    ref_month = w.month_of(refs.at[refs.valid])
    ref_count = np.bincount(ref_month, minlength=MONTHS)
    # partner commission: 10 % of the first orders of customers brought by partners
    first = orders.opp >= 0
    line_amount = np.bincount(orders.lines.order, weights=orders.lines.amount, minlength=orders.n)
    partner = first & (cust.src[orders.customer] == SOURCES.index("partenaire"))
    commission = np.bincount(w.month_of(orders.at[partner]), weights=line_amount[partner], minlength=MONTHS) * 0.10
    rows = []
    for m in range(MONTHS):
        cal = w.cal[m]
        active = int((reps.hired < w.starts[m + 1]).sum())
        leads_m = np.bincount(lead.src[month_of_lead == m], minlength=len(SOURCES))
        items = [
            ("marketing", "salon", 21000 if cal in SALON_MONTHS else 1500),
            ("marketing", "site_web", 2600 + 35 * leads_m[0] / scale),
            ("marketing", "linkedin", 3900),
            ("marketing", "emailing", 1100),
            ("marketing", "recommandation", 150 * ref_count[m] / scale),
            ("outsourcing", "partenaire", commission[m] / scale),
            ("sales", None, 5400 * active),
            ("prospecting", "linkedin", 95 * active),
            ("prospecting", "emailing", 420),
            ("prospecting", None, 850),
            ("retention", None, 2400),
            ("other", None, 1300),
        ]
        if any(w.starts[m] <= h < w.starts[m + 1] for h in reps.hired) or cal == 1:
            items.append(("recruitment", None, 7500))
        for category, source, amount in items:
            rows.append((w.starts[m], category, source, float(amount)))
    df = pd.DataFrame(rows, columns=["period", "category", "source", "amount"])
    noise = np.where(df["category"].isin(["sales", "outsourcing"]) | (df["source"] == "recommandation"),
                     1.0, rng.lognormal(0, 0.08, len(df)))
    df["amount"] = np.round(df["amount"].to_numpy() * noise * scale, 2)
    df["period"] = _ts(df["period"].to_numpy())
    df = df.sort_values(["period", "category", "source"], kind="stable", na_position="first")
    return df[["period", "amount", "category", "source"]]


def _targets_table(w, reps, opp, o):
    """Monthly targets per rep from a quota shared by the team: some reps miss it."""
    line_amount = np.bincount(o.lines.order, weights=o.lines.amount, minlength=o.n)
    month = w.month_of(o.at)
    revenue = np.zeros((reps.n, MONTHS))
    np.add.at(revenue, (o.rep, month), line_amount)
    won = np.flatnonzero((opp.status == 1) & (opp.closed >= w.start))
    new = np.zeros((reps.n, MONTHS))
    np.add.at(new, (opp.rep[won], w.month_of(opp.closed[won])), 1)
    active = reps.hired[:, None] < w.starts[None, 1:]
    months_active = np.maximum(active.sum(axis=1), 1)
    season = SEASON[w.cal - 1] / SEASON.mean()
    rows = []
    for r in range(reps.n):
        mates = reps.team == reps.team[r]
        team_rev = revenue[mates].sum() / np.maximum(active[mates].sum(), 1)
        team_new = new[mates].sum() / np.maximum(active[mates].sum(), 1)
        base_rev = 0.5 * revenue[r].sum() / months_active[r] + 0.5 * team_rev
        base_new = 0.5 * new[r].sum() / months_active[r] + 0.5 * team_new
        for m in np.flatnonzero(active[r]):
            target = round(base_rev * season[m], -2)
            rows.append((w.starts[m], reps.ids[r], reps.team_names[reps.team[r]], target,
                         round(target * 0.4, -2), int(round(base_new * season[m] * 1.1))))
    df = pd.DataFrame(rows, columns=["period", "rep_id", "team", "revenue_target", "margin_target",
                                     "new_customers_target"])
    df["period"] = _ts(df["period"].to_numpy())
    return df


def _social_table(rng, w):
    days = np.arange(w.start // DAY, w.end // DAY + 1)
    weekday = (days + 3) % 7 < 5
    posted = days[rng.random(len(days)) < np.where(weekday, 0.5, 0.04)]
    n = len(posted)
    net = _pick(rng, NETWORK_SHARE, n)
    at = posted * DAY + 8 * HOUR + (rng.random(n) * 10 * HOUR).astype(np.int64)
    impressions = np.rint(rng.lognormal(np.log(NETWORK_REACH[net]), 0.7)).astype(np.int64) + 20
    counts = [rng.binomial(impressions, NETWORK_RATES[net, j]) for j in range(4)]
    return _frame({
        "post_id": _ids("POST", n, 4), "published_at": _ts(at), "impressions": impressions,
        "network": _labels(NETWORKS, net), "reactions": counts[0], "comments": counts[1],
        "shares": counts[2], "clicks": counts[3],
    })


# --------------------------------------------------------------------------- output


def _conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Exactly the contract columns in contract order, plain index, fixed dtypes.

    Rows are already in key order: every builder emits them sorted (ids are given
    in time order), which the tests check.
    """
    spec = CONTRACT[name]
    if list(df.columns) != spec.names:
        df = df[spec.names]
    df.index = pd.RangeIndex(len(df))  # in place: no copy of big tables
    for c in spec.columns:
        if c.kind in ("id", "str", "enum") and df[c.name].dtype != object:
            df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), None)
        elif c.kind in ("datetime", "date") and df[c.name].dtype != "datetime64[ns]":
            df[c.name] = df[c.name].astype("datetime64[ns]")
        elif c.kind == "money":
            df[c.name] = df[c.name].astype(float).round(2)
    return df


def _csv_frame(name: str, df: pd.DataFrame) -> pd.DataFrame:
    spec = CONTRACT[name]
    out = df.copy()
    for c in spec.columns:
        if c.name not in out:
            continue
        s = out[c.name]
        if c.kind in ("datetime", "date"):
            text = np.datetime_as_string(s.to_numpy().astype("datetime64[s]"),
                                         unit="s" if c.kind == "datetime" else "D")
            text = np.char.replace(text, "T", " ").astype(object)
            text[s.isna().to_numpy()] = None
            out[c.name] = text
        elif c.kind == "bool":
            out[c.name] = s.map({True: "true", False: "false"}).astype(object).where(s.notna(), None)
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

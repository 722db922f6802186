"""Helpers for the loader tests: write small table files, checksum folders."""

from __future__ import annotations

import hashlib
from pathlib import Path


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` (dedented lines) as ``folder/name`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [ln.strip() for ln in text.strip().splitlines()]
    path = folder / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def checksums(folder: Path) -> dict:
    """``{relative path: sha256}`` of every file under ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def issue(ds, table, rule, column=None):
    """The single row of ``ds.issues`` for ``table``/``rule`` (and ``column``) as a dict."""
    f = ds.issues
    f = f[(f["table"] == table) & (f["rule"] == rule)]
    if column is not None:
        f = f[f["column"] == column]
    assert len(f) == 1, f"expected one {table}/{rule}/{column} issue, got:\n{ds.issues}"
    return f.iloc[0].to_dict()


def rows_read(ds) -> dict:
    """``{table: rows read}`` as the loader counted them."""
    return dict(ds.rows_read)


def small_frames(seed: int = 7) -> dict:
    """A small consistent dataset as typed pandas frames (fixed seed).

    Reps, products, customers, leads, opportunities (won/lost/open), orders with
    decimals and missing costs, activities with booleans, targets per rep and team.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01")
    reps = pd.DataFrame({"rep_id": ["R1", "R2", "R3"], "name": ["Ana", "Bob", "Chloé"],
                         "team": ["Nord", "Nord", "Sud"], "manager": ["Zoé", "Zoé", "Yan"],
                         "region": ["Lille", "Lille", "Nice"]})
    products = pd.DataFrame({"product_id": ["P1", "P2"], "name": ["Café", "Thé"],
                             "category": ["Boissons", "Boissons chaudes"],
                             "unit_price": [12.5, 7.25]})
    n_cust = 12
    customers = pd.DataFrame({
        "customer_id": [f"C{i:02d}" for i in range(n_cust)],
        "acquired_at": [start + pd.Timedelta(days=int(d)) if i % 4 else pd.NaT
                        for i, d in enumerate(rng.integers(0, 60, n_cust))],
        "source": rng.choice(["salon", "web", None], n_cust),
        "segment": rng.choice(["PME", "ETI"], n_cust)})
    n_leads = 40
    created = [start + pd.Timedelta(hours=int(h)) for h in rng.integers(0, 24 * 200, n_leads)]
    leads = pd.DataFrame({
        "lead_id": [f"L{i:03d}" for i in range(n_leads)], "created_at": created,
        "source": rng.choice(["salon", "web", None], n_leads),
        "rep_id": rng.choice(["R1", "R2", "R3"], n_leads),
        "converted_at": [c + pd.Timedelta(days=10) if i % 3 == 0 else pd.NaT
                         for i, c in enumerate(created)]})
    n_opp = 30
    opp_created = [start + pd.Timedelta(hours=int(h)) for h in rng.integers(0, 24 * 200, n_opp)]
    status = rng.choice(["won", "lost", "open"], n_opp)
    opportunities = pd.DataFrame({
        "opportunity_id": [f"O{i:03d}" for i in range(n_opp)], "created_at": opp_created,
        "rep_id": rng.choice(["R1", "R2", "R3"], n_opp), "status": status,
        "amount": np.round(rng.uniform(100, 5000, n_opp), 2),
        "closed_at": [c + pd.Timedelta(days=int(d)) if s != "open" else pd.NaT
                      for c, s, d in zip(opp_created, status, rng.integers(1, 90, n_opp))],
        "customer_id": rng.choice(customers["customer_id"], n_opp),
        "product_id": rng.choice(["P1", "P2"], n_opp)})
    n_ord = 50
    orders = pd.DataFrame({
        "order_id": [f"CMD{i // 2:03d}" for i in range(n_ord)],  # two lines per order
        "ordered_at": [start + pd.Timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 200, n_ord)],
        "customer_id": rng.choice(customers["customer_id"], n_ord),
        "amount": np.round(rng.uniform(-50, 3000, n_ord), 2),
        "cost": [round(float(c), 2) if i % 5 else np.nan for i, c in enumerate(rng.uniform(0, 900, n_ord))],
        "product_id": rng.choice(["P1", "P2"], n_ord),
        "quantity": rng.integers(1, 5, n_ord).astype(float),
        "rep_id": rng.choice(["R1", "R2", "R3", None], n_ord)})
    n_act = 60
    types = rng.choice(["call", "email", "meeting"], n_act)
    activities = pd.DataFrame({
        "activity_id": [f"A{i:03d}" for i in range(n_act)],
        "occurred_at": [start + pd.Timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 200, n_act)],
        "rep_id": rng.choice(["R1", "R2", "R3"], n_act), "type": types,
        "lead_id": rng.choice(leads["lead_id"], n_act),
        "replied": pd.array([bool(rng.integers(0, 2)) if t == "email" else None for t in types],
                            dtype="boolean")})
    targets = pd.DataFrame({
        "period": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01"]),
        "rep_id": ["R1", None, "R3"], "team": [None, "Sud", None],
        "revenue_target": [10000.0, 25000.0, 12000.0]})
    return {"reps": reps, "products": products, "customers": customers, "leads": leads,
            "opportunities": opportunities, "orders": orders, "activities": activities,
            "targets": targets}


def canonical(df, table: str):
    """A pandas frame in contract dtypes, rows sorted on every column, for comparisons."""
    from kit.io.output import conform

    out = conform(df.reset_index(drop=True), table)
    return out.sort_values(list(out.columns), kind="mergesort").reset_index(drop=True)

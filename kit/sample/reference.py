"""Reference data of Clairval Bureautique: channels, segments, teams, reps, products.

Everything the simulation draws from lives here as plain constants, plus the two
reference tables (``reps`` and ``products``) that do not depend on the random
draws. Months are counted from the first month of the data (offset 0), which is
November 2023 for the default end month, October 2026.

Examples
--------
>>> len(SOURCES), SOURCES[-1] is None
(7, True)
>>> float(dict(zip(SOURCES, SOURCE_SHARE))["recommandation"])
0.11
>>> len(REPS), len(PRODUCTS)
(12, 21)
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kit.sample.columns import NEVER, arrow_table, ids, labels, times
from kit.sample.timeline import DAY, MONTHS, Window, pick

COMPANY = "Clairval Bureautique"
LEADS_PER_MONTH = 150  # the scale of the default sample: the other volumes are set for it

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
LOST_REASONS = LOST_EARLY + LOST_LATE  # codes: early reasons first, then late ones
STAGES = ("new", "qualified", "proposal", "negotiation", "won", "lost")
STATUSES = ("open", "won", "lost")

TEAMS = {
    "Nord": ("Isabelle Renard", ("Hauts-de-France", "Grand Est", "Normandie")),
    "Sud": ("François Bonnet",
            ("Provence-Alpes-Côte d'Azur", "Occitanie", "Auvergne-Rhône-Alpes", "Nouvelle-Aquitaine")),
    "Île-de-France": ("Caroline Petit", ("Île-de-France", "Centre-Val de Loire", "Bourgogne-Franche-Comté")),
}
REGIONS = tuple(r for _, regions in TEAMS.values() for r in regions)  # region codes index this
PROFILES = ("hunter", "farmer", "mixed")
LEAD_WEIGHT = np.array([3.0, 0.3, 0.9])  # by profile: share of new leads
ACCOUNT_WEIGHT = np.array([0.0, 2.0, 1.6])  # by profile: share of existing accounts
# rep_id, name, team, profile, skill, days hired before the first month (negative: after it)
REPS = (
    ("R01", "Camille Lefèvre", "Nord", "hunter", 1.12, 1684),
    ("R02", "Julien Moreau", "Nord", "farmer", 1.00, 2974),
    ("R03", "Sophie Garnier", "Nord", "mixed", 0.92, 1024),
    ("R04", "Mehdi Benali", "Nord", "hunter", 0.82, 149),
    ("R05", "Élodie Fabre", "Sud", "hunter", 1.18, 2094),
    ("R06", "Thomas Roux", "Sud", "farmer", 0.95, 2359),
    ("R07", "Nadia Haddad", "Sud", "mixed", 1.02, 409),
    ("R08", "Pierre Castel", "Sud", "farmer", 0.85, 1304),
    ("R09", "Léa Dubois", "Île-de-France", "hunter", 1.05, 1122),
    ("R10", "Antoine Mercier", "Île-de-France", "hunter", 0.78, -491),
    ("R11", "Chloé Martin", "Île-de-France", "farmer", 1.10, 2919),
    ("R12", "Hugo Lambert", "Île-de-France", "mixed", 0.96, -103),
)

CATEGORIES = ("Matériel", "Logiciel", "Maintenance", "Formation", "Consommables")
CATEGORY_FIRST = np.array([0.36, 0.26, 0.15, 0.14, 0.09])  # product mix of a first order
CATEGORY_REPEAT = np.array([0.10, 0.08, 0.25, 0.10, 0.47])  # ... and of a reorder
CATEGORY_QTY = np.array([1.2, 2.0, 1.2, 1.0, 7.0])
# name, category, unit price, unit cost / price, launch and retirement (months after the first month)
PRODUCTS = (
    ("Imprimante laser Pro 400", 0, 1450.0, 0.68, -18, None),
    ("Imprimante couleur A3 Studio", 0, 3900.0, 0.70, -28, 26),
    ("Copieur multifonction MX-7", 0, 8900.0, 0.72, -38, None),
    ("Copieur multifonction MX-9", 0, 12500.0, 0.70, 21, None),
    ("Scanner documentaire S20", 0, 980.0, 0.62, -8, None),
    ("Borne d'accueil tactile", 0, 5600.0, 0.66, 3, None),
    ("Logiciel GED Essentiel", 1, 2400.0, 0.25, -24, 30),
    ("Logiciel GED Entreprise", 1, 7800.0, 0.22, 18, None),
    ("Suite gestion des impressions", 1, 1900.0, 0.20, -12, None),
    ("Module signature électronique", 1, 1200.0, 0.18, 27, None),
    ("Contrat maintenance Standard", 2, 890.0, 0.45, -48, None),
    ("Contrat maintenance Premium", 2, 2100.0, 0.40, -48, None),
    ("Extension garantie 3 ans", 2, 450.0, 0.35, -18, 32),
    ("Formation utilisateurs (1 jour)", 3, 1100.0, 0.48, -36, None),
    ("Formation administrateur", 3, 1650.0, 0.45, -18, None),
    ("Atelier dématérialisation", 3, 2300.0, 0.50, 24, None),
    ("Toner noir haute capacité", 4, 145.0, 0.55, -48, None),
    ("Pack toners couleur", 4, 390.0, 0.57, -48, 23),
    ("Pack toners couleur v2", 4, 420.0, 0.55, 22, None),
    ("Papier recyclé (palette)", 4, 620.0, 0.74, -48, None),
    ("Kit tambour", 4, 260.0, 0.50, -28, None),
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
DIRECTIONS = ("outbound", "inbound")

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


class Reps:
    """The twelve reps as arrays (index = rep code), hiring dates placed in ``w``.

    Examples
    --------
    >>> from kit.sample.timeline import window
    >>> reps = Reps(window("2026-10"))
    >>> reps.n, int(reps.hunter.sum()), int(reps.farmer.sum())
    (12, 5, 4)
    >>> reps.table().column("team").to_pylist()[:2]
    ['Nord', 'Nord']
    """

    def __init__(self, w: Window):
        self.ids = ids("R", len(REPS), 2)
        self.n = len(REPS)
        self.team_names = list(TEAMS)
        self.team = np.array([self.team_names.index(r[2]) for r in REPS])
        self.profile = np.array([PROFILES.index(r[3]) for r in REPS])
        self.skill = np.array([r[4] for r in REPS])
        self.hired = np.array([(w.start // DAY - r[5]) * DAY for r in REPS], dtype=np.int64)
        self.farmer = self.profile == PROFILES.index("farmer")
        self.hunter = self.profile == PROFILES.index("hunter")

    def table(self) -> pa.Table:
        teams = [self.team_names[t] for t in self.team]
        return arrow_table("reps", {
            "rep_id": self.ids, "name": [r[1] for r in REPS], "team": teams,
            "manager": [TEAMS[t][0] for t in teams], "region": [TEAMS[t][1][0] for t in teams],
            "hired_at": times(self.hired),
        })


class Products:
    """The catalogue as arrays, with the months in which each product can be sold.

    Examples
    --------
    >>> from kit.sample.timeline import window
    >>> p = Products(window("2026-10"))
    >>> p.active.shape, bool(p.active[0, 3]), bool(p.active[-1, 3])  # MX-9 launched in August 2025
    ((36, 21), False, True)
    """

    def __init__(self, w: Window):
        self.n = len(PRODUCTS)
        self.ids = ids("PRD", self.n, 2)
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
            out[order[bounds[m]:bounds[m + 1]]] = pick(rng, weight, counts[m])
        return out

    def table(self) -> pa.Table:
        return arrow_table("products", {
            "product_id": self.ids, "name": [p[0] for p in PRODUCTS],
            "category": labels(CATEGORIES, self.category),
            "launched_at": times(self.launch), "retired_at": times(self.retire),
            "unit_price": self.price, "unit_cost": self.cost,
        })

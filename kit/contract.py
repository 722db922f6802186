"""The data contract, written once as code (``docs/data-contract.md`` is generated from it).

The contract drives validation (:mod:`kit.io.validate`), the sample generator
(:mod:`kit.sample`) and the documentation (:func:`contract_markdown`, whose output
is kept in ``docs/data-contract.md`` and checked by a test).

Column kinds
------------
``id``        identifier, read as a string with surrounding spaces stripped
``datetime``  timezone-naive timestamp
``date``      a day (timestamp at midnight); monthly periods use the 1st
``money``     amount in the dataset currency (float)
``number``    other numeric value (float)
``int``       integer count
``bool``      true/false (also oui/non, vrai/faux, yes/no, 1/0)
``str``       free text or label
``enum``      one of a fixed set of lower-case values

Examples
--------
>>> from kit.contract import CONTRACT
>>> CONTRACT["leads"].required
['lead_id', 'created_at']
>>> CONTRACT["opportunities"].column("status").values
('open', 'won', 'lost')
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("id", "datetime", "date", "money", "number", "int", "bool", "str", "enum")

ACTIVITY_TYPES = ("call", "voicemail", "email", "meeting", "video_call", "social_message")
ACTIVITY_PURPOSES = ("prospecting", "sales", "customer_service")
DIRECTIONS = ("outbound", "inbound")
OPPORTUNITY_STATUSES = ("open", "won", "lost")
COST_CATEGORIES = (
    "marketing", "sales", "prospecting", "outsourcing", "recruitment", "retention", "other",
)
SURVEY_KINDS = ("csat", "nps")
#: Values of ``orders.status`` (any case) that make an order a return or cancellation.
RETURN_STATUSES = ("cancelled", "canceled", "returned")
#: Columns that may be negative on a return line (an order line with a negative
#: ``amount``): the goods and their cost come back. Their range is checked on
#: the other lines only.
SIGNED_BY_AMOUNT = {"orders": ("cost", "quantity")}


@dataclass(frozen=True)
class Column:
    """One column of a table of the contract."""

    name: str
    kind: str
    required: bool = False
    values: tuple[str, ...] | None = None
    references: str | None = None  # "table.column" this column points to
    description: str = ""
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class Table:
    """One table of the contract: its columns, key and date column."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    date_column: str | None = None
    description: str = ""
    unique_key: bool = True

    @property
    def names(self) -> list[str]:
        """Column names in contract order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """Return the column called ``name`` (``KeyError`` if absent)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def has(self, name: str) -> bool:
        """Whether the contract defines column ``name`` for this table."""
        return any(c.name == name for c in self.columns)


def _c(name, kind, required=False, values=None, references=None, description="", **kw):
    return Column(name, kind, required, values, references, description, **kw)


TABLES: tuple[Table, ...] = (
    Table("leads", (
        _c("lead_id", "id", True, description="lead identifier"),
        _c("created_at", "datetime", True, description="when the lead entered the CRM"),
        _c("source", "str", description="acquisition channel; empty values form their own group"),
        _c("rep_id", "id", references="reps.rep_id", description="rep who owns the lead"),
        _c("segment", "str", description="customer segment"),
        _c("engaged_at", "datetime", description="first response from the lead"),
        _c("qualified_at", "datetime", description="when the lead was qualified"),
        _c("converted_at", "datetime", description="when the lead became a customer"),
        _c("customer_id", "id", references="customers.customer_id", description="customer it became"),
        _c("lost_at", "datetime", description="when the lead was given up"),
    ), key=("lead_id",), date_column="created_at", description="prospects entering the funnel"),
    Table("activities", (
        _c("activity_id", "id", True),
        _c("occurred_at", "datetime", True),
        _c("rep_id", "id", True, references="reps.rep_id"),
        _c("type", "enum", True, ACTIVITY_TYPES),
        _c("purpose", "enum", values=ACTIVITY_PURPOSES,
           description="when absent: prospecting for a lead not yet converted, sales otherwise"),
        _c("lead_id", "id", references="leads.lead_id"),
        _c("customer_id", "id", references="customers.customer_id"),
        _c("opportunity_id", "id", references="opportunities.opportunity_id"),
        _c("direction", "enum", values=DIRECTIONS),
        _c("outcome", "str", description="e.g. connected, no_answer, appointment_set"),
        _c("replied", "bool", description="for emails: whether the recipient replied"),
    ), key=("activity_id",), date_column="occurred_at", description="calls, emails, meetings of reps"),
    Table("opportunities", (
        _c("opportunity_id", "id", True),
        _c("created_at", "datetime", True),
        _c("rep_id", "id", references="reps.rep_id",
           description="owner; when absent the deals load, and KPIs by rep are not available"),
        _c("status", "enum", True, OPPORTUNITY_STATUSES),
        _c("amount", "money", min_value=0),
        _c("closed_at", "datetime"),
        _c("lead_id", "id", references="leads.lead_id"),
        _c("customer_id", "id", references="customers.customer_id"),
        _c("product_id", "id", references="products.product_id"),
        _c("qualified_at", "datetime"),
        _c("proposal_at", "datetime", description="when the offer was sent"),
        _c("stage", "str"),
        _c("method", "str", description="sales method"),
        _c("lost_reason", "str"),
    ), key=("opportunity_id",), date_column="created_at", description="deals in the pipeline"),
    Table("stage_history", (
        _c("opportunity_id", "id", True, references="opportunities.opportunity_id"),
        _c("stage", "str", True),
        _c("entered_at", "datetime", True),
    ), key=("opportunity_id", "stage", "entered_at"), date_column="entered_at",
        description="one row each time an opportunity enters a stage"),
    Table("orders", (
        _c("order_id", "id", True, description="one order may have several lines"),
        _c("ordered_at", "datetime", True),
        _c("customer_id", "id", True, references="customers.customer_id"),
        _c("amount", "money", True,
           description="net revenue of the line; negative on a return line (goods returned, refund)"),
        _c("cost", "money", min_value=0, description="cost of goods; may be negative on a return line"),
        _c("product_id", "id", references="products.product_id"),
        _c("quantity", "number", min_value=0, description="may be negative on a return line"),
        _c("rep_id", "id", references="reps.rep_id"),
        _c("opportunity_id", "id", references="opportunities.opportunity_id"),
        _c("is_return", "bool", description="true on the lines of a return or cancellation (credit note)"),
        _c("status", "str", description="an order whose status is cancelled or returned is a return"),
        _c("returned_order_id", "id", references="orders.order_id",
           description="on a return: the order it gives back"),
    ), key=("order_id",), unique_key=False, date_column="ordered_at",
        description="order lines (revenue). A return line has a negative amount; an order whose net "
                    "amount is negative (or zero with a return line), or flagged by is_return or a "
                    "status cancelled/returned, is a return (a credit note), not a purchase"),
    Table("customers", (
        _c("customer_id", "id", True),
        _c("acquired_at", "datetime", description="derived from the first purchase order when absent"),
        _c("source", "str"),
        _c("segment", "str"),
        _c("region", "str"),
        _c("referred_by", "id", references="customers.customer_id"),
    ), key=("customer_id",), date_column="acquired_at", description="accounts that bought"),
    Table("costs", (
        _c("period", "date", True, description="monthly costs use the first of the month"),
        _c("amount", "money", True, min_value=0),
        _c("category", "enum", True, COST_CATEGORIES),
        _c("source", "str", description="channel, matches leads.source"),
    ), key=(), date_column="period", description="acquisition and other costs"),
    Table("surveys", (
        _c("response_id", "id", True),
        _c("responded_at", "datetime", True),
        _c("kind", "enum", True, SURVEY_KINDS),
        _c("score", "number", True, min_value=0, max_value=10),
        _c("customer_id", "id", references="customers.customer_id"),
        _c("comment", "str"),
    ), key=("response_id",), date_column="responded_at", description="CSAT (1-5) and NPS (0-10) answers"),
    Table("referrals", (
        _c("referral_id", "id", True),
        _c("referrer_id", "id", True, references="customers.customer_id"),
        _c("referred_at", "datetime", True),
        _c("valid", "bool", True),
        _c("referred_lead_id", "id", references="leads.lead_id"),
    ), key=("referral_id",), date_column="referred_at", description="customers recommending others"),
    Table("targets", (
        _c("period", "date", True, description="month (first day)"),
        _c("rep_id", "id", references="reps.rep_id"),
        _c("team", "str"),
        _c("revenue_target", "money", min_value=0),
        _c("margin_target", "money"),
        _c("new_customers_target", "number", min_value=0),
    ), key=(), date_column="period", description="monthly objectives per rep or team"),
    Table("reps", (
        _c("rep_id", "id", True),
        _c("name", "str"),
        _c("team", "str"),
        _c("manager", "str"),
        _c("region", "str"),
        _c("hired_at", "datetime"),
    ), key=("rep_id",), date_column=None, description="sales representatives"),
    Table("products", (
        _c("product_id", "id", True),
        _c("name", "str"),
        _c("category", "str"),
        _c("launched_at", "datetime"),
        _c("retired_at", "datetime"),
        _c("unit_price", "money", min_value=0),
        _c("unit_cost", "money", min_value=0),
    ), key=("product_id",), date_column="launched_at", description="catalogue"),
    Table("social", (
        _c("post_id", "id", True),
        _c("published_at", "datetime", True),
        _c("impressions", "number", True, min_value=0),
        _c("network", "str"),
        _c("reactions", "number", min_value=0),
        _c("comments", "number", min_value=0),
        _c("shares", "number", min_value=0),
        _c("clicks", "number", min_value=0),
    ), key=("post_id",), date_column="published_at", description="social-media posts of the company"),
)

CONTRACT: dict[str, Table] = {t.name: t for t in TABLES}
TABLE_NAMES: tuple[str, ...] = tuple(CONTRACT)

#: Columns added at load by enrichment (not part of the input contract).
ENRICHED = {
    "rep_id": ("team", "manager", "region"),
    "product_id": ("product_category",),
    "orders.customer_id": ("source", "segment"),
}


def contract_markdown() -> str:
    """Render the contract as Markdown (one section per table).

    Examples
    --------
    >>> md = contract_markdown()
    >>> md.splitlines()[0]
    '# Data contract'
    >>> "| `lead_id` | id | yes |" in md
    True
    """
    out = [
        "# Data contract",
        "",
        "Generated from `kit/contract.py` by `make docs` (`python -m kit.docs`); a test keeps it in sync.",
        "Column names are lower snake case; identifiers are strings; times are timezone-naive;",
        "money is in one currency per dataset. Only the tables a KPI needs must be present.",
        "",
        "Optional columns may be absent. `opportunities.rep_id` is optional: a deals export with no",
        "owner column loads, `ds.issues` gets a row (rule `absent`, column `rep_id`) saying \"no owner",
        "column\", and the KPIs by rep are then not available. Rows of rule `absent` say why a table",
        "or a column is missing (e.g. no amount column, so no orders); `kit.compute` quotes them.",
        "",
    ]
    for t in TABLES:
        out += [f"## `{t.name}`", "", t.description[:1].upper() + t.description[1:] + ".", ""]
        if t.key:
            out += [f"Key: {', '.join('`' + k + '`' for k in t.key)}"
                    + ("" if t.unique_key else " (not unique: one row per line)") + ".", ""]
        out += ["| column | kind | required | allowed values / reference | notes |",
                "|---|---|---|---|---|"]
        for c in t.columns:
            allowed = ", ".join(c.values) if c.values else (f"→ `{c.references}`" if c.references else "")
            if c.min_value is not None or c.max_value is not None:
                rng = f"≥ {c.min_value:g}" if c.max_value is None else f"{c.min_value:g} to {c.max_value:g}"
                allowed = (allowed + " " + rng).strip()
            out.append(f"| `{c.name}` | {c.kind} | {'yes' if c.required else ''} | {allowed} | {c.description} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(contract_markdown())

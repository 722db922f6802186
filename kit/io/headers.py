"""Finding a column of an export by its header, ignoring case, accents, punctuation and spaces.

:func:`snake` is the loose form of a header both sides are compared in.

Examples
--------
>>> find_header(["Deal - Owner", "Amount"], ["deal owner"])
'Deal - Owner'
"""

from __future__ import annotations

import re
import unicodedata


def snake(name: str) -> str:
    """Lower snake case of a header name, accents removed.

    Examples
    --------
    >>> snake(" Lead ID "), snake("Créé-le"), snake("amount (€)")
    ('lead_id', 'cree_le', 'amount')
    """
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    s = re.sub(r"[^0-9a-zA-Z]+", "_", s.strip()).strip("_").lower()
    return s


def find_header(headers, candidates) -> str | None:
    """The first of ``candidates`` found in ``headers`` (ignoring case, accents, punctuation).

    A candidate ending in ``*`` matches every header that starts with it; the
    first such header is returned (see :func:`find_headers` for all of them).

    Examples
    --------
    >>> find_header([" deal owner ", "Amount"], ["Amount in company currency", "Amount"])
    'Amount'
    >>> find_header(["Deal - Owner"], ["deal-owner"])
    'Deal - Owner'
    """
    found = find_headers(headers, candidates)
    return found[0] if found else None


def find_headers(headers, candidates) -> list:
    """Every header matching one of ``candidates``, in the order of the candidates.

    Examples
    --------
    >>> find_headers(['Date entered "Won (Sales)"', 'Date entered "Won (Partners)"', "Amount"],
    ...              ['Date entered "Won*'])
    ['Date entered "Won (Sales)"', 'Date entered "Won (Partners)"']
    """
    loose = {}
    for h in headers:
        loose.setdefault(snake(h), h)
    out = []
    for c in candidates:
        if c.endswith("*"):
            start = snake(c[:-1])
            out += [h for k, h in loose.items() if start and k.startswith(start) and h not in out]
        elif snake(c) in loose and loose[snake(c)] not in out:
            out.append(loose[snake(c)])
    return out

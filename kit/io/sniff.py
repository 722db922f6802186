"""Guessing how a text file is written: its encoding and its delimiter.

Examples
--------
>>> detect_encoding("Réf;Montant\\n".encode("cp1252"))
'cp1252'
>>> detect_encoding("\\ufeffid,amount\\n".encode("utf-8"))
'utf-8-sig'
>>> detect_delimiter("id;amount\\n1;1 234,56\\n2;12,5\\n")
';'
"""

from __future__ import annotations

import csv
import io

#: Delimiters tried, in order of preference when several fit.
DELIMITERS = (";", ",", "\t", "|")


def detect_encoding(data: bytes) -> str:
    """Return the encoding of ``data``: ``utf-8-sig``, ``utf-8``, ``cp1252`` or a guess.

    UTF-8 is tried first (it rarely decodes text that is not UTF-8), then
    Windows-1252, the usual encoding of French Excel exports; other encodings
    are guessed with charset-normalizer.

    Examples
    --------
    >>> detect_encoding("état".encode("utf-8"))
    'utf-8'
    >>> detect_encoding("lead_id,created_at\\n".encode("utf-16-le"))
    'utf-16-le'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4000]
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):  # UTF-16 without BOM
        odd, even = head[1::2].count(b"\x00"), head[0::2].count(b"\x00")
        if odd > 0.9 * len(head[1::2]) and even == 0:
            return "utf-16-le"
        if even > 0.9 * len(head[0::2]) and odd == 0:
            return "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding if best is not None else "latin-1"


def detect_delimiter(text: str, sample_lines: int = 50) -> str:
    """Return the delimiter of a CSV text among ``; , tab |``.

    A delimiter fits when the header splits into at least two fields and most
    of the first rows split into the same number of fields (quotes respected).
    Among fitting delimiters the one giving the most columns wins; a file with a
    single column gives ``","``.

    Examples
    --------
    >>> detect_delimiter("a\\tb\\n1\\t2\\n")
    '\\t'
    >>> detect_delimiter("id,amount\\n1,\\"1,5\\"\\n")
    ','
    """
    head = []
    for ln in io.StringIO(text):
        if ln.strip():
            head.append(ln.rstrip("\r\n"))
        if len(head) > sample_lines:
            break
    lines = head
    if not lines:
        return ","
    sample = "\n".join(lines)
    best, best_cols = ",", 1
    for delim in DELIMITERS:
        rows = list(csv.reader(io.StringIO(sample), delimiter=delim))
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        body = rows[1:-1] if len(rows) > 2 else rows[1:]  # the last sampled row may be cut
        fit = sum(len(r) == width for r in body)
        if body and fit < 0.9 * len(body):
            continue
        if width > best_cols:
            best, best_cols = delim, width
    return best

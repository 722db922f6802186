"""The version of the kit, in one place (pyproject.toml reads it from here).

Examples
--------
>>> __version__.count(".") >= 1
True
"""

__version__ = "0.1.0"

"""Every KPI on data/sample still gives the reviewed numbers in tests/golden/."""

import pytest

from kit import registry
from tests.kpis.golden import path, render, variants

CASES = [(n, v, o) for n in registry.names() for v, o in variants(n).items()]


@pytest.mark.parametrize("name,variant,options", CASES, ids=[f"{n}-{v}" for n, v, _ in CASES])
def test_golden(name, variant, options):
    expected = path(name, variant)
    assert expected.exists(), f"no golden file for {name} ({variant}): run `make golden` and review it"
    assert render(name, options) == expected.read_text(encoding="utf-8"), (
        f"{name} ({variant}) changed on data/sample; if intended, run `make golden` and review the diff"
    )

"""The Voilà dashboard in Chromium: the revenue shown follows the team and the period chosen.

The server runs what ``make dashboard`` runs (checked against the Makefile below),
on a free loopback port. Times are printed (``pytest -m browser -s``) but only
generous bounds are asserted: the machine running the tests may be shared.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time

import pandas as pd
import pytest

from tests.browser.conftest import VOILA_OPTIONS, free_port, serve, voila_command
from tests.conftest import IN_CI, ROOT, SAMPLE

#: Generous bounds (the targets are 10 s and 1 s; see docs/dashboard.md).
READY_TIMEOUT = 60
REDRAW_TIMEOUT = 10

#: The scorecard cell holding the month's revenue (marked by kit.widgets.keyed_table_html).
REVENUE = 'td[data-row="revenue"][data-column="value"]'
#: Set by the dashboard once every panel is drawn (hidden; data-redraws counts the redraws).
DONE = ".kit-dashboard-done"
#: The dashboard notebook's default language.
LANG = "en"


@pytest.fixture(scope="module")
def voila(browser, tmp_path_factory):
    """URL of the dashboard served by Voilà as ``make dashboard`` does."""
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with serve(voila_command(port), port, log):
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def sample():
    import kit

    return kit.load_dataset(SAMPLE)


def _shown_revenue(ds, month: pd.Timestamp) -> str:
    """The month's revenue of ``ds`` by kit.compute, formatted as the scorecard shows it."""
    import kit
    from kit.i18n import format_value

    res = kit.compute(ds, "revenue", start=month, end=month + pd.offsets.MonthBegin(1))
    value = float(res["value"].iloc[0]) if len(res) else float("nan")
    return format_value(value, kit.registry.get("revenue").unit, LANG, currency=ds.currency)


def _dropdown(page, label: str):
    from kit.i18n import t

    exact = re.compile(rf"^\s*{re.escape(t(label, LANG))}\s*$")
    return page.locator(".widget-dropdown", has=page.locator("label", has_text=exact)).locator("select")


def _caption(page):
    """The caption of the dashboard's scorecard (the static one above has its own)."""
    return page.locator("table", has=page.locator(REVENUE)).locator("caption")


def _redraws(page) -> int:
    """How many times the dashboard drew its panels (kit.widgets.Dashboard.done)."""
    return int(page.locator(DONE).get_attribute("data-redraws"))


def _change(page, select, option_label: str, expected: str) -> tuple[float, float]:
    """Choose ``option_label``; seconds until the revenue shows ``expected``, and until
    every panel is redrawn."""
    from playwright.sync_api import expect

    before = _redraws(page)
    t0 = time.monotonic()
    select.select_option(label=option_label)
    expect(page.locator(REVENUE)).to_have_text(expected, timeout=REDRAW_TIMEOUT * 1000)
    revenue_s = time.monotonic() - t0
    page.wait_for_function("([sel, n]) => Number(document.querySelector(sel).dataset.redraws) > n",
                           arg=[DONE, before], timeout=REDRAW_TIMEOUT * 1000)
    return revenue_s, time.monotonic() - t0


@pytest.mark.browser
def test_voila_dashboard_shows_the_revenue_of_the_team_and_period_chosen(browser, voila, sample,
                                                                          tmp_path):
    from playwright.sync_api import expect

    from kit.i18n import format_month
    from kit.scorecard import last_complete_month
    from kit.widgets import column_values

    month = pd.Timestamp(last_complete_month(sample))  # the notebook's default month
    team = column_values(sample, "team")[0]
    earlier = month - pd.DateOffset(months=4)
    by_team = sample.filter(team=team)
    expected = {"all": _shown_revenue(sample, month), "team": _shown_revenue(by_team, month),
                "earlier": _shown_revenue(by_team, earlier)}
    assert len(set(expected.values())) == 3, f"choose a team and months that change the revenue: {expected}"

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(REDRAW_TIMEOUT * 1000)
    try:
        t0 = time.monotonic()
        page.goto(voila, wait_until="commit", timeout=READY_TIMEOUT * 1000)
        revenue = page.locator(REVENUE)
        revenue.wait_for(state="visible", timeout=READY_TIMEOUT * 1000)
        _dropdown(page, "team").wait_for(state="visible", timeout=READY_TIMEOUT * 1000)
        page.locator(DONE).wait_for(state="attached", timeout=READY_TIMEOUT * 1000)
        ready = time.monotonic() - t0
        expect(revenue).to_have_text(expected["all"])
        expect(_caption(page)).to_contain_text(format_month(month, LANG))

        team_s = _change(page, _dropdown(page, "team"), team, expected["team"])
        expect(_caption(page)).to_contain_text(format_month(month, LANG))

        period_s = _change(page, _dropdown(page, "end"), format_month(earlier, LANG),
                           expected["earlier"])
        expect(_caption(page)).to_contain_text(format_month(earlier, LANG))

        assert page.locator(".kit-error").count() == 0, page.locator(".kit-error").all_inner_texts()
        assert "Error displaying widget" not in page.content()
        # the page scrolls inside Voilà's container: shoot the dashboard itself, in a
        # window tall enough for every figure to be painted
        page.set_viewport_size({"width": 1280, "height": 2400})
        page.locator(".kit-dashboard").screenshot(path=str(tmp_path / "dashboard.png"))
    finally:
        page.close()
    print(f"\nVoilà dashboard: ready {ready:.1f} s after the request; revenue redrawn "
          f"{team_s[0]:.2f} s after a team change, {period_s[0]:.2f} s after a period change; "
          f"every panel {team_s[1]:.2f} s / {period_s[1]:.2f} s; screenshot {tmp_path / 'dashboard.png'}")
    assert ready < READY_TIMEOUT


def test_make_dashboard_runs_the_voila_command_the_browser_test_runs():
    """``make dashboard`` and the fixture above serve the same thing (the port aside)."""
    if shutil.which("make") is None:
        if IN_CI:
            pytest.fail("make is required in CI (CI=true) but is not installed")
        pytest.skip("make not installed")
    out = subprocess.run(["make", "-n", "dashboard"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    commands = [shlex.split(line) for line in out.stdout.replace("\\\n", " ").splitlines()
                if "voila" in line]
    assert out.returncode == 0 and commands, (
        f"`make -n dashboard` prints no voila command (stdout: {out.stdout[-500:]!r}, stderr: "
        f"{out.stderr[-500:]!r}); the Makefile needs a dashboard target running: "
        f"$(BIN)/voila {' '.join(VOILA_OPTIONS)} --port=<port>")
    cmd = commands[-1]
    args = cmd[next(i for i, a in enumerate(cmd) if a.endswith("voila")) + 1:]
    ports = [a for a in args if a.startswith("--port")]
    assert len(ports) == 1, f"one --port option expected in {args}"
    assert sorted(set(args) - set(ports)) == sorted(VOILA_OPTIONS), (
        f"make dashboard runs voila with {args}; the browser test serves {VOILA_OPTIONS}: "
        "keep them the same")

"""`python -m bench.pagecheck`, with the outcomes API's scenario as well as the pages.

    python -m bench.outcomescheck --db postgresql+psycopg://postgres@127.0.0.1/hubhome_bench \
        [--profile] [page_outcomes_1_year page_outcomes_10_years api_outcomes_five_years]

The five-year outcomes API (`outcomes_five_years` in `bench/scenarios.py`, target p95 < 200 ms)
is a scenario rather than a page; this adds it to the pages `bench.pagecheck` knows, so the
three outcomes figures of issue 20 are timed in one process the same way.
"""

from __future__ import annotations

from bench import pagecheck
from bench.pages import PAGES
from bench.scenarios import outcomes_report

OUTCOMES = ("page_outcomes_1_year", "page_outcomes_10_years", "api_outcomes_five_years")


def main(argv: list[str] | None = None) -> int:
    PAGES.setdefault("api_outcomes_five_years", outcomes_report)
    args = list(argv if argv is not None else __import__("sys").argv[1:])
    if not [a for a in args if not a.startswith("-") and a in PAGES]:
        args += OUTCOMES
    return pagecheck.main(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""The review's world is what its docstring says (the other tests rely on it)."""

from partenariats.core.school_year import SchoolYear
from partenariats.indicators.reports import convention_report


def test_the_cycle_counts_what_it_says(cycle, academy_staff):
    report = convention_report(cycle.convention, academy_staff, SchoolYear(2025))
    # 12 visits + the immersion + the confidential visit (the académie's staff is a party's staff).
    assert report.summary.activities == 14
    assert report.summary.pupils == 12 * 25 + 12

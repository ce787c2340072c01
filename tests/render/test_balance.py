"""A tall-rowed table's last pages are balanced (render/balance.py), not left with a row or two."""

from __future__ import annotations

from reportgen.render.balance import balanced


def layout(*rows_per_page: int, heat: int | None = None) -> dict[str, int]:
    """Each row's page for pages holding `rows_per_page` rows, from page 10; the heat map's."""
    first, row = {}, 0
    for page, rows in enumerate(rows_per_page, start=10):
        for _ in range(rows):
            first[f"risk-{row}"] = page
            row += 1
    if heat is not None:
        first["heat-map"] = heat
    return first


def test_a_last_page_of_one_or_two_rows_shares_the_rows_of_the_pages_before():
    assert balanced(layout(5, 5, 1), 11) == frozenset({8})  # 5, 3, 3
    assert balanced(layout(4, 4, 1), 9) == frozenset({3, 6})  # 3, 3, 3 over three pages
    assert balanced(layout(4, 5, 5, 5, 5, 3, 2), 29) == frozenset({23, 26})  # …, 4, 3, 3


def test_a_full_enough_last_page_or_one_the_heat_map_shares_is_left_alone():
    assert balanced(layout(5, 5, 3), 13) == frozenset()
    assert balanced(layout(5, 5, 1, heat=12), 11) == frozenset()
    assert balanced(layout(2), 2) == frozenset()  # one page: nothing before it to share
    assert balanced({"risk-0": 3}, 2) == frozenset()  # a row not laid out: nothing known

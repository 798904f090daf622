"""One badge builder; unknown verdicts or sources fail loudly."""

from __future__ import annotations

import pytest

from gallery.data.models import VERDICT_MEANINGS
from gallery.site.badges import UnknownBadge, badge


@pytest.mark.parametrize("verdict", list(VERDICT_MEANINGS))
def test_every_verdict_has_a_class_an_icon_and_a_word(verdict: str) -> None:
    html = badge(verdict, "review")
    assert f"verdict--{verdict}" in html
    assert 'aria-hidden="true"' in html  # the icon
    assert verdict.replace("-", " ") in html  # the word, readable without colour


def test_unknown_verdict_fails_the_build() -> None:
    with pytest.raises(UnknownBadge):
        badge("mostly-correct")


def test_unknown_source_fails_the_build() -> None:
    with pytest.raises(UnknownBadge):
        badge("correct", "teacher")

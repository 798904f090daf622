"""What the gallery adds to the theme's search index (Material's `search` plugin).

Pages that keep their text out of the index (`front_matter(..., searched=False)`) are still
found by their title and description (`add_title_entry`). And after a dirty build under
`mkdocs serve`, which indexes only the pages it rebuilt, the index keeps one copy of every
page (`merge_after_dirty_build`); the theme's own merge assumes one page per dirty build.
The plugin's index is reached through its `search_index` attributes, which the pinned
Material version has; without them (another search plugin) nothing is added or merged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SEARCH_PLUGIN = "material/search"


def title_entry(url: str, meta: Mapping[str, object]) -> dict[str, str]:
    """A search-index entry for a page whose text is kept out of the index: its title and description.

    Both are HTML-escaped already (`front_matter`), as the theme's index expects.
    """
    return {"location": url, "title": str(meta.get("title", "")), "text": str(meta.get("description", ""))}


def add_title_entry(plugins: Mapping[str, Any], url: str, meta: Mapping[str, object]) -> None:
    index = getattr(plugins.get(SEARCH_PLUGIN), "search_index", None)
    if index is not None:
        index.entries.append(title_entry(url, meta))


def merged_entries(
    previous: list[dict[str, str]], rebuilt: list[dict[str, str]], rebuilt_urls: set[str]
) -> list[dict[str, str]]:
    """The index after a dirty build: the previous entries of the pages not rebuilt, then the new ones."""
    return [entry for entry in previous if entry["location"].split("#", 1)[0] not in rebuilt_urls] + rebuilt


def merge_after_dirty_build(plugins: Mapping[str, Any], rebuilt_urls: set[str], *, whole_site: bool) -> None:
    """Merge the previous build's entries into this one's, before the plugin writes the index."""
    search: Any = plugins.get(SEARCH_PLUGIN)
    previous = getattr(search, "search_index_prev", None)
    if previous is None:
        return
    previous_entries = [] if whole_site else previous.entries
    search.search_index.entries = merged_entries(previous_entries, search.search_index.entries, rebuilt_urls)
    search.search_index_prev = None  # merged here, not again by the plugin

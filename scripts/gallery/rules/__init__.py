"""The validator's rules beyond the schema: per-file rules (`content`) and whole-tree rules (`tree`).

`load_repository(root)` is what the validator, the export and the site start from: it reads
the tree (`gallery.data.repository.read_repository`), runs each file's own rules once per
version of the file, then the rules that need the whole tree, and returns the repository
with every problem sorted. It never raises on bad data.
"""

from __future__ import annotations

from pathlib import Path

from gallery.data.gcpolicy import bulk_allocation
from gallery.data.load import MAX_FILE_BYTES
from gallery.data.problems import sort_problems
from gallery.data.repository import Repository, read_repository
from gallery.rules import content, tree


def check_repository(repo: Repository, *, tree_rules: bool = True) -> Repository:
    """Add the content and tree rules' problems to a repository just read."""
    with bulk_allocation():
        for where, loaded in repo.files.values():
            if loaded.model is None:
                continue
            if loaded.content_problems is None:  # a file's own rules depend on nothing else: computed once per version
                loaded.content_problems = content.check_file(where, loaded)
            repo.problems.extend(loaded.content_problems)
        if tree_rules:
            repo.problems.extend(tree.check_tree(repo))
        repo.problems = sort_problems(repo.problems)
    return repo


def load_repository(root: Path, *, max_bytes: int = MAX_FILE_BYTES, tree_rules: bool = True) -> Repository:
    """Read every data file under `root` and run every rule; never raises on bad data."""
    return check_repository(read_repository(root, max_bytes=max_bytes), tree_rules=tree_rules)

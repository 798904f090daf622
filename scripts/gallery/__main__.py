"""`python -m gallery`: the same as the `gallery` command."""

from gallery.cli import main

raise SystemExit(main())

"""The LLM Homework Gallery: data model, validator, export and site generator.

Data lives in `solutions/` and `transcripts/` as YAML. `gallery validate` checks it,
`gallery export` writes JSON/CSV, `gallery build` renders the Markdown pages MkDocs turns
into the site. See README.md and docs/contributing.md.
"""

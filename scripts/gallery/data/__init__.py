"""The data layer: typed models, where files live, the safe YAML loader and writer, and the loaded tree.

Nothing here imports from the rest of the package. `models` is the single source of truth
for every file kind; `layout` is the only module that builds data paths; `yamlsafe` and
`load` turn bytes into models with located problems; `repository` reads the whole tree.
"""

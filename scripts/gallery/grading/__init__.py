"""Grading: answer-key comparisons, the safe expression calculator, and the one assessment step.

`check` compares stated values with answer-key items; `assess` computes every answer's
automatic verdict, disagreement flags and final verdict once per repository, for the site
and the export to read. Imports only `gallery.data`.
"""

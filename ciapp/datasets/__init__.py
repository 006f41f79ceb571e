"""Data sets of a project: importing measurement data, versions, and analyses on them."""

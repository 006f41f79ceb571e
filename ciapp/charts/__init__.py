"""Charts drawn from ciapp.stats results with matplotlib's Figure (never pyplot), as SVG to
embed in pages and PNG to download. Knows nothing of Flask or the database."""

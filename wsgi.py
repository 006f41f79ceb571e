"""WSGI entry point: ``gunicorn wsgi:app``."""

import gc

from ciapp import create_app

app = create_app()
# What the server holds once the app is built (the libraries, the app, its templates) moves
# out of the cycle collector's sight: collections during requests then walk only what the
# requests made, and with --preload the workers forked from here share those pages.
gc.freeze()

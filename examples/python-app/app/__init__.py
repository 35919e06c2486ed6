"""A small web app: standard library only, so it runs on the python3 preset as is."""

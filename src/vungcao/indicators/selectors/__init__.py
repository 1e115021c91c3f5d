"""Reads of the indicators app: the catalogue a user sees, the values the engine resolves, figures and
progress. Every function takes the user and goes through ``accounts.access``."""

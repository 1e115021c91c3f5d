"""Writes of the programmes app: ``programmes`` (trees of components), ``money`` (records and their
import), ``activities`` (works, support to households, revolving-fund models)."""

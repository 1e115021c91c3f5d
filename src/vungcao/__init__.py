"""Vùng Cao: monitoring and evaluation of development programmes in ethnic-minority and mountainous areas."""

__version__ = "0.1.0"

"""Pure-Python engines: no Django import (import-linter enforces it)."""

"""Command-line tools that work on files with the pure engines; they never configure Django."""

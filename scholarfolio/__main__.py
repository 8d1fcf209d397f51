"""``python -m scholarfolio`` runs the command line."""

from scholarfolio.cli import main

main()

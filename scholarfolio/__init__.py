"""scholarfolio: self-hosted researcher profiles from open bibliographic metadata."""

__version__ = "0.1.0"

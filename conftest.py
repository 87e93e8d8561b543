"""Project-wide pytest set-up: the shared folder and helpers for every test."""

"""Maintenance scripts of the course; importable so that the tests use the same code."""

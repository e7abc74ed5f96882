"""Test wiring only (fixtures for servers, workbooks and the outbox); no test data lives here."""

from __future__ import annotations

"""sheets_sync: run a roadmap of activities across many schools from a shared spreadsheet."""

__version__ = "0.1.0"

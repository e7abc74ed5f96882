"""Roadmap documents: plans as published (tab-separated text copied out of a Word table) read
into roadmap rows."""

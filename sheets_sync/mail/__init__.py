"""Emails: digests rendered with the jinja2 templates in mail_templates/ (pure), built into
standard MIME bytes, and delivered to an outbox folder or through an SMTP server."""

"""The [mail] and [mail.smtp] sections: where emails go, who they are from, the SMTP server and
its password (from the environment, never from the file)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from .credentials import SMTP_ENV, smtp_password
from .reader import Reader, leaf_keys
from .types import MailSettings, SmtpSettings, is_email


def read_mail(r: Reader, resolve: Callable[[str], Path], env: Mapping[str, str]) -> MailSettings:
    d = MailSettings()
    delivery = r.get("mail.delivery", str, d.delivery)
    if delivery not in ("outbox", "smtp"):
        r.problems.append(
            f'`mail.delivery` = "{delivery}": write "outbox" (files in a folder) '
            'or "smtp" (send through a mail server)'
        )
        delivery = "outbox"
    sender = r.get("mail.from", str, d.sender)
    if not is_email(address_part(sender)):
        r.problems.append(
            f'`mail.from` = "{sender}" needs an email address, e.g. '
            '"Координатор <coordinator@example.org>"'
        )
    reply_to = r.get("mail.reply_to", str, "")
    if reply_to and not is_email(address_part(reply_to)):
        r.problems.append(f'`mail.reply_to` = "{reply_to}" is not an email address')
    submit_url = r.get("mail.submit_url", str, d.submit_url)
    unknown = set(re.findall(r"{(\w+)}", submit_url)) - {"spreadsheet_url", "item", "school"}
    if unknown:
        r.problems.append(
            f"`mail.submit_url` uses {{{min(unknown)}}}: only "
            "{spreadsheet_url}, {item} and {school} can be filled in"
        )
    smtp = _smtp(r, resolve, env, needed=delivery == "smtp")
    return MailSettings(
        delivery=delivery,  # type: ignore[arg-type]
        sender=sender,
        reply_to=reply_to,
        outbox=resolve(r.get("mail.outbox", str, "outbox")),
        submit_url=submit_url,
        smtp=smtp,
        signature=_signature(r),
    )


def _signature(r: Reader) -> tuple[str, ...]:
    """Return the signature lines of [mail.signature]: name, position, phone."""
    name = r.get("mail.signature.name", str, "").strip()
    position = r.get("mail.signature.position", str, "").strip()
    phone = r.get("mail.signature.phone", str, "").strip()
    if phone and not phone.casefold().startswith("тел"):
        phone = f"тел. {phone}"
    return tuple(line for line in (name, position, phone) if line)


def _smtp(
    r: Reader, resolve: Callable[[str], Path], env: Mapping[str, str], *, needed: bool
) -> SmtpSettings:
    d = SmtpSettings()
    security = r.get("mail.smtp.security", str, d.security)
    if security not in ("ssl", "starttls", "none"):
        r.problems.append(
            f'`mail.smtp.security` = "{security}": write "ssl" (port 465), '
            '"starttls" (port 587) or "none"'
        )
        security = d.security
    default_port = {"ssl": 465, "starttls": 587, "none": 25}[security]
    smtp = SmtpSettings(
        host=r.get("mail.smtp.host", str, ""),
        port=r.get("mail.smtp.port", int, default_port),
        security=security,  # type: ignore[arg-type]
        user=r.get("mail.smtp.user", str, ""),
        timeout_seconds=float(r.get("mail.smtp.timeout_seconds", (int, float), 30.0)),
        retries=r.get("mail.smtp.retries", int, 3),
        ca_file=resolve(ca) if (ca := r.get("mail.smtp.ca_file", str, "")) else None,
    )
    if smtp.retries < 1 or smtp.timeout_seconds <= 0:
        r.problems.append(
            "`mail.smtp.retries` must be 1 or more and `mail.smtp.timeout_seconds` above 0"
        )
    if "mail.smtp.password" in leaf_keys(r.data):
        r.used.add("mail.smtp.password")
        r.problems.append(
            "`mail.smtp.password` must not be in the file: remove it and set the "
            f"environment variable {SMTP_ENV} (or {SMTP_ENV}_FILE)"
        )
    if not needed:
        return smtp
    if not smtp.host:
        r.problems.append('`mail.smtp.host` is missing: e.g. host = "smtp.yandex.ru"')
    if not 0 < smtp.port < 65536:
        r.problems.append(f"`mail.smtp.port` = {smtp.port} is not a port number (465, 587, 25)")
    if smtp.ca_file and not smtp.ca_file.is_file():
        r.problems.append(f"`mail.smtp.ca_file` names {smtp.ca_file}, which does not exist")
    if not smtp.user:  # a relay that takes mail without a login
        return smtp
    password, problem = smtp_password(env, smtp.user)
    if problem:
        r.problems.append(problem)
    return replace(smtp, password=password)


def address_part(value: str) -> str:
    match = re.search(r"<([^<>]*)>\s*$", value)
    return (match.group(1) if match else value).strip()

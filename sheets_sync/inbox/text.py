"""Text of a reply: HTML to plain text, the part a person wrote above the quote, and the
roadmap item numbers they named («VII.8», «п. 2.3», «пункты 1 и 5»). Pure.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}
_SKIP = {"script", "style", "head", "title"}
_QUOTE_IN, _QUOTE_OUT = "\x01", "\x02"  # where a <blockquote> opens and closes
# Where a mail program starts the quoted message: ">", "-----Original Message-----",
# Outlook's "От:/From:" block, "... пишет:" / "... wrote:", Mail.ru's "... от Name <a@b>:".
_QUOTE_START = re.compile(
    r"^\s*(?:>|-{2,}\s*(?:original message|исходное сообщение|пересылаемое сообщение|"
    r"forwarded message|перенаправленное сообщение)|(?:от|from|отправлено|sent)\s*:\s)"
    r"|(?:пишет|написал[а]?|wrote)\s*:\s*$|<[^<>\s]+@[^<>\s]+>\s*:\s*$",
    re.IGNORECASE,
)
# Cyrillic letters typed for Latin Roman numerals: Х, С, М, І, Ӏ.
_LOOKALIKES = str.maketrans({"Х": "X", "х": "X", "С": "C", "с": "C", "М": "M", "І": "I", "Ӏ": "I"})
_ROMAN = r"[IVXLCMХСМІӀ]{1,7}"
_DOTTED = re.compile(
    rf"(?<!\w)(?<!\d\.)((?:{_ROMAN}|\d{{1,3}})(?:\.\d{{1,3}})+)\.?(?![\w]|\.\d)", re.IGNORECASE
)
_MARKED = re.compile(
    r"(?:\bп\.|\bпп\.|\bпункт\w*|\bitems?\b|\bмероприяти\w*)\s*№?\s*"
    r"((?:\d{1,3}(?:\.\d{1,3})*\.?)(?:\s*(?:,|;|и|and|-|–)\s*\d{1,3}(?:\.\d{1,3})*\.?)*)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append(_QUOTE_IN if tag == "blockquote" else "\n")
        elif tag == "td":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append(_QUOTE_OUT if tag == "blockquote" else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the text a person reads in `markup`: paragraphs and line breaks kept."""
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # hopeless markup: strip the tags instead
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    lines: list[str] = []
    depth = 0
    for line in (
        "".join(parser.parts)
        .replace(_QUOTE_IN, f"\n{_QUOTE_IN}\n")
        .replace(_QUOTE_OUT, f"\n{_QUOTE_OUT}\n")
        .splitlines()
    ):
        if line in (_QUOTE_IN, _QUOTE_OUT):
            depth = max(0, depth + (1 if line == _QUOTE_IN else -1))
            lines.append("")
            continue
        text = " ".join(line.split())
        lines.append("> " * depth + text if text else "")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def fresh_text(text: str) -> str:
    """Return what the sender wrote above the quoted message (all of it when nothing is quoted)."""
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTE_START.search(line):
            break
        kept.append(line)
    above = "\n".join(kept).strip()
    if above:
        return above
    # Written below the quote: keep the lines that are not quoted.
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(">")]
    return "\n".join(ln for ln in lines if not _QUOTE_START.search(ln)).strip()


def normalize_number(number: str) -> str:
    """Return an item number as compared: Roman section in Latin capitals, no trailing dot."""
    return number.strip().rstrip(".").translate(_LOOKALIKES).upper()


def item_numbers(text: str) -> list[str]:
    """Return the item numbers `text` names, normalized, in order, without dates.

    Dotted numbers count anywhere («VII.8», «2.3»); a plain number only after «п.»,
    «пункт» or «мероприятие» («п. 2», «пункты 1, 3 и 5»). Dates are not item numbers:
    01.03.2020, 1.03.20 and 01.03 (a part with a leading zero) are skipped.
    """
    found: list[str] = []
    for match in _DOTTED.finditer(text):
        if not _is_date(match.group(1)):
            found.append(normalize_number(match.group(1)))
    for match in _MARKED.finditer(text):
        for number in _NUMBER.findall(match.group(1)):
            if not _is_date(number):
                found.append(normalize_number(number))
    return list(dict.fromkeys(found))


def _is_date(token: str) -> bool:
    parts = token.rstrip(".").split(".")
    if not all(p.isdigit() for p in parts):
        return False
    if any(len(p) > 1 and p.startswith("0") for p in parts):
        return True
    return len(parts) == 3 and (len(parts[2]) in (2, 4)) and int(parts[1]) <= 12

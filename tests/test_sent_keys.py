"""A plan asks the local state only about today's candidates (`SentLookup`), and plans exactly
what it plans from every key sent; keys sent under a party's former code count (pure)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Set as AbstractSet
from datetime import date, timedelta

from sheets_sync.escalation import MunicipalCoordinator, Routing, is_coordinating
from sheets_sync.obligations import Party
from sheets_sync.reminders import Mailing, plan_mailing
from sheets_sync.sent_keys import SentLookup
from sheets_sync.stages import ReminderKey
from tests.reminder_data import POLICY, ob

ROUTING = Routing(
    {"school:02": "район"},
    {"район": MunicipalCoordinator("Район", "РУО", ("ruo@example.org",))},
)
PARTIES = [
    Party("school", "01", "Школа 1", ("a@example.org",)),
    Party("school", "02", "Школа 2", ("b@example.org",)),
    Party("executor", "СОИРО", "СОИРО", ("s@example.org",)),
]


def lookup(sent: AbstractSet[str], today: date, asked: list[set[str]]) -> SentLookup:
    """A lookup over `sent`, as the state answers it (a day unknown counts as before)."""

    def sent_among(keys: set[str]) -> set[str]:
        asked.append(keys)
        return set(sent) & keys

    def reminded_before(ids: set[str]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for text in sent:
            key = ReminderKey.parse(text)
            if key and key.about in ids and not is_coordinating(key.recipient):
                counts[key.about] += 1
        return counts

    return SentLookup(sent_among, reminded_before)


def keys_of(mailing: Mailing) -> set[str]:
    return {k for d in mailing.digests for k in d.keys}


def test_a_lookup_plans_what_every_key_sent_plans_day_after_day():
    rng = random.Random(7)
    start = date(2020, 2, 20)
    obs = lambda today: [
        ob(start + timedelta(days=d), today, party=p, key=str(n))
        for n, d in enumerate((3, 10, 25))
        for p in PARTIES
    ]
    sent: set[str] = set()
    for day in range(60):
        today = start + timedelta(days=day)
        whole = plan_mailing(obs(today), sent, POLICY, today, lambda _: True, routing=ROUTING)
        asked: list[set[str]] = []
        asking = lookup(sent, today, asked)
        by_lookup = plan_mailing(obs(today), asking, POLICY, today, lambda _: True, routing=ROUTING)
        assert by_lookup == whole, today
        assert sum(len(a) for a in asked) <= 5 * len(obs(today)) + 1  # today's keys only
        # Most days the run goes out; some days it is missed.
        if rng.random() < 0.8:
            sent |= keys_of(whole)


def test_what_was_sent_under_a_former_code_is_not_sent_again():
    today = date(2020, 3, 20)
    old = ob(date(2020, 3, 1), today, party=PARTIES[0])
    new_party = Party("school", "A-01", "Школа 1", ("a@example.org",), former=("01",))
    new = ob(date(2020, 3, 1), today, party=new_party)
    sent = keys_of(plan_mailing([old], set(), POLICY, today, lambda _: True))
    tomorrow = today + timedelta(days=1)
    before = plan_mailing([old], sent, POLICY, tomorrow, lambda _: True, earlier=sent)
    sent |= keys_of(before)  # the escalation, under the old code
    assert any(k.startswith("coordinator|") for k in keys_of(before))

    for planned in (
        plan_mailing([new], sent, POLICY, tomorrow, lambda _: True),
        plan_mailing([new], lookup(sent, tomorrow, []), POLICY, tomorrow, lambda _: True),
    ):
        assert planned.digests == ()

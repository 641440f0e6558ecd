"""A form letter and its lightly edited copies (greeting, sign-off, two words changed, a
typo), and comments people write on their own, for the tests of the index and the queue."""

from __future__ import annotations

import random

LETTER = (
    "I strongly oppose the plan to widen Riverside Avenue. Removing the old oak trees will "
    "destroy the shade that families rely on every summer, and the extra lanes will only "
    "bring more traffic and noise into our quiet neighbourhood. The council should invest "
    "in safe cycle paths and better buses instead. Please keep the trees and reject this "
    "proposal before it is too late."
)
GREETINGS = ["", "Dear council, ", "Hello, ", "To whom it may concern: ", "Dear members, "]
SIGNOFFS = ["", " Regards, Ann.", " Thank you.", " Best wishes from a resident.", " Signed, Bob."]
SWAPS = [("strongly", "firmly"), ("quiet", "calm"), ("destroy", "ruin"), ("Please", "Kindly"),
         ("better", "more frequent"), ("old", "ancient")]  # fmt: skip

ORGANIC = [
    "My grandmother walked under those oaks for sixty years; the article ignores their "
    "history entirely and says nothing about replanting anywhere in the district.",
    "Article two sets the budget at four million, but no study explains how the figure was "
    "reached; publish the engineering report first so residents can judge it.",
    "As a bus driver on route nine I see the morning jam daily; a dedicated bus lane would "
    "move more people than two car lanes, and cost far less to maintain.",
    "Shops on the corner of Mill Street will lose their delivery bay under this design. Has "
    "anyone asked the traders what they need before drawing these plans?",
    "I cycle my children to school along the avenue. Painted lines are not protection; only "
    "kerbs separating bikes from lorries would make me feel safe there.",
    "The noise survey in annex B was done in August when schools were closed, so it "
    "understates the real traffic by a wide margin. Please repeat it in term time.",
    "Widening makes sense only if the junction with the ring road is fixed too; otherwise "
    "the queue just moves three hundred metres further north every evening.",
    "Could the council plant new trees in the car park behind the library to compensate? "
    "Young trees take decades, so planting should start this year whatever is decided.",
    "Elderly neighbours rely on the pharmacy by the bridge; during construction, how will "
    "they reach it safely when the pavements are closed for months at a time?",
    "The consultation period is too short for a project of this size. Four weeks over the "
    "holidays means many families never even heard about it from the council.",
]


def form_letter(rng: random.Random) -> str:
    text = LETTER
    for a, b in rng.sample(SWAPS, 2):
        text = text.replace(a, b, 1)
    if rng.random() < 0.5:  # a typo
        i = rng.randrange(40, len(text) - 40)
        text = text[:i] + text[i + 1 :]
    return rng.choice(GREETINGS) + text + rng.choice(SIGNOFFS)

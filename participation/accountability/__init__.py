"""Accountability: answers owed and given, on time or late, and the commitments they make.

Generic over hosts, as the comments are: a domain lists ``accountability_hosts`` in its
``hosts.py`` (protocol in ``targets.py``); a thing owed an answer is ``(target_type,
target_id)`` — a closed consultation, a petition over its response threshold.

``models``       Obligation (one per thing owed an answer), Response and its parts ("we asked,
                 you said, we did"), Commitment with its links, milestones, updates, followers
``deadlines``    the state of an obligation at a given moment (due / on time / late / overdue)
``queries``      every read (the scoreboard reads these too)
``services``     every write: publish, translate, record a debate, commitments, overdue marking
"""

"""Organisations, workshops and joining them: plain values and rules, no storage and no pages.

codes.py         join codes: drawing one, reading what a participant types
nicknames.py     a participant's nickname in a workshop: the rules, the name filter, the duplicate key
organisations.py Organisation and Workshop values, validated with every problem collected
joining.py       the join link and its QR code (segno) for the projector
assignments.py   what a trainer assigns to a workshop (assessment or quiz, due date) and its status
"""

"""Vietnam's data rules, each in one place, pure Python (no Flask request needed).

- ``text``: NFC normalization, search folding, name parts, Vietnamese name sort keys (ICU ``vi``).
- ``dates``: partial and lunar dates (Vietnamese lunar calendar, UTC+7) and their rules.
- ``personal_id``: 12-digit personal ID numbers (province or country, century/sex, year).
- ``cmnd``: old 9-digit ID card numbers and their issuing codes.
- ``ethnic``: the 54 ethnic groups with their official codes, plus foreign national and "not known".
- ``nationality``: ISO 3166-1 nationalities with Vietnamese names for the common ones.
- ``relationships``: relationship-to-head-of-household codes and labels.
- ``units``: today's provinces/communes and the pre-2025 units, loaded from vietnamadminunits.
- ``models``: the database tables for administrative units.

Submodules are imported explicitly (``from fieldapp.vn.text import fold``); nothing heavy is
imported here.
"""

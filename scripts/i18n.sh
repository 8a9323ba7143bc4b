#!/usr/bin/env bash
# Refresh the English catalog from the Vietnamese source strings: extract, then merge into messages.po.
# Translate the new empty msgstr entries in fieldapp/translations/en/LC_MESSAGES/messages.po afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o /tmp/fieldapp-messages.pot . >/dev/null
pybabel update -i /tmp/fieldapp-messages.pot -d fieldapp/translations -l en --no-fuzzy-matching -w 110 >/dev/null
python -c "from babel.messages.pofile import read_po; c = read_po(open('fieldapp/translations/en/LC_MESSAGES/messages.po', 'rb')); print('untranslated:', sum(1 for m in c if m.id and (not m.string or m.fuzzy)))"

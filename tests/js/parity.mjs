// Runs the parity table (tests/vn/parity_cases.json) through the phone's rules and prints the answers
// as JSON, one per case, for tests/vn/test_parity.py to compare with the server's.
import { readFileSync } from 'node:fs';
import { checkPerson, checkPersonalId, normalizeText, parsePartialDate } from '../../static/field/js/validate.js';

const day = (iso) => { const [y, m, d] = iso.split('-').map(Number); return new Date(y, m - 1, d); };

const run = {
  id: (c) => checkPersonalId(c.id, { sex: c.sex ?? null, birthYears: c.birth_years, today: day(c.today) })
    .map((p) => [p.field, p.severity, p.message]),
  person: (c) => {
    const errors = {};
    checkPerson(errors, c.person, '', ['full_name', 'sex', 'date_of_birth', 'ethnicity']);
    return { errors, full_name: normalizeText(c.person.full_name) };
  },
  text: (c) => normalizeText(c.text),
  date: (c) => {
    try {
      return { iso: parsePartialDate(c.text, c.calendar, c.leap, day(c.today)).iso };
    } catch (err) {
      return { error: err.message };
    }
  },
};

const { cases } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
console.log(JSON.stringify(cases.map((c) => run[c.kind](c))));

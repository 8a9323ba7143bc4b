// The server's rules that can run on the phone, with the server's Vietnamese messages
// (fieldapp/vn/personal_id.py, fieldapp/vn/dates.py, fieldapp/records/schemas.py).
// Pure functions: no DOM, so node --test can check them.

export const REQUIRED = 'Bắt buộc nhập.';
const MIN_YEAR = 1850;
const ISO = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
const PAPER = /^(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})$/;
const SEX_WORD = { male: 'nam', female: 'nữ' };
// Province codes of personal IDs (the 63 provinces before the 2025 merger).
const PROVINCES = new Set(('001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 ' +
  '033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 ' +
  '074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096').split(' '));

// fieldapp/vn/personal_id.py abroad_message, "{code}" standing for the ID's first three digits.
export const ABROAD = 'Mã {code} ở đầu số định danh không phải mã tỉnh: chỉ đúng khi người này đăng ký khai sinh ở ' +
  'nước ngoài (mã quốc gia). Hãy đối chiếu lại với giấy tờ';

export class DateRuleError extends Error {}

export function digits(text) {
  return String(text ?? '').replace(/[ .\-\u00a0]/g, '');
}

const LOOKALIKE_D = { '\u00d0': 'Đ', '\u00f0': 'đ', '\u0189': 'Đ', '\u0256': 'đ' };
// fieldapp/vn/text.py normalize_text: joiners vanish, a zero-width space is a space, Python's whitespace.
export function normalizeText(text) {
  return String(text ?? '').replace(/[\u200c\u200d\u2060\ufeff\u00ad]/g, '').replace(/\u200b/g, ' ')
    .normalize('NFC').replace(/[\u00d0\u00f0\u0189\u0256]/g, (c) => LOOKALIKE_D[c])
    .replace(/[\s\x1c-\x1f\x85]+/g, ' ').trim();
}

function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// "1990", "1990-03", "1990-03-15", "15/03/1990", "03/1990" -> {year, month, day, iso}.
export function parsePartialDate(text, calendar = 'solar', leap = false, today = new Date()) {
  const cleaned = normalizeText(text).replace(/ /g, '');
  let year, month, day, m;
  if ((m = ISO.exec(cleaned))) [year, month, day] = [m[1], m[2], m[3]];
  else if ((m = PAPER.exec(cleaned))) [day, month, year] = [m[1], m[2], m[3]];
  else {
    throw new DateRuleError(`Ngày tháng “${String(text).trim()}” không đúng định dạng: ghi năm (1990), ` +
      'tháng/năm (03/1990) hoặc ngày/tháng/năm (15/03/1990)');
  }
  year = Number(year);
  month = month ? Number(month) : null;
  day = day ? Number(day) : null;
  if (leap && calendar !== 'lunar') throw new DateRuleError('Chỉ ngày âm lịch mới có tháng nhuận');
  const thisYear = today.getFullYear();
  if (year < MIN_YEAR || year > thisYear) {
    throw new DateRuleError(`Năm ${year} không hợp lệ: năm phải từ ${MIN_YEAR} đến ${thisYear}`);
  }
  if (month !== null && (month < 1 || month > 12)) {
    throw new DateRuleError(`Tháng ${month} không hợp lệ: tháng phải từ 1 đến 12`);
  }
  if (leap && month === null) throw new DateRuleError('Ngày thuộc tháng nhuận phải ghi rõ tháng');
  if (month !== null && day !== null) {
    if (calendar === 'lunar') {
      if (day < 1 || day > 30) {
        throw new DateRuleError(`Ngày âm lịch ${day} không hợp lệ: ngày phải từ 1 đến 30`);
      }
    } else {
      const days = daysInMonth(year, month);
      if (day < 1 || day > days) {
        throw new DateRuleError(`Ngày ${day} không hợp lệ: tháng ${month} năm ${year} có ${days} ngày`);
      }
    }
  }
  const iso = [String(year).padStart(4, '0'), ...[month, day].filter((n) => n !== null)
    .map((n) => String(n).padStart(2, '0'))].join('-');
  if (calendar === 'solar') {
    const start = new Date(year, (month || 1) - 1, day || 1);
    if (start > today) throw new DateRuleError(`Ngày tháng ${iso.split('-').reverse().join('/')} ở tương lai`);
  }
  return { year, month, day, iso };
}

const problem = (field, message, severity = 'error') => ({ field, message, severity });

function cmndProblems(value) {
  if (/^0+$/.test(value)) return [problem('personal_id', 'Số chứng minh nhân dân không thể toàn chữ số 0')];
  if (!/^(0[1-9]|[12]\d|3[0-8])/.test(value)) {
    return [problem('personal_id', 'Số chứng minh nhân dân cũ (9 chữ số) bắt đầu bằng mã nơi cấp từ 01 đến 38, ' +
      `số đã nhập bắt đầu bằng ${value.slice(0, 2)}`)];
  }
  return [];
}

// Problems of a personal ID, as [{field, message, severity}] (field: personal_id, sex or date_of_birth);
// birthYears: the solar years the recorded birth can fall in (two for a lunar year), [] to skip.
export function checkPersonalId(raw, { sex = null, birthYears = [], today = new Date() } = {}) {
  const value = digits(raw);
  if (value && !/^\d+$/.test(value)) return [problem('personal_id', 'Số định danh cá nhân chỉ được gồm chữ số')];
  if (value.length !== 9 && value.length !== 12) {
    return [problem('personal_id', 'Số định danh cá nhân phải gồm 12 chữ số (số chứng minh ' +
      `nhân dân cũ: 9 chữ số), số đã nhập có ${value.length} chữ số`)];
  }
  if (value.length === 9) return cmndProblems(value);
  const code = value.slice(0, 3);
  if (code === '000') return [problem('personal_id', `Mã tỉnh ${code} trong số định danh không tồn tại`)];
  const century = Number(value[3]);
  const encoded = 1900 + Math.floor(century / 2) * 100 + Number(value.slice(4, 6));
  const problems = [];
  const years = [...birthYears].sort();
  if (encoded > today.getFullYear()) {
    problems.push(problem('personal_id', `Số định danh cho biết năm sinh ${encoded}, sau năm hiện tại`));
  } else if (years.length && !years.includes(encoded)) {
    problems.push(problem('date_of_birth', `Số định danh cho biết năm sinh ${encoded} ` + (years.length === 1
      ? `nhưng hồ sơ ghi năm sinh ${years[0]}`
      : `nhưng ngày sinh âm lịch trong hồ sơ ứng với năm ${years[0]} hoặc ${years.at(-1)} dương lịch`)));
  }
  const encodedSex = century % 2 ? 'female' : 'male';
  if (SEX_WORD[sex] && sex !== encodedSex) {
    problems.unshift(problem('sex', `Số định danh cho biết giới tính ${SEX_WORD[encodedSex]} ` +
      `nhưng hồ sơ ghi ${SEX_WORD[sex]}`));
  }
  if (!PROVINCES.has(code)) {
    problems.push(problem('personal_id', ABROAD.replace('{code}', code), 'warning'));
  }
  return problems;
}

function add(errors, path, message) {
  (errors[path] ||= []).push(message);
}

function required(errors, obj, prefix, keys) {
  for (const key of keys) {
    if (obj[key] === undefined || obj[key] === null || normalizeText(obj[key]) === '') {
      add(errors, prefix + key, REQUIRED);
    }
  }
}

function checkDate(errors, obj, prefix, key, calendarKey, leapKey) {
  if (!obj[key]) return null;
  try {
    return parsePartialDate(obj[key], obj[calendarKey] || 'solar', Boolean(obj[leapKey]));
  } catch (err) {
    add(errors, prefix + key, err.message);
    return null;
  }
}

// A person (or parent, or spouse); `need` lists the fields the paper form requires.
export function checkPerson(errors, person, prefix, need) {
  required(errors, person, prefix, need);
  const born = checkDate(errors, person, prefix, 'date_of_birth', 'dob_calendar', 'dob_leap_month');
  if (person.personal_id) {
    // A lunar year spans two solar years; a lunar month or day needs the server's tables: not compared here.
    const lunar = person.dob_calendar === 'lunar';
    const years = !born ? [] : !lunar ? [born.year] : born.month === null ? [born.year, born.year + 1] : [];
    for (const p of checkPersonalId(person.personal_id, { sex: person.sex, birthYears: years })) {
      if (p.severity === 'error') add(errors, prefix + p.field, p.message);
    }
  }
}

const PERSON = ['full_name', 'sex', 'date_of_birth', 'ethnicity'];

// Errors of a record's data as {"members.0.full_name": [...]}, the server's field paths without "data.".
export function validateRecord(type, data) {
  const errors = {};
  required(errors, data, '', ['commune_code', 'village']);
  if (type === 'household') {
    const members = data.members || [];
    members.forEach((m, i) => checkPerson(errors, m, `members.${i}.`, [...PERSON, 'relationship']));
    if (members.length === 0) add(errors, 'members', REQUIRED);
    else if (members.filter((m) => m.relationship === 'head').length !== 1) {
      add(errors, 'members', 'Hộ phải có đúng một chủ hộ.');
    }
  } else if (type === 'birth') {
    checkPerson(errors, data.child || {}, 'child.', PERSON);
    for (const parent of ['mother', 'father']) {
      if (data[parent]) checkPerson(errors, data[parent], `${parent}.`, ['full_name']);
    }
  } else if (type === 'death') {
    checkPerson(errors, data.deceased || {}, 'deceased.', PERSON);
    required(errors, data, '', ['date_of_death']);
    const died = checkDate(errors, data, '', 'date_of_death', 'dod_calendar', 'dod_leap_month');
    const born = data.deceased?.date_of_birth && !errors['deceased.date_of_birth']
      ? parsePartialDate(data.deceased.date_of_birth, data.deceased.dob_calendar) : null;
    const sameCalendar = (data.dod_calendar || 'solar') === (data.deceased?.dob_calendar || 'solar');
    if (died && born && sameCalendar) {
      const [a, b] = [died.iso, born.iso];
      if (a.slice(0, b.length) < b.slice(0, a.length)) add(errors, 'date_of_death', 'Ngày mất không thể trước ngày sinh.');
    }
  } else if (type === 'marriage') {
    checkPerson(errors, data.husband || {}, 'husband.', ['full_name', 'date_of_birth', 'ethnicity']);
    checkPerson(errors, data.wife || {}, 'wife.', ['full_name', 'date_of_birth', 'ethnicity']);
    checkDate(errors, data, '', 'marriage_date', '_', '_');
  }
  return errors;
}

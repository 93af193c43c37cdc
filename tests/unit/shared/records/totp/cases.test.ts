import { describe, expect, it } from 'vitest';
import {
  advanceHotp,
  otpCodeAt,
  parseOtp,
  readOtpInput,
  STEAM_ALPHABET,
} from '../../../../../shared/records/totp/index.ts';
import type { HotpEntry, OtpEntry } from '../../../../../shared/records/totp/index.ts';
import { expectedCodes, fixtureLines, fixtureText } from './fixtures.ts';

const T1 = 1_700_000_000_000;
const T2 = 2_000_000_000_000;

interface Case {
  id: string;
  file: string;
  type: OtpEntry['type'];
  issuer: string;
  account: string;
  secret?: string;
  algorithm?: string;
  digits?: number;
  period?: number;
}

/** Issuer, account and secret as each case's expected.txt states them (or its URI implies). */
const single: Case[] = [
  {
    id: 'totp-01',
    file: 'totp-01-lowercase-secret.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice@example.com',
    secret: '2SMLHGND22S736Y5LVOLN4CDOYPXD7AW',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  },
  {
    id: 'totp-02',
    file: 'totp-02-padding-pct-encoded.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice@example.com',
    secret: 'X6LMB4WH6F4JMLHRXRXTJRTQLU',
  },
  {
    id: 'totp-04',
    file: 'totp-04-secret-with-spaces.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice@example.com',
    secret: 'U2ORE2QDTXTDLDPDZEDBLEMO4YNZKCBW',
  },
  {
    id: 'totp-05',
    file: 'totp-05-sha256.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice@example.com',
    algorithm: 'SHA256',
  },
  {
    id: 'totp-06',
    file: 'totp-06-sha512-8digits.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice@example.com',
    algorithm: 'SHA512',
    digits: 8,
  },
  {
    id: 'totp-08',
    file: 'totp-08-issuer-in-label-only.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice@example.com',
  },
  {
    id: 'totp-09',
    file: 'totp-09-issuer-mismatch.uri.txt',
    type: 'totp',
    issuer: 'Microsoft',
    account: 'alice@contoso.example',
    secret: 'EC5LRCZTBFODICVA',
  },
  {
    id: 'totp-11',
    file: 'totp-11-encoded-colon-separator.uri.txt',
    type: 'totp',
    issuer: 'Big Corp',
    account: 'alice@bigcorp.example',
  },
  {
    id: 'totp-12',
    file: 'totp-12-plus-in-issuer.uri.txt',
    type: 'totp',
    issuer: 'Example Bank',
    account: 'alice',
  },
  {
    id: 'totp-19',
    file: 'totp-19-short-secret.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice@example.com',
    secret: '3OVQ3HZ6JPOPXWTF',
  },
  {
    id: 'totp-20',
    file: 'totp-20-7digits-10s.uri.txt',
    type: 'totp',
    issuer: 'Example',
    account: 'alice',
    digits: 7,
    period: 10,
  },
];

describe('real-world otpauth cases (tests/fixtures/totp)', () => {
  for (const c of single) {
    describe(c.id, () => {
      const [uri] = fixtureLines(c.file);
      const { entry } = parseOtp(uri ?? '');

      it(`reads issuer '${c.issuer}' and account '${c.account}'`, () => {
        expect(entry.type).toBe(c.type);
        expect(entry.issuer).toBe(c.issuer);
        expect(entry.account).toBe(c.account);
      });

      it('stores the canonical secret and the stated parameters', () => {
        if (c.secret !== undefined) {
          expect(entry.secret).toBe(c.secret);
        }
        expect(entry.secret).toMatch(/^[A-Z2-7]+$/);
        if (c.algorithm !== undefined) expect(entry.algorithm).toBe(c.algorithm);
        if (c.digits !== undefined) expect(entry.digits).toBe(c.digits);
        if (c.period !== undefined && entry.type !== 'hotp') expect(entry.period).toBe(c.period);
      });

      const codes = expectedCodes(c.id);
      it('states codes at both reference times', () => {
        expect([...codes.keys()]).toEqual([T1, T2]);
      });
      for (const [time, code] of codes) {
        it(`shows ${code} at ${time / 1000}`, () => {
          expect(otpCodeAt(entry, time).code).toBe(code);
        });
      }
    });
  }

  it('totp-04: the pasted manual secret gives the same entry secret and codes as the URI', () => {
    const [manual] = fixtureLines('totp-04-secret-with-spaces.manual-entry.txt');
    const { entry } = parseOtp(manual ?? '');
    expect(entry.secret).toBe('U2ORE2QDTXTDLDPDZEDBLEMO4YNZKCBW');
    for (const [time, code] of expectedCodes('totp-04')) {
      expect(otpCodeAt(entry, time).code).toBe(code);
    }
  });

  it('totp-05: the SHA1 code of the same secret differs, so the algorithm is honoured', () => {
    const [uri] = fixtureLines('totp-05-sha256.uri.txt');
    const sha1 = parseOtp((uri ?? '').replace('algorithm=SHA256', 'algorithm=SHA1')).entry;
    expect(otpCodeAt(sha1, T1).code).toBe('668870');
  });

  it('totp-09: keeps the disagreeing label prefix as extra information, not an error', () => {
    const [uri] = fixtureLines('totp-09-issuer-mismatch.uri.txt');
    const { warnings } = parseOtp(uri ?? '');
    expect(warnings).toContainEqual({ kind: 'issuer_mismatch', labelIssuer: 'Contoso+Ltd' });
    expect(warnings).toContainEqual({ kind: 'weak_secret', bits: 80 });
  });

  it('totp-12: an issuer parameter equal to the label prefix is no mismatch', () => {
    const [uri] = fixtureLines('totp-12-plus-in-issuer.uri.txt');
    expect(parseOtp(uri ?? '').warnings).toEqual([]);
  });

  it('totp-19: the 80-bit secret is accepted and flagged weak', () => {
    const [uri] = fixtureLines('totp-19-short-secret.uri.txt');
    expect(parseOtp(uri ?? '').warnings).toEqual([{ kind: 'weak_secret', bits: 80 }]);
  });

  describe('totp-13: three spellings of one Steam Guard token', () => {
    const lines = fixtureLines('totp-13-steam.uris.txt');
    it('has three lines', () => expect(lines).toHaveLength(3));
    lines.forEach((line, index) => {
      it(`line ${index + 1} is a Steam entry with the stated codes`, () => {
        const { entry } = parseOtp(line);
        expect(entry.type).toBe('steam');
        expect(entry.digits).toBe(5);
        expect(entry.secret).toBe('7MEPERS46LCO2Z23NCVGPWCVTETNX65O');
        expect(entry.issuer).toBe('Steam');
        for (const [time, code] of expectedCodes('totp-13')) {
          const shown = otpCodeAt(entry, time).code;
          expect(shown).toBe(code);
          expect([...shown].every((ch) => STEAM_ALPHABET.includes(ch))).toBe(true);
        }
      });
    });
    it('would read 893720 as a plain 6-digit TOTP, which the Steam reading avoids', () => {
      const plain = parseOtp('otpauth://totp/x?secret=7MEPERS46LCO2Z23NCVGPWCVTETNX65O').entry;
      expect(otpCodeAt(plain, T1).code).toBe('893720');
    });
  });

  describe('totp-14: Google Authenticator export with a TOTP and an HOTP account', () => {
    const [uri] = fixtureLines('totp-14-migration-basic.uri.txt');
    const result = readOtpInput(uri ?? '');
    it('yields two accounts, none skipped, one batch of one', () => {
      expect(result.accounts).toHaveLength(2);
      expect(result.skipped).toEqual([]);
      expect(result.batch?.size).toBe(1);
      expect(result.batch?.index).toBe(0);
    });
    it('strips the repeated Example: prefix from the TOTP name and gives the stated codes', () => {
      const entry = result.accounts[0]?.entry;
      expect(entry).toMatchObject({
        type: 'totp',
        issuer: 'Example',
        account: 'alice@example.com',
        secret: 'SY5VB73EF7GYCZMXW5PVVNIV2HPNHEYD',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      });
      expect(otpCodeAt(entry as OtpEntry, T1).code).toBe('477196');
      expect(otpCodeAt(entry as OtpEntry, T2).code).toBe('618334');
    });
    it('reads the HOTP account with counter 7 and next code 455893', () => {
      const entry = result.accounts[1]?.entry;
      expect(entry).toMatchObject({
        type: 'hotp',
        issuer: 'Example Org',
        account: 'bob@example.org',
        secret: '7MQXBBL2VVIROUZQ',
        counter: 7,
      });
      expect(otpCodeAt(entry as OtpEntry, T1).code).toBe('455893');
    });
  });

  it('totp-15: a + in the export data is base64, and the account reads whole', () => {
    const [uri] = fixtureLines('totp-15-migration-raw-plus.uri.txt');
    expect(uri).toContain('+');
    const { accounts } = readOtpInput(uri ?? '');
    expect(accounts).toHaveLength(1);
    const entry = accounts[0]?.entry as OtpEntry;
    expect(entry).toMatchObject({
      type: 'totp',
      issuer: 'Example Net',
      account: 'carol@example.net',
      secret: 'DSGPVIRMPMHAQPVBWWFGU3PGYYRP37OW',
    });
    for (const [time, code] of expectedCodes('totp-15')) {
      expect(otpCodeAt(entry, time).code).toBe(code);
    }
  });

  it('totp-17: the first HOTP code uses the stored counter 5, the next one counter 6', () => {
    const [uri] = fixtureLines('totp-17-hotp-counter.uri.txt');
    const first = parseOtp(uri ?? '').entry as HotpEntry;
    expect(first.counter).toBe(5);
    expect(otpCodeAt(first, T1).code).toBe('225183');
    const next = advanceHotp(first);
    expect(next.counter).toBe(6);
    expect(otpCodeAt(next, T1).code).toBe('001025');
    expect(first.counter).toBe(5);
  });
});

describe('imp-13 one-time-code column, read as secrets', () => {
  const rows = fixtureLines('imp-13-bitwarden-totp-variants.csv').slice(1);
  const column = rows.map((row) => row.split(',').at(-1) ?? '');
  const stated = fixtureText('imp-13.expected.txt');

  it('reads the bare lowercase spaced secret as SHA1/6/30', () => {
    const { entry } = parseOtp(column[0] ?? '');
    expect(entry).toMatchObject({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30 });
    expect(stated).toContain(`code@1700000000=${otpCodeAt(entry, T1).code}`);
    expect(otpCodeAt(entry, T1).code).toBe('747963');
  });

  it('honours digits=8 and SHA256 in the full URI', () => {
    const { entry } = parseOtp(column[1] ?? '');
    expect(entry).toMatchObject({ algorithm: 'SHA256', digits: 8, issuer: 'B', account: 'alice' });
    expect(otpCodeAt(entry, T1).code).toBe('74804389');
  });

  it('reads steam:// as a Steam Guard token', () => {
    const { entry } = parseOtp(column[2] ?? '', { account: 'alice' });
    expect(entry).toMatchObject({ type: 'steam', issuer: 'Steam', account: 'alice' });
    expect(otpCodeAt(entry, T1).code).toBe('R9KXP');
  });

  it("rejects 'not-a-secret!' with a coded error an importer can catch per row", () => {
    expect(() => parseOtp(column[3] ?? '')).toThrowError(
      expect.objectContaining({ code: 'otp_invalid_secret' }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../../shared/errors.ts';
import { parseOtp } from '../../../../../shared/records/totp/index.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function uri(query: string, label = 'Example:alice@example.com', type = 'totp'): string {
  return `otpauth://${type}/${label}?${query}`;
}

/** Runs a parse expected to fail and returns the CofferError it threw. */
function rejection(run: () => unknown): CofferError {
  try {
    run();
  } catch (error) {
    if (error instanceof CofferError) return error;
    throw error;
  }
  throw new Error('expected a CofferError, but parsing succeeded');
}

describe('secret normalisation: every spelling of one secret gives the same canonical form', () => {
  const spellings: [string, string][] = [
    ['lower case', SECRET.toLowerCase()],
    ['mixed case', 'jBsWy3dPeHpK3pXpJbSwY3dPeHpK3pXp'],
    ['spaces every four', SECRET.replace(/(.{4})/g, '$1 ').trim()],
    ['tabs and newlines', `JBSW\tY3DP\nEHPK\r\n3PXP JBSW Y3DP EHPK 3PXP`],
    ['no-break spaces', SECRET.replace(/(.{8})/g, '$1\u00A0').trim()],
    ['hyphen groups', SECRET.replace(/(.{4})/g, '$1-').slice(0, -1)],
    ['zero-width spaces from a web page', `JBSW\u200BY3DP${SECRET.slice(8)}`],
  ];
  for (const [what, spelled] of spellings) {
    it(`accepts a bare secret with ${what}`, () => {
      expect(parseOtp(spelled).entry.secret).toBe(SECRET);
    });
  }

  const padded = 'X6LMB4WH6F4JMLHRXRXTJRTQLU';
  const queryForms: [string, string][] = [
    ['raw = padding', `${padded}======`],
    ['%3D padding', `${padded}%3D%3D%3D%3D%3D%3D`],
    ['lower-case %3d padding', `${padded}%3d%3d%3d%3d%3d%3d`],
    ['%20 spaces', 'x6lm%20b4wh%206f4j%20mlhr%20xrxt%20jrtq%20lu'],
    ['+ as a form space', 'x6lm+b4wh+6f4j+mlhr+xrxt+jrtq+lu'],
    ['encoded tab and newline', 'X6LM%09B4WH%0A6F4J%0D%0AMLHRXRXTJRTQLU'],
    [
      'every letter percent-encoded',
      [...padded].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
    ],
  ];
  for (const [what, secret] of queryForms) {
    it(`accepts a URI secret with ${what}`, () => {
      expect(parseOtp(uri(`secret=${secret}`)).entry.secret).toBe(padded);
    });
  }

  it('accepts a bare secret with = padding, as its canonical form without it', () => {
    expect(parseOtp('x6lmb4wh6f4jmlhrxrxtjrtqlu======').entry.secret).toBe(padded);
  });

  it('trims white space and a byte-order mark around the whole input', () => {
    expect(parseOtp(`\uFEFF  ${uri(`secret=${SECRET}`)}\n`).entry.secret).toBe(SECRET);
  });
});

describe('labels and issuers', () => {
  const cases: [string, string, string, string][] = [
    ['literal colon', 'Example:alice@example.com', 'Example', 'alice@example.com'],
    ['%3A colon', 'Example%3Aalice%40example.com', 'Example', 'alice@example.com'],
    ['lower-case %3a colon', 'Example%3aalice', 'Example', 'alice'],
    ['%20 after the colon', 'Big%20Corp%3A%20%20alice', 'Big Corp', 'alice'],
    ['tab after the colon', 'Big%20Corp:%09alice', 'Big Corp', 'alice'],
    ['no issuer prefix', 'alice%40example.com', '', 'alice@example.com'],
    ['empty label', '', '', ''],
    [
      'a literal + in the account (plus addressing)',
      'Example:alice+work@example.com',
      'Example',
      'alice+work@example.com',
    ],
    ['an encoded newline in the account', 'Example:alice%0Aforged', 'Example', 'alice forged'],
  ];
  for (const [what, label, issuer, account] of cases) {
    it(`reads a label with ${what}`, () => {
      const { entry } = parseOtp(uri(`secret=${SECRET}`, label));
      expect(entry.issuer).toBe(issuer);
      expect(entry.account).toBe(account);
    });
  }

  it('keeps a bare % in a label or issuer as a literal percent sign', () => {
    const { entry } = parseOtp(uri(`secret=${SECRET}&issuer=100%+Corp`, '100%%20Corp:alice'));
    expect(entry.issuer).toBe('100% Corp');
    expect(parseOtp(uri(`secret=${SECRET}`, '100%%20Corp:alice')).entry.issuer).toBe('100% Corp');
  });

  it('decodes + in the issuer parameter as a space, and %2B as a plus', () => {
    expect(parseOtp(uri(`secret=${SECRET}&issuer=Air+Canada`, 'alice')).entry.issuer).toBe(
      'Air Canada',
    );
    expect(parseOtp(uri(`secret=${SECRET}&issuer=C%2B%2B+Club`, 'alice')).entry.issuer).toBe(
      'C++ Club',
    );
  });

  it('lets the issuer parameter win over a different label prefix, with a warning', () => {
    const parsed = parseOtp(uri(`secret=${SECRET}&issuer=Other`, 'Example:alice'));
    expect(parsed.entry.issuer).toBe('Other');
    expect(parsed.entry.account).toBe('alice');
    expect(parsed.warnings).toEqual([{ kind: 'issuer_mismatch', labelIssuer: 'Example' }]);
  });

  it('does not call a difference of case or spacing a mismatch', () => {
    expect(parseOtp(uri(`secret=${SECRET}&issuer=example`, 'Example:alice')).warnings).toEqual([]);
    expect(
      parseOtp(uri(`secret=${SECRET}&issuer=Big%20%20Corp`, 'Big%20Corp:alice')).warnings,
    ).toEqual([]);
  });

  it('keeps an issuer that holds a colon whole when the parameter names it', () => {
    const { entry } = parseOtp(uri(`secret=${SECRET}&issuer=A%3AB`, 'A%3AB:alice'));
    expect(entry.issuer).toBe('A:B');
    expect(entry.account).toBe('alice');
  });

  it('uses caller defaults only where the input names no issuer or account', () => {
    const defaults = { issuer: 'Record title', account: 'bob' };
    expect(parseOtp(SECRET, defaults).entry).toMatchObject(defaults);
    expect(parseOtp(uri(`secret=${SECRET}`), defaults).entry).toMatchObject({
      issuer: 'Example',
      account: 'alice@example.com',
    });
  });
});

describe('URI parameters', () => {
  it('reads scheme and type in any case and ignores a fragment and unknown parameters', () => {
    const { entry } = parseOtp(
      `OTPAUTH://TOTP/Example:alice?secret=${SECRET}&image=https%3A%2F%2Fx&color=%ZZ#frag`,
    );
    expect(entry.type).toBe('totp');
    expect(entry.secret).toBe(SECRET);
  });

  for (const [spelled, algorithm] of [
    ['sha1', 'SHA1'],
    ['sha256', 'SHA256'],
    ['SHA-256', 'SHA256'],
    ['HmacSHA512', 'SHA512'],
    ['sha_512', 'SHA512'],
  ]) {
    it(`reads algorithm=${spelled} as ${algorithm}`, () => {
      expect(parseOtp(uri(`secret=${SECRET}&algorithm=${spelled}`)).entry.algorithm).toBe(
        algorithm,
      );
    });
  }

  it('defaults to SHA1, 6 digits and 30 seconds', () => {
    expect(parseOtp(uri(`secret=${SECRET}`)).entry).toMatchObject({
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
  });

  it('accepts 6, 7 and 8 digits and any positive period', () => {
    for (const digits of [6, 7, 8]) {
      expect(parseOtp(uri(`secret=${SECRET}&digits=${digits}`)).entry.digits).toBe(digits);
    }
    for (const period of [1, 10, 60, 3600]) {
      const { entry } = parseOtp(uri(`secret=${SECRET}&period=${period}`));
      expect(entry.type === 'totp' && entry.period).toBe(period);
    }
  });

  it('reads an HOTP counter, and defaults a missing one to 0 with a warning', () => {
    const counted = parseOtp(uri(`secret=${SECRET}&counter=42`, 'Example:alice', 'hotp'));
    expect(counted.entry).toMatchObject({ type: 'hotp', counter: 42 });
    const missing = parseOtp(uri(`secret=${SECRET}`, 'Example:alice', 'hotp'));
    expect(missing.entry).toMatchObject({ type: 'hotp', counter: 0 });
    expect(missing.warnings).toContainEqual({ kind: 'hotp_counter_missing' });
  });

  it('flags secrets under 128 bits as weak but accepts them', () => {
    expect(parseOtp('JBSWY3DPEHPK3PXP').warnings).toEqual([{ kind: 'weak_secret', bits: 80 }]);
    expect(parseOtp('JBSWY3DP').warnings).toEqual([{ kind: 'weak_secret', bits: 40 }]);
    expect(parseOtp(SECRET).warnings).toEqual([]);
  });
});

describe('Steam Guard spellings', () => {
  const steamInputs: [string, string][] = [
    ['otpauth://steam/', `otpauth://steam/Steam:alice?secret=${SECRET}&digits=6`],
    ['encoder=steam', uri(`secret=${SECRET}&encoder=steam`, 'Valve:alice')],
    ['issuer=steam in lower case', uri(`secret=${SECRET}&issuer=steam`, 'alice')],
    ['a Steam label prefix only', uri(`secret=${SECRET}`, 'Steam:alice')],
    ['STEAM:// in capitals', `STEAM://${SECRET}`],
  ];
  for (const [what, input] of steamInputs) {
    it(`reads ${what} as a 5-character Steam entry`, () => {
      const { entry } = parseOtp(input);
      expect(entry.type).toBe('steam');
      expect(entry.digits).toBe(5);
    });
  }

  it('leaves an HOTP entry whose issuer is Steam as HOTP', () => {
    expect(parseOtp(uri(`secret=${SECRET}&counter=1`, 'Steam:alice', 'hotp')).entry.type).toBe(
      'hotp',
    );
  });
});

describe('malformed input is refused with a message that names the fault', () => {
  const bad: [string, unknown, string, RegExp][] = [
    ['an empty input', '', 'otp_invalid_secret', /Missing secret/],
    ['a non-string', 42, 'invalid_input', /must be text/],
    ['a web link', 'https://example.com/2fa', 'invalid_input', /Unknown scheme 'https:'/],
    ['another scheme', 'foo://bar', 'invalid_input', /Unknown scheme: expected otpauth/],
    [
      'an unknown type',
      `otpauth://xotp/a?secret=${SECRET}`,
      'otp_invalid_parameter',
      /Unknown one-time-code type/,
    ],
    [
      'a missing type',
      `otpauth:///a?secret=${SECRET}`,
      'otp_invalid_parameter',
      /Missing one-time-code type/,
    ],
    [
      'no // after the scheme',
      `otpauth:totp/a?secret=${SECRET}`,
      'invalid_input',
      /Malformed otpauth URI/,
    ],
    ['no secret parameter', uri('issuer=Example'), 'otp_invalid_secret', /no secret parameter/],
    ['an empty secret', uri('secret=&issuer=Example'), 'otp_invalid_secret', /no secret parameter/],
    ['a secret of only padding', uri('secret=%3D%3D%3D'), 'otp_invalid_secret', /Missing secret/],
    [
      'a digit 1 in the secret',
      'JBSWY3DP1HPK3PXP',
      'otp_invalid_secret',
      /position 9 .*0, 1, 8 and 9/,
    ],
    ['a digit 0 after spaces', 'jbsw y3dp 0hpk 3pxp', 'otp_invalid_secret', /position 11/],
    [
      'a symbol in the secret',
      'JBSWY3DP!HPK3PXP',
      'otp_invalid_secret',
      /position 9 .*A-Z and the digits 2-7/,
    ],
    ['a dotless i', 'JBSWY3DP\u0131HPK3PXP', 'otp_invalid_secret', /position 9/],
    ['a full-width letter', 'JBSWY3DP\uFF21HPK3PXP', 'otp_invalid_secret', /position 9/],
    [
      'padding inside the secret',
      'JBSW==Y3DPEHPK3PXP',
      'otp_invalid_secret',
      /padding at position 5/,
    ],
    ['a length no bytes fit', 'JBSWY3DPE', 'otp_invalid_secret', /9 base32 characters/],
    ['an over-long secret', 'A'.repeat(1032), 'otp_invalid_secret', /longer than 1024/],
    [
      'a repeated secret',
      uri(`secret=${SECRET}&secret=${SECRET}`),
      'otp_invalid_parameter',
      /'secret' appears more than once/,
    ],
    [
      'a repeated issuer',
      uri(`secret=${SECRET}&issuer=A&issuer=B`),
      'otp_invalid_parameter',
      /'issuer' appears more than once/,
    ],
    [
      'malformed %-escapes in the secret',
      uri('secret=JBSW%ZZY3DP'),
      'otp_invalid_secret',
      /'secret' has malformed percent-encoding/,
    ],
    [
      'malformed %-escapes in the issuer',
      uri(`secret=${SECRET}&issuer=%E0%A4`),
      'otp_invalid_parameter',
      /'issuer' has malformed/,
    ],
    [
      'malformed %-escapes in the label',
      uri(`secret=${SECRET}`, 'Ex%E0%A4:alice'),
      'invalid_input',
      /label has malformed/,
    ],
    [
      'MD5',
      uri(`secret=${SECRET}&algorithm=MD5`),
      'unsupported_algorithm',
      /Unsupported algorithm 'MD5'/,
    ],
    ['SHA384', uri(`secret=${SECRET}&algorithm=SHA384`), 'unsupported_algorithm', /'SHA384'/],
    [
      'a made-up algorithm',
      uri(`secret=${SECRET}&algorithm=ROT13`),
      'unsupported_algorithm',
      /Unsupported algorithm: one-time/,
    ],
    [
      '5 digits',
      uri(`secret=${SECRET}&digits=5`),
      'otp_invalid_parameter',
      /digits out of range \(5\)/,
    ],
    [
      '9 digits',
      uri(`secret=${SECRET}&digits=9`),
      'otp_invalid_parameter',
      /digits out of range \(9\)/,
    ],
    [
      'digits in words',
      uri(`secret=${SECRET}&digits=six`),
      'otp_invalid_parameter',
      /digits is not a whole number/,
    ],
    [
      'negative digits',
      uri(`secret=${SECRET}&digits=-6`),
      'otp_invalid_parameter',
      /digits is not a whole number/,
    ],
    [
      'period 0',
      uri(`secret=${SECRET}&period=0`),
      'otp_invalid_parameter',
      /period is not a positive integer/,
    ],
    [
      'a negative period',
      uri(`secret=${SECRET}&period=-30`),
      'otp_invalid_parameter',
      /period is not a positive integer/,
    ],
    [
      'a fractional period',
      uri(`secret=${SECRET}&period=30.5`),
      'otp_invalid_parameter',
      /period is not a positive integer/,
    ],
    [
      'an exponent period',
      uri(`secret=${SECRET}&period=1e3`),
      'otp_invalid_parameter',
      /period is not a positive integer/,
    ],
    [
      'a period over a year',
      uri(`secret=${SECRET}&period=99999999`),
      'otp_invalid_parameter',
      /period is too long/,
    ],
    [
      'a negative counter',
      uri(`secret=${SECRET}&counter=-1`, 'a', 'hotp'),
      'otp_invalid_parameter',
      /counter is not a whole number/,
    ],
    [
      'a counter past 2^53',
      uri(`secret=${SECRET}&counter=9007199254740993`, 'a', 'hotp'),
      'otp_invalid_parameter',
      /counter must be a whole number/,
    ],
    [
      'an over-long issuer',
      uri(`secret=${SECRET}&issuer=${'x'.repeat(600)}`),
      'invalid_input',
      /issuer is longer than 512/,
    ],
    [
      'an over-long input',
      `otpauth://totp/a?secret=${SECRET}&x=${'y'.repeat(70000)}`,
      'invalid_input',
      /longer than 65536/,
    ],
    [
      'a migration export',
      'otpauth-migration://offline?data=AAAA',
      'invalid_input',
      /Google Authenticator export \(otpauth-migration\)/,
    ],
  ];
  for (const [what, input, code, message] of bad) {
    it(`refuses ${what}`, () => {
      const error = rejection(() => parseOtp(input as string));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }

  it('never echoes the secret in any of these messages', () => {
    const canary = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA';
    const inputs = [
      `${canary}1`,
      `${canary}!`,
      `${canary}E`,
      uri(`secret=${canary}%ZZ`),
      uri(`secret=${canary}&secret=${canary}`),
      uri(`secret=${canary}&digits=${canary}`),
      uri(`secret=${canary}&period=${canary}`),
      uri(`secret=${canary}&algorithm=${canary}`),
      `otpauth://${canary}/a?secret=${canary}`,
      `${canary}://x`,
      `steam://${canary}0`,
    ];
    for (const input of inputs) {
      const message = rejection(() => parseOtp(input)).message.toUpperCase();
      expect(message).not.toContain(canary.slice(0, 8));
      expect(message).not.toContain(canary.slice(-8));
    }
  });
});

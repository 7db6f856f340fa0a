// The test's own RFC 6238 implementation against the RFC's SHA-1 test vectors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { totp } from '../lib/totp.js';

test('TOTP matches the RFC 6238 SHA-1 test vectors', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"
  const vectors = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  for (const [time, code] of vectors) assert.equal(totp(secret, time, { digits: 8 }), code);
  assert.equal(totp(secret, 59), '287082');
});

import { describe, expect, it } from 'vitest';
import { DESNOGORSK, ORG_SMOLENSK, SMOLENSK, allowed } from '../../../tests/support/actors.js';
import { completenessPolicy, parsePercent, registerPolicy } from './registers.js';

const register = {
  organizationId: ORG_SMOLENSK,
  municipalityId: SMOLENSK,
  month: '2026-11-01',
  kind: 'invoice',
} as const;

describe('register policy', () => {
  it('read: the provider’s staff, the payer’s administrator, the coordinator', () => {
    expect(allowed(registerPolicy, 'read', register)).toEqual([
      'orgSmolensk',
      'adminSmolensk',
      'coordinator',
    ]);
  });

  it('set the status: the payer’s administrator only', () => {
    expect(allowed(registerPolicy, 'set_status', register)).toEqual(['adminSmolensk']);
    expect(allowed(registerPolicy, 'set_status', { ...register, municipalityId: DESNOGORSK })).toEqual([
      'adminDesnogorsk',
    ]);
  });

  it('completeness: the contract’s organization’s staff only', () => {
    expect(allowed(completenessPolicy, 'enter', { organizationId: ORG_SMOLENSK })).toEqual(['orgSmolensk']);
  });
});

describe('completeness input', () => {
  it('takes 0–100 whole, empty as not entered, refuses the rest', () => {
    expect(parsePercent('0')).toEqual({ ok: true, value: 0 });
    expect(parsePercent(' 100 ')).toEqual({ ok: true, value: 100 });
    expect(parsePercent('')).toEqual({ ok: true, value: null });
    for (const text of ['101', '-1', '50,5', 'сто', '1e2']) expect(parsePercent(text).ok).toBe(false);
  });
});

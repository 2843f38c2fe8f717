import { describe, expect, it } from 'vitest';
import { ACTORS, DESNOGORSK, SMOLENSK, allowed } from '../../../tests/support/actors.js';
import { reportMunicipality, reportPolicy } from './policy.js';

describe('report policy', () => {
  it('read a municipality: its own administrator and the coordinator', () => {
    expect(allowed(reportPolicy, 'read', { municipalityId: SMOLENSK })).toEqual([
      'adminSmolensk',
      'coordinator',
    ]);
    expect(allowed(reportPolicy, 'read', { municipalityId: DESNOGORSK })).toEqual([
      'adminDesnogorsk',
      'coordinator',
    ]);
  });

  it('read the region, enter the population: the coordinator only', () => {
    expect(allowed(reportPolicy, 'read', { municipalityId: null })).toEqual(['coordinator']);
    for (const municipalityId of [null, SMOLENSK])
      expect(allowed(reportPolicy, 'update_population', { municipalityId })).toEqual(['coordinator']);
  });

  it('the municipality a report shows: the administrator their own by default, never another', () => {
    expect(reportMunicipality(ACTORS.adminSmolensk, null)).toBe(SMOLENSK);
    expect(reportMunicipality(ACTORS.adminSmolensk, SMOLENSK)).toBe(SMOLENSK);
    expect(reportMunicipality(ACTORS.adminSmolensk, DESNOGORSK)).toBeUndefined();
    expect(reportMunicipality(ACTORS.coordinator, null)).toBeNull();
    expect(reportMunicipality(ACTORS.coordinator, DESNOGORSK)).toBe(DESNOGORSK);
    for (const name of ['guest', 'parentA', 'orgSmolensk'] as const)
      expect(reportMunicipality(ACTORS[name], SMOLENSK)).toBeUndefined();
  });
});

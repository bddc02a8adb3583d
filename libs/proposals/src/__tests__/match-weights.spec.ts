import { DEFAULT_MATCH_WEIGHTS } from '@chanxiao/matching';
import { matchWeightsFrom } from '../matching/match-facts';

describe('MATCH_WEIGHTS', () => {
  it('is the defaults when unset, and merges a partial JSON object over them', () => {
    expect(matchWeightsFrom({ MATCH_WEIGHTS: '' })).toEqual(DEFAULT_MATCH_WEIGHTS);
    expect(matchWeightsFrom({ MATCH_WEIGHTS: '{"supervisedCounty":8,"stalled":2}' })).toEqual({ ...DEFAULT_MATCH_WEIGHTS, supervisedCounty: 8, stalled: 2 });
  });

  it('stops start-up naming what is wrong: bad JSON, an unknown weight, a value out of range, the county order', () => {
    for (const bad of ['{supervised:8', 'null', '[1]', '7']) expect(() => matchWeightsFrom({ MATCH_WEIGHTS: bad })).toThrow(/MATCH_WEIGHTS must be a JSON object/);
    expect(() => matchWeightsFrom({ MATCH_WEIGHTS: '{"supervised":8}' })).toThrow(/unknown weights supervised/);
    expect(() => matchWeightsFrom({ MATCH_WEIGHTS: '{"stalled":-1}' })).toThrow(/stalled must be in \[0, 100\], got -1/);
    expect(() => matchWeightsFrom({ MATCH_WEIGHTS: '{"supervisedCounty":2,"povertyCounty":3}' })).toThrow(/supervisedCounty must exceed povertyCounty/);
  });
});

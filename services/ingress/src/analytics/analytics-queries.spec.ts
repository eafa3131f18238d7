import { GatewayError } from '@aigw/core';
import { describe, expect, it } from 'vitest';
import { parseDimensions } from './analytics-dimensions';
import { parseTimeRange } from './analytics-time-range';
import { guardrailsQuery } from './event-queries';
import { searchRequestsQuery } from './request-explorer-queries';
import { usageQuery, usageSource } from './usage-queries';

const now = new Date('2026-03-10T12:00:00.000Z');
const range = parseTimeRange('7d', undefined, now);

describe('parseDimensions', () => {
  it('accepts whitelisted dimensions, groups and tag keys', () => {
    expect(parseDimensions('tag:team, model,group,endpoint_tag:cost_center')).toEqual([
      { kind: 'tag', name: 'tag:team', key: 'team' },
      { kind: 'column', name: 'model' },
      { kind: 'group', name: 'group' },
      { kind: 'endpoint_tag', name: 'endpoint_tag:cost_center', key: 'cost_center' },
    ]);
    expect(parseDimensions(undefined)).toEqual([]);
  });

  it('refuses anything else with a 400 naming the parameter', () => {
    for (const by of ['cost_usd', 'tag:te am', 'tag:`x`', 'model,model', 'a,b,c,d,e', 'tag:']) {
      expect(() => parseDimensions(by)).toThrow(GatewayError);
    }
  });
});

describe('parseTimeRange', () => {
  it('reads durations back from now and ISO times', () => {
    expect(parseTimeRange('24h', undefined, now).since.toISOString()).toBe(
      '2026-03-09T12:00:00.000Z',
    );
    expect(parseTimeRange('2026-03-01', '2026-03-02T00:00:00Z', now)).toEqual({
      since: new Date('2026-03-01T00:00:00.000Z'),
      until: new Date('2026-03-02T00:00:00.000Z'),
    });
  });

  it('refuses unreadable or inverted ranges', () => {
    expect(() => parseTimeRange('yesterday', undefined, now)).toThrow('since: use a duration');
    expect(() => parseTimeRange('1d', '2d', now)).toThrow('since must be before until');
  });
});

describe('usage queries', () => {
  it('reads the rollup for one multi-valued dimension, with every value bound', () => {
    const dimensions = parseDimensions('day,tag:team');
    expect(usageSource(dimensions, {})).toBe('cost_daily');
    const query = usageQuery(dimensions, range, { principal: "alice' OR 1=1" }, 'cost', 100);
    expect(query.sql).toContain('FROM cost_daily');
    expect(query.sql).toContain('value AS `tag:team`');
    expect(query.sql).not.toContain('alice');
    expect(Object.values(query.params)).toEqual(
      expect.arrayContaining(['tag:team', "alice' OR 1=1", '2026-03-03 12:00:00.000', '100']),
    );
  });

  it('reads requests for two multi-valued dimensions or a tag filter', () => {
    expect(usageSource(parseDimensions('group,tag:team'), {})).toBe('requests');
    expect(usageSource(parseDimensions('model'), { tag: { key: 'team', value: 'x' } })).toBe(
      'requests',
    );
    const query = usageQuery(parseDimensions('group,tag:team'), range, {}, 'requests', 10);
    expect(query.sql).toContain('requests FINAL ARRAY JOIN groups AS group_name');
    expect(query.sql).toMatch(/tags\[\{p\d+:String\}\] AS `tag:team`/);
  });
});

describe('other report queries', () => {
  it('binds the search term and the guardrail window', () => {
    const search = searchRequestsQuery("x'; DROP TABLE requests; --", range, {}, 5);
    expect(search.sql).not.toContain('DROP');
    expect(Object.values(search.params)).toContain("x'; DROP TABLE requests; --");
    expect(() => guardrailsQuery('verdict,secret', range, 10)).toThrow('unknown dimension');
  });
});

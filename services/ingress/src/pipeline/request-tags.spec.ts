import { describe, expect, it } from 'vitest';
import { GatewayError } from '@aigw/core';
import { parseRequestTags } from './request-tags';

describe('parseRequestTags', () => {
  it('parses key=value pairs', () => {
    expect(parseRequestTags('team=search, env=prod')).toEqual({ team: 'search', env: 'prod' });
    expect(parseRequestTags(undefined)).toEqual({});
  });

  it.each(['team', 'Team=x', 'team=', 'a=b,a=c', 'team=a b', 'x=<script>'])(
    'refuses %s',
    (header) => {
      expect(() => parseRequestTags(header)).toThrow(GatewayError);
    },
  );
});

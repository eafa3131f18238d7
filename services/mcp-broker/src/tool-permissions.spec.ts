import { describe, expect, it } from 'vitest';
import { PrincipalKind } from '@aigw/contracts';
import { compileToolPattern, ToolPermissions } from './tool-permissions';

const principal = (id: string, groups: string[] = []) => ({
  id,
  kind: PrincipalKind.PRINCIPAL_KIND_USER,
  groups,
  roles: [],
  tags: {},
});

describe('ToolPermissions', () => {
  it('allows every tool when no allow-list is given, except the denied ones', () => {
    const tools = new ToolPermissions({ deny: ['get-env', 'admin_*'], grants: {} });
    expect(tools.permits('echo', principal('alice'))).toBe(true);
    expect(tools.permits('get-env', principal('alice'))).toBe(false);
    expect(tools.permits('admin_delete', principal('alice'))).toBe(false);
  });

  it('limits to the allow-list, and deny wins over allow', () => {
    const tools = new ToolPermissions({ allow: ['get-*'], deny: ['get-env'], grants: {} });
    expect(tools.permits('get-sum', principal('alice'))).toBe(true);
    expect(tools.permits('echo', principal('alice'))).toBe(false);
    expect(tools.permits('get-env', principal('alice'))).toBe(false);
  });

  it('keeps a granted tool to the listed principals and groups', () => {
    const tools = new ToolPermissions({
      deny: [],
      grants: { 'deploy*': { principals: ['alice'], groups: ['ops'] } },
    });
    expect(tools.permits('deploy', principal('alice'))).toBe(true);
    expect(tools.permits('deploy-prod', principal('bob', ['ops']))).toBe(true);
    expect(tools.permits('deploy', principal('bob', ['eng']))).toBe(false);
    expect(tools.permits('echo', principal('bob'))).toBe(true);
  });

  it('treats pattern characters other than * literally', () => {
    expect(compileToolPattern('a.b').test('axb')).toBe(false);
    expect(compileToolPattern('a.b').test('a.b')).toBe(true);
    expect(compileToolPattern('*').test('anything/at:all')).toBe(true);
  });
});

import { type Connection, type Principal } from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';

/**
 * The MCP connections of the config and who may use them (deny by default). Upstream sessions
 * and tool forwarding build on this.
 */
export class ConnectionDirectory {
  constructor(private readonly config: ConfigSource) {}

  visibleTo(principal: Principal | undefined): Connection[] {
    if (!principal) return [];
    const connections = this.config.current().raw.mcp.connections;
    return Object.entries(connections)
      .filter(
        ([, connection]) =>
          connection.allow.principals.includes(principal.id) ||
          principal.groups.some((group) => connection.allow.groups.includes(group)),
      )
      .map(([name, connection]) => ({ name, transport: 'streamable-http', auth: connection.auth }));
  }
}

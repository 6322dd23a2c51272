import type { AgentInfo } from '@quorate/protocol';
import { catalogWith } from '../agent-metadata/catalog.js';
import type { AgentCatalog, AgentMetadata } from '../agent-metadata/model.js';

type WireAgentMetadata = AgentInfo['resourceAgents'][number];

/** An agent's meta-data as the agents' console API carries it, in the core's model. */
export function metadataFromWire(agent: WireAgentMetadata): AgentMetadata {
  return {
    ...agent,
    parameters: agent.parameters.map((p) => ({
      ...p,
      inherit: p.inherit,
      defaultValue: p.defaultValue,
    })),
    actions: agent.actions.map((a) => ({
      name: a.name,
      timeoutS: a.timeoutS,
      intervalS: a.intervalS,
      depth: a.depth,
    })),
    maxInstances: agent.maxInstances,
  };
}

/** The built-in types with the agents' own meta-data over them (see `catalogWith`). */
export function catalogFromWire(agents: readonly WireAgentMetadata[]): AgentCatalog {
  return catalogWith(agents.map(metadataFromWire));
}

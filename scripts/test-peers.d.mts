// Types of test-peers.mjs for the TypeScript tests that import it.
export interface Peer { bin?: string; file?: string; pkg: string }
export interface MissingPeer { what: string; pkg: string }
export const PEERS: Peer[];
export function missingPeers(env?: Record<string, string | undefined>, exists?: (path: string) => boolean): MissingPeer[];
export function installCommand(packages: string[]): string;
export function missingMessage(missing: MissingPeer[], root?: boolean): string;

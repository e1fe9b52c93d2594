/** The caller's address as @hono/node-server sees it (null under app.request in tests). */
export function clientIp(env: unknown): string | null {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

/**
 * The signed-in session: the access token and its expiry, kept in
 * localStorage so a reload stays signed in. The token is the only credential;
 * what the viewer may see is decided by the API on every request.
 */

export interface Session {
  token: string;
  expiresAt: string | null;
}

export type SignOutReason = 'signed-out' | 'expired';

const KEY = 'vantage.session';
type Listener = (session: Session | null, reason?: SignOutReason) => void;
const listeners = new Set<Listener>();
let current: Session | null = read();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
/** Why the last session ended, for a sign-in page that mounts after the fact (e.g. a reload with an expired token). */
let lastReason: SignOutReason | undefined;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    if (typeof parsed.token !== 'string') return null;
    return parsed;
  } catch {
    return null;
  }
}

function isExpired(session: Session): boolean {
  return session.expiresAt !== null && Date.parse(session.expiresAt) <= Date.now();
}

function schedule(): void {
  clearTimeout(expiryTimer);
  if (!current?.expiresAt) return;
  // setTimeout overflows above ~24.8 days; such tokens are re-checked on each request anyway.
  const ms = Math.min(Date.parse(current.expiresAt) - Date.now(), 2 ** 31 - 1);
  expiryTimer = setTimeout(() => end('expired'), Math.max(ms, 0));
}

function emit(reason?: SignOutReason): void {
  for (const l of listeners) l(current, reason);
}

export function getSession(): Session | null {
  if (current && isExpired(current)) {
    end('expired');
    return null;
  }
  return current;
}

export function getToken(): string | null {
  return getSession()?.token ?? null;
}

export function start(session: Session): void {
  current = session;
  lastReason = undefined;
  localStorage.setItem(KEY, JSON.stringify(session));
  schedule();
  emit();
}

/** Ends the session; `expired` tells the sign-in page to say why. */
export function end(reason: SignOutReason): void {
  if (!current) return;
  current = null;
  lastReason = reason;
  clearTimeout(expiryTimer);
  localStorage.removeItem(KEY);
  emit(reason);
}

export function endReason(): SignOutReason | undefined {
  return lastReason;
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Another tab signing in or out.
window.addEventListener('storage', (e) => {
  if (e.key !== KEY) return;
  const next = read();
  const wasSignedIn = current !== null;
  current = next;
  schedule();
  emit(wasSignedIn && !next ? 'signed-out' : undefined);
});

schedule();

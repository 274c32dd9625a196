/**
 * Children that outlive a killed hub. A hub stopped normally stops its children; a SIGKILLed
 * one (or a crashed terminal) cannot, and Java (DynamoDB Local) would keep running and holding
 * its port and data lock. `reapWithParent` starts a small detached watcher that checks every
 * second whether this process still lives, and when it does not, stops the child (SIGTERM,
 * then SIGKILL after 3 s). The watcher ends by itself when the child ends.
 */
import { spawn } from 'node:child_process';

const WATCHER = `
const [parent, child] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const timer = setInterval(() => {
  if (!alive(child)) process.exit(0);
  if (alive(parent)) return;
  clearInterval(timer);
  try { process.kill(child, 'SIGTERM'); } catch {}
  setTimeout(() => { try { process.kill(child, 'SIGKILL'); } catch {} process.exit(0); }, 3000);
}, 1000);
`;

/** Stops `childPid` once this process is gone, however it went. */
export function reapWithParent(childPid: number): void {
  const watcher = spawn(process.execPath, ['-e', WATCHER, String(process.pid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  watcher.unref();
}

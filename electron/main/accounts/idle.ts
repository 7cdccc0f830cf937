// Auto-away (issue 4): after N idle minutes "Away", after M "Extended away", back to what the
// user chose when they return — with XEP-0319 <idle since/> in the presence meanwhile. The system
// idle time comes through IdleMonitor: Electron's powerMonitor on the desktop
// (electron/main/electron/idle-monitor.ts), a settable one for tests and web mode.
import type { Show } from '../../../shared/domain';
import type { AutoAwaySettings } from '../../../shared/ipc/profile-contract';

export interface IdleMonitor {
  /** Seconds since the user last touched keyboard or mouse (the whole system, not just Flint). */
  systemIdleSeconds(): number;
}

/** Web mode without test hooks: no system idle time is available, so never idle. */
export const neverIdle: IdleMonitor = { systemIdleSeconds: () => 0 };

/**
 * For tests and web mode with FLINT_TEST_HOOKS=1: idle time as set, growing with the clock from
 * then on like a real one would while nobody touches anything.
 */
export class ManualIdleMonitor implements IdleMonitor {
  private seconds = 0;
  private setAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.setAt = now();
  }

  set(seconds: number): void {
    this.seconds = seconds;
    this.setAt = this.now();
  }

  systemIdleSeconds(): number {
    return this.seconds + Math.max(0, Math.floor((this.now() - this.setAt) / 1000));
  }
}

export type AutoShow = 'away' | 'xa';

/** What auto-away wants for this much idle time (null: the user's own choice stands). */
export function autoAwayShow(idleSeconds: number, settings: AutoAwaySettings, chosen: Show): AutoShow | null {
  // Only an available user is made away: someone who chose Away or Do not disturb keeps it.
  if (!settings.enabled || (chosen !== 'available' && chosen !== 'chat')) return null;
  if (idleSeconds >= settings.xaMinutes * 60) return 'xa';
  if (idleSeconds >= settings.awayMinutes * 60) return 'away';
  return null;
}

export interface AutoAwayDeps {
  monitor: IdleMonitor;
  settings(): AutoAwaySettings;
  /** The presence the user chose (what we return to). */
  chosen(): { show: Show; status?: string };
  online(): boolean;
  /** Broadcast this presence; `idleSince` (epoch ms) goes out as XEP-0319 <idle/>, null sends none. */
  apply(show: Show, status: string | undefined, idleSince: number | null): void;
  now(): number;
}

export class AutoAway {
  private active: AutoShow | null = null;
  private since: number | null = null;

  constructor(private readonly deps: AutoAwayDeps) {}

  /** Whether our presence is auto-away now. */
  get state(): AutoShow | null {
    return this.active;
  }

  /** Read the idle time and change presence when a threshold was crossed either way. */
  check(): void {
    if (!this.deps.online()) return;
    const chosen = this.deps.chosen();
    const idle = this.deps.monitor.systemIdleSeconds();
    const target = autoAwayShow(idle, this.deps.settings(), chosen.show);
    if (target === this.active) return;
    if (target === null) {
      this.active = null;
      this.since = null;
      this.deps.apply(chosen.show, chosen.status, null);
      return;
    }
    // Away → extended away keeps the moment the user left.
    this.since ??= this.deps.now() - idle * 1000;
    this.active = target;
    this.deps.apply(target, chosen.status, this.since);
  }

  /**
   * A new stream sent the user's chosen presence (or the user chose one): we are not away any
   * more as far as the server knows; the next check() decides afresh.
   */
  reset(): void {
    this.active = null;
    this.since = null;
  }
}

// Rate and time left for a progress bar: an exponentially weighted rate over ~1 s, so the number
// neither jumps with every chunk nor lags for long after a stall.
export class RateMeter {
  private lastBytes = 0;
  private lastAt: number;
  rate = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly tauMs = 1000,
  ) {
    this.lastAt = now();
  }

  /** Feed the running byte count; returns the smoothed rate (bytes/s). */
  update(bytes: number): number {
    const t = this.now();
    const dt = t - this.lastAt;
    if (dt < 50) return this.rate;
    const instant = ((bytes - this.lastBytes) * 1000) / dt;
    const alpha = 1 - Math.exp(-dt / this.tauMs);
    this.rate = this.rate === 0 ? instant : this.rate + alpha * (instant - this.rate);
    this.lastBytes = bytes;
    this.lastAt = t;
    return this.rate;
  }

  /** Seconds left for `size` at the current rate; undefined when unknown. */
  eta(bytes: number, size: number | undefined): number | undefined {
    if (size === undefined || this.rate <= 0) return undefined;
    return Math.max(0, Math.ceil((size - bytes) / this.rate));
  }
}

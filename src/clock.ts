// The one source of "now", so that tests can move time (link expiry, reminders) without waiting.
export interface Clock {
  now(): number
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() })

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.now()) {}
  now(): number {
    return this.current
  }
  set(ms: number): void {
    this.current = ms
  }
  advance(ms: number): void {
    this.current += ms
  }
}

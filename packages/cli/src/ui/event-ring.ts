/** One event of the lab: what changed (`state`, `link`, `netem`, `added`, `removed`, `output`, `reset`) and how. */
export interface LabEvent {
  /** `EPOCH.N`: N counts up; the epoch tells one server's events from another's. */
  id: string
  kind: string
  data: unknown
}

/**
 * The last events, so that a client that reconnects with `Last-Event-ID` gets what it missed: `since` answers the
 * events after an id, or undefined when the id is not one of these (too far behind, or another server's), for which
 * the client is sent the whole state instead.
 */
export class EventRing {
  private readonly events: LabEvent[] = []
  private count = 0

  constructor(
    private readonly size: number,
    private readonly epoch = Date.now().toString(36),
  ) {}

  push(kind: string, data: unknown): LabEvent {
    this.count += 1
    const event = { id: `${this.epoch}.${this.count}`, kind, data }
    this.events.push(event)
    if (this.events.length > this.size) this.events.shift()
    return event
  }

  /** The id of the last event (what a `reset` stands at). */
  lastId(): string {
    return `${this.epoch}.${this.count}`
  }

  since(lastId: string): LabEvent[] | undefined {
    if (lastId === this.lastId()) return []
    const at = this.events.findIndex((event) => event.id === lastId)
    return at < 0 ? undefined : this.events.slice(at + 1)
  }
}

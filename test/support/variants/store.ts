// The in-memory database. Rule checks read the committed state (the primary, with its unique index on phone numbers);
// reads of a user may lag behind it: a write-behind queue applies writes lagMs later, or reads go to a replica.
import type { Case, Organization, Patch, User } from "./domain.js";
import type { Knobs } from "./knobs.js";
import type { QaData } from "./qa-accounts.js";

type Consistency = Knobs["consistency"];

interface QueuedWrite {
  user: User;
  dueAt: number;
}

const copy = (user: User): User => ({ ...user });

export class Store {
  readonly organizations: readonly Organization[];
  readonly cases: readonly Case[];
  /** The primary: every rule is checked against it. */
  private readonly committed = new Map<string, User>();
  /** What the table holds: equal to the primary unless writes are queued behind. */
  private readonly applied: Map<string, User>;
  /** What reads see: the table, or a replica of it refreshed lagMs after a write. */
  private replica: Map<string, User>;
  private readonly queue: QueuedWrite[] = [];
  private queueTimer: NodeJS.Timeout | undefined;
  private replicaTimer: NodeJS.Timeout | undefined;
  private replicaStale = false;
  private waiting: (() => void)[] = [];

  constructor(
    data: QaData,
    private readonly consistency: Consistency,
    private readonly lagMs: number,
  ) {
    this.organizations = data.organizations;
    this.cases = data.cases;
    for (const user of data.users) this.committed.set(user.id, copy(user));
    this.applied = consistency === "writeBehind" ? new Map([...this.committed].map(([id, u]) => [id, copy(u)])) : this.committed;
    this.replica = this.snapshot();
  }

  organizationByKey(apiKey: string): Organization | undefined {
    return this.organizations.find((org) => org.apiKey === apiKey);
  }

  /** The committed user with this email, compared exactly or case-insensitively. */
  userByEmail(email: string, caseInsensitive: boolean): User | undefined {
    const wanted = caseInsensitive ? email.toLowerCase() : email;
    for (const user of this.committed.values()) if ((caseInsensitive ? user.email.toLowerCase() : user.email) === wanted) return copy(user);
    return undefined;
  }

  casesOf(userId: string): Case[] {
    return this.cases.filter((c) => c.userId === userId);
  }

  /** Committed users holding this phone number, in any organization. */
  phoneHolders(phoneNumber: string): User[] {
    return [...this.committed.values()].filter((u) => u.phoneNumber === phoneNumber).map(copy);
  }

  usersOf(organizationId: string): User[] {
    return [...this.committed.values()].filter((u) => u.organizationId === organizationId).map(copy);
  }

  /** Commits a patch and answers the user as committed; the table gets it now or lagMs later. */
  write(userId: string, patch: Patch, updatedAt: string): User {
    const current = this.committed.get(userId);
    if (!current) throw new Error(`No user ${userId} to write: look the user up first.`);
    const next: User = { ...current, ...patch, updatedAt };
    this.commit(next);
    return copy(next);
  }

  insert(user: User): void {
    this.commit(copy(user));
  }

  /** A user as reads see it (the replica, or the table behind a write-behind queue). */
  read(userId: string): User | undefined {
    const user = this.readView().get(userId);
    return user && copy(user);
  }

  readAll(): User[] {
    return [...this.readView().values()].map(copy);
  }

  /** The table's rows as they are now. */
  tableRows(): User[] {
    return [...this.applied.values()].map(copy);
  }

  /** Resolves once every queued write is in the table and the replica has caught up with it. */
  settled(): Promise<void> {
    if (this.queue.length === 0 && !this.replicaStale) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    clearTimeout(this.queueTimer);
    clearTimeout(this.replicaTimer);
    this.queue.length = 0;
    this.replicaStale = false;
    this.wake();
  }

  private commit(user: User): void {
    this.committed.set(user.id, user);
    if (this.consistency === "writeBehind") {
      this.queue.push({ user: copy(user), dueAt: Date.now() + this.lagMs });
      this.scheduleQueue();
    } else if (this.consistency === "staleReplica") {
      // The replica is refreshed lagMs after the first write it has not seen (at most once every lagMs).
      this.replicaStale = true;
      this.replicaTimer ??= setTimeout(() => this.refreshReplica(), this.lagMs);
    }
  }

  private readView(): Map<string, User> {
    return this.consistency === "staleReplica" ? this.replica : this.applied;
  }

  private snapshot(): Map<string, User> {
    return new Map([...this.applied].map(([id, u]) => [id, copy(u)]));
  }

  private refreshReplica(): void {
    this.replicaTimer = undefined;
    this.replica = this.snapshot();
    this.replicaStale = false;
    this.wake();
  }

  private scheduleQueue(): void {
    if (this.queueTimer !== undefined || this.queue.length === 0) return;
    const first = this.queue[0] as QueuedWrite;
    this.queueTimer = setTimeout(
      () => {
        this.queueTimer = undefined;
        const now = Date.now();
        while (this.queue.length > 0 && (this.queue[0] as QueuedWrite).dueAt <= now) {
          const { user } = this.queue.shift() as QueuedWrite;
          this.applied.set(user.id, user);
        }
        this.scheduleQueue();
        this.wake();
      },
      Math.max(0, first.dueAt - Date.now()),
    );
  }

  private wake(): void {
    if (this.queue.length > 0 || this.replicaStale) return;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

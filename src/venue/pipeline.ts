// The one command pipeline: validate -> apply -> commit -> publish -> answer. Commands
// run synchronously, one at a time (single writer), and change the state at once; their
// answers are handed out only after the group commit of their event-loop turn
// (group-commit.ts), so a caller never sees uncommitted state. Listeners hear each
// committed batch's events before its callers are answered. A failed commit rebuilds
// the state from the store, so memory never runs ahead of disk; while the store cannot
// be read, every command and read is refused with -1001.

import { VenueError } from "../domain/errors.js";
import type { JournalRow, Store } from "../store/store.js";
import type { VenueEvent } from "./events.js";
import { GroupCommit, type OpenBatch } from "./group-commit.js";
import type { Draw } from "./ids.js";
import { type JournalCommand, journalRow } from "./journal.js";
import type { MarketEvent } from "./market-events.js";
import type { VenueState } from "./state.js";

export type VenueLog = (message: string, error?: unknown) => void;

export class Pipeline {
  /**
   * Runs after every command, inside it: the work its changes set off (conditional orders
   * whose price it moved fire and place their orders, conditional.ts).
   */
  afterApply: (() => void) | undefined;
  private replayedDraws: readonly Draw[] | undefined;
  /** Journal entries of commands that changed nothing, waiting for a batch with changes. */
  private waiting: JournalRow[] = [];
  /** Set when memory could not be rebuilt after a failed commit: refuse work until a rebuild succeeds. */
  private stale = false;
  private readonly commits: GroupCommit;
  private readonly marketListeners = new Set<(events: readonly MarketEvent[]) => void>();
  /** Each listener with the accounts it wants events for. */
  private readonly listeners = new Map<
    (events: readonly VenueEvent[]) => void,
    (accountId: number) => boolean
  >();

  constructor(
    private readonly store: Store,
    private readonly state: VenueState,
    private readonly log: VenueLog,
  ) {
    this.commits = new GroupCommit(
      (batch) => this.store.commit(batch.toBatch(this.state.counters())),
      (error) => {
        this.log("commit failed; rebuilding state from the store", error);
        this.rebuild();
      },
      (batch) => {
        this.publish(batch.events);
        this.publishMarket(batch.marketEvents);
      },
    );
    this.state.load(this.store.load());
  }

  private rebuild(): boolean {
    // Their sequence numbers were handed out after the store's: they would clash.
    this.waiting = [];
    try {
      this.state.load(this.store.load());
      this.stale = false;
    } catch (error) {
      this.stale = true;
      this.log("cannot read the store; refusing commands until it can be read", error);
    }
    return !this.stale;
  }

  /** The batch the running command records its changes and events in. */
  batch(): OpenBatch {
    return this.commits.current();
  }

  /**
   * Runs a command now and answers after its batch commits. A rejected command changed
   * nothing, but its answer may rest on state still being committed, so it waits too;
   * if that commit fails, the honest answer is "failed, try again" (-1001).
   */
  run<T>(apply: () => T, journal?: JournalCommand): Promise<T> {
    if (this.stale && !this.rebuild()) return Promise.reject(new VenueError("DISCONNECTED"));
    let result: T;
    this.state.ids.begin(this.replayedDraws);
    this.replayedDraws = undefined;
    try {
      result = apply();
      this.afterApply?.();
    } catch (error) {
      // A refused command is journaled too: a replay refuses it alike, with what it did first.
      if (journal) this.note(journal);
      if (!this.commits.pending) return Promise.reject(error);
      return this.commits.settled().then(
        () => Promise.reject(error),
        () => Promise.reject(new VenueError("DISCONNECTED")),
      );
    }
    if (journal) this.note(journal);
    if (!this.commits.pending) return Promise.resolve(result);
    return this.commits.settled().then(
      () => result,
      () => Promise.reject(new VenueError("DISCONNECTED")),
    );
  }

  /**
   * Notes the command that ran, with what it drew, in its batch's journal. A command that
   * changed nothing to commit (a scheduled step with nothing due, a refused order) does
   * not make a commit of its own: its entry waits for the next batch that has changes,
   * in its place in the sequence, so an idle venue does not write every second; of a run
   * of such steps with nothing between them only the last is kept, as running it alone
   * does the same.
   */
  private note(journal: JournalCommand): void {
    const draws = this.state.ids.end();
    if (this.commits.pending) {
      const batch = this.batch();
      if (this.waiting.length > 0) batch.journal.push(...this.waiting.splice(0));
      batch.journal.push(journalRow(this.state.nextJournalSeq++, journal, draws));
      return;
    }
    const last = this.waiting[this.waiting.length - 1];
    if (journal.kind === "advance" && last?.kind === "advance" && draws === undefined)
      this.waiting[this.waiting.length - 1] = journalRow(last.seq, journal, undefined);
    else this.waiting.push(journalRow(this.state.nextJournalSeq++, journal, draws));
  }

  /** The draws the next command takes back instead of drawing: a journal entry's, on replay. */
  replayDraws(draws: readonly Draw[] | undefined): void {
    this.replayedDraws = draws;
  }

  /** Runs a read after everything applied so far is committed: reads never see uncommitted state. */
  read<T>(fn: () => T): Promise<T> {
    if (this.stale && !this.rebuild()) return Promise.reject(new VenueError("DISCONNECTED"));
    if (!this.commits.pending) {
      try {
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.commits.settled().then(fn, () => Promise.reject(new VenueError("DISCONNECTED")));
  }

  /** Settles once everything applied so far is durable. */
  flushed(): Promise<void> {
    return this.commits.settled();
  }

  /**
   * Hears every committed batch's events, in commit order. A listener runs before the
   * batch's callers are answered, so a stream never lags the REST answer it matches.
   * `wants` names the accounts it needs events for: events nobody wants are not built,
   * which keeps them off the hot path of accounts without a stream.
   */
  subscribe(
    listener: (events: readonly VenueEvent[]) => void,
    wants: (accountId: number) => boolean = () => true,
  ): () => void {
    this.listeners.set(listener, wants);
    return () => this.listeners.delete(listener);
  }

  /** Whether any listener wants the account's events. */
  wanted(accountId: number): boolean {
    for (const wants of this.listeners.values()) if (wants(accountId)) return true;
    return false;
  }

  /** Hears every committed batch's market events (book diffs), in commit order. */
  subscribeMarket(listener: (events: readonly MarketEvent[]) => void): () => void {
    this.marketListeners.add(listener);
    return () => this.marketListeners.delete(listener);
  }

  /** Whether anyone listens to the market: its events are built only then. */
  marketWanted(): boolean {
    return this.marketListeners.size > 0;
  }

  private publishMarket(events: readonly MarketEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.marketListeners) {
      try {
        listener(events);
      } catch (error) {
        this.log("a market listener failed", error);
      }
    }
  }

  private publish(events: readonly VenueEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners.keys()) {
      try {
        listener(events);
      } catch (error) {
        this.log("an event listener failed", error);
      }
    }
  }
}

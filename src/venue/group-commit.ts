// Group commit: every command of one event-loop turn lands in one open batch, which is
// committed in a single transaction when the turn ends (setImmediate). The promises
// handed out for the batch settle only after that commit, so nothing is acknowledged
// before it is durable, and a burst of N commands costs one fsync instead of N.

import type { Strategy } from "../domain/conditional.js";
import type { Order } from "../domain/order.js";
import type { PairStats } from "../domain/pair-stats.js";
import type {
  AccountRow,
  AmendmentRow,
  ApiKeyRow,
  BalanceRow,
  Batch,
  CandleRow,
  Counters,
  FundingRow,
  IncomeRow,
  JournalRow,
  LeverageRow,
  PositionRow,
  PriceCandleRow,
  TradeRow,
} from "../store/store.js";
import type { VenueEvent } from "./events.js";
import type { MarketEvent } from "./market-events.js";

export class OpenBatch {
  readonly orders = new Set<Order>();
  readonly trades: TradeRow[] = [];
  readonly accounts: AccountRow[] = [];
  readonly apiKeys: ApiKeyRow[] = [];
  /** Keyed by account and asset so a balance changed twice is written once. */
  readonly balances = new Map<string, BalanceRow>();
  readonly positions = new Map<string, PositionRow>();
  readonly modes = new Map<number, boolean>();
  readonly clockSkews = new Map<number, number>();
  readonly leverages = new Map<string, LeverageRow>();
  readonly marks = new Map<string, number | null>();
  readonly marketState = new Map<string, string>();
  /** By `symbol|openTime`: each candle once, as it stands at the commit. */
  readonly candles = new Map<string, CandleRow>();
  /** Statistics snapshots of the pairs at a 5-minute boundary (pair-stats.ts). */
  readonly pairStats: PairStats[] = [];
  /** By `kind|name|openTime`: each price candle once, as it stands at the commit. */
  readonly priceCandles = new Map<string, PriceCandleRow>();
  readonly fundings: FundingRow[] = [];
  readonly incomes: IncomeRow[] = [];
  readonly amendments: AmendmentRow[] = [];
  readonly journal: JournalRow[] = [];
  /** By strategyId: each conditional order once, as it stands at the commit. */
  readonly strategies = new Map<number, Strategy>();
  readonly priceState = new Map<string, string>();
  /** Published, in this order, once the batch is durable. */
  readonly events: VenueEvent[] = [];
  /** Published to the market's listeners, in this order, once the batch is durable. */
  readonly marketEvents: MarketEvent[] = [];
  readonly waiters: Array<() => void> = [];
  readonly failers: Array<(error: unknown) => void> = [];

  toBatch(counters: Counters): Batch {
    return {
      orders: this.orders,
      trades: this.trades,
      accounts: this.accounts,
      apiKeys: this.apiKeys,
      balances: this.balances.values(),
      positions: this.positions.values(),
      modes: this.modes,
      clockSkews: this.clockSkews,
      leverages: this.leverages.values(),
      marks: this.marks,
      marketState: this.marketState,
      candles: this.candles.values(),
      pairStats: this.pairStats,
      priceCandles: this.priceCandles.values(),
      fundings: this.fundings,
      incomes: this.incomes,
      amendments: this.amendments,
      journal: this.journal,
      strategies: this.strategies.values(),
      priceState: this.priceState,
      counters,
    };
  }
}

export class GroupCommit {
  private open: OpenBatch | undefined;

  /**
   * @param commit makes the batch durable or throws.
   * @param failed runs after a failed commit, before the waiters hear of it, so the
   *        in-memory state can be rebuilt from what the store really holds.
   * @param committed runs after a successful commit, before the waiters are answered.
   */
  constructor(
    private readonly commit: (batch: OpenBatch) => void,
    private readonly failed: (error: unknown) => void,
    private readonly committed: (batch: OpenBatch) => void = () => {},
  ) {}

  /** The batch the current turn writes into, opened on first use. */
  current(): OpenBatch {
    if (!this.open) {
      const batch = new OpenBatch();
      this.open = batch;
      setImmediate(() => this.flush(batch));
    }
    return this.open;
  }

  /** True while some change waits for its commit. */
  get pending(): boolean {
    return this.open !== undefined;
  }

  /** Settles after the open batch (if any) is durable; rejects if its commit fails. */
  settled(): Promise<void> {
    const batch = this.open;
    if (!batch) return Promise.resolve();
    return new Promise((resolve, reject) => {
      batch.waiters.push(resolve);
      batch.failers.push(reject);
    });
  }

  private flush(batch: OpenBatch): void {
    if (this.open === batch) this.open = undefined;
    try {
      this.commit(batch);
    } catch (error) {
      this.failed(error);
      for (const fail of batch.failers) fail(error);
      return;
    }
    this.committed(batch);
    for (const done of batch.waiters) done();
  }
}

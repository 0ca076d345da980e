// The commands the venue takes, as plain records: what api/ (and later the CLI, the
// simulated market and the clock) build from a request, and what venue.ts hands to the
// pipeline. Prices are ticks and quantities contracts; `now` is the venue clock's time.

import type { OrderType, PlacedBy, PositionSide, Side, TimeInForce } from "../domain/order.js";
import type { PriceMatch } from "../domain/price-match.js";
import type { SymbolSpec } from "../domain/symbols.js";

/** An order named by id or client order id; with both, both must match. */
export interface OrderRef {
  readonly orderId?: number | undefined;
  readonly clientOrderId?: string | undefined;
}

export interface PlaceCommand {
  readonly accountId: number;
  readonly symbol: SymbolSpec;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Ticks; 0 for MARKET. */
  readonly price: number;
  /** Contracts. */
  readonly quantity: number;
  readonly clientOrderId?: string | undefined;
  /** As sent; undefined when the request did not carry it (hedge mode refuses it even as "false"). */
  readonly reduceOnly: boolean | undefined;
  /** As sent; undefined when the request did not carry it. */
  readonly positionSide: PositionSide | undefined;
  /** ACK answers the order as accepted; RESULT as it stands after matching. */
  readonly respType: "ACK" | "RESULT";
  /** Prices a LIMIT order from the book instead (`price` is then 0). */
  readonly priceMatch?: PriceMatch | undefined;
  /** The conditional order whose trigger places this one. */
  readonly placedBy?: PlacedBy | undefined;
  readonly now: number;
}

export interface CancelCommand {
  readonly accountId: number;
  readonly symbol: SymbolSpec;
  readonly ref: OrderRef;
  readonly now: number;
}

export interface ModifyCommand extends CancelCommand {
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  /** Prices the amendment from the book instead (`price` is then 0). */
  readonly priceMatch?: PriceMatch | undefined;
  /** The client's `modifyId`, told back on the AMENDMENT event (`M`). */
  readonly modifyId?: number | undefined;
}

// The one table of Binance errors the venue can answer: code, HTTP status and message
// template (`%s` filled in order). Every failure in any layer is a VenueError built
// from this table, so the HTTP face only maps it and the wire text lives in one place.

export const ERRORS = {
  UNKNOWN: { code: -1000, status: 500, msg: "An unknown error occured while processing the request." },
  DISCONNECTED: {
    code: -1001,
    status: 503,
    msg: "Internal error; unable to process your request. Please try again.",
  },
  // The answers of a request the admin faulted (api/faults.ts) besides -1001 and -1003;
  // -1008's text is Portfolio Margin's general-info page's, under its HTTP 503 variants.
  BACKEND_TIMEOUT: {
    code: -1007,
    status: 503,
    msg: "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
  },
  SERVER_BUSY: {
    code: -1008,
    status: 503,
    msg: "Request throttled by system-level protection. Reduce-only/close-position orders are exempt. Please try again.",
  },
  TOO_MANY_REQUESTS: {
    code: -1003,
    status: 429,
    msg: "Too many requests; current limit is %s requests per minute. Please use the websocket for live updates to avoid polling the API.",
  },
  IP_BANNED: {
    code: -1003,
    status: 418,
    msg: "Way too many requests; IP banned until %s. Please use the websocket for live updates to avoid bans.",
  },
  TOO_MANY_ORDERS: {
    code: -1015,
    status: 429,
    msg: "Too many new orders; current limit is %s orders per %s.",
  },
  UNSUPPORTED_OPERATION: { code: -1020, status: 400, msg: "This operation is not supported." },
  TIMESTAMP_AHEAD: {
    code: -1021,
    status: 400,
    msg: "Timestamp for this request was 1000ms ahead of the server's time.",
  },
  TIMESTAMP_OUTSIDE_WINDOW: {
    code: -1021,
    status: 400,
    msg: "Timestamp for this request is outside of the recvWindow.",
  },
  INVALID_SIGNATURE: { code: -1022, status: 400, msg: "Signature for this request is not valid." },
  START_AFTER_END: { code: -1023, status: 400, msg: "Start time is greater than end time." },
  ILLEGAL_CHARS: {
    code: -1100,
    status: 400,
    msg: "Illegal characters found in parameter '%s'; legal range is '%s'.",
  },
  DUPLICATE_PARAM: { code: -1101, status: 400, msg: "Duplicate values for a parameter detected." },
  MANDATORY_PARAM: {
    code: -1102,
    status: 400,
    msg: "Mandatory parameter '%s' was not sent, was empty/null, or malformed.",
  },
  MANDATORY_ONE_OF: {
    code: -1102,
    status: 400,
    msg: "Param '%s' or '%s' must be sent, but both were empty/null!",
  },
  EMPTY_PARAM: { code: -1105, status: 400, msg: "Parameter '%s' was empty." },
  PARAM_NOT_REQUIRED: { code: -1106, status: 400, msg: "Parameter '%s' sent when not required." },
  BAD_PRECISION: { code: -1111, status: 400, msg: "Precision is over the maximum defined for this asset." },
  INVALID_TIF: { code: -1115, status: 400, msg: "Invalid timeInForce." },
  INVALID_ORDER_TYPE: { code: -1116, status: 400, msg: "Invalid orderType." },
  INVALID_SIDE: { code: -1117, status: 400, msg: "Invalid side." },
  INVALID_INTERVAL: { code: -1120, status: 400, msg: "Invalid interval." },
  INVALID_SYMBOL: { code: -1121, status: 400, msg: "Invalid symbol." },
  TOO_LONG_WINDOW: { code: -1127, status: 400, msg: "More than %s hours between startTime and endTime." },
  OPTIONAL_PARAMS_BAD_COMBO: { code: -1128, status: 400, msg: "Combination of optional parameters invalid." },
  INVALID_PARAM_VALUE: { code: -1130, status: 400, msg: "Data sent for parameter '%s' is not valid." },
  INVALID_TIME_INTERVAL: { code: -4088, status: 400, msg: "Maximum time interval is %s days." },
  INVALID_CONTRACT_TYPE: { code: -4104, status: 400, msg: "Invalid contract type." },
  INVALID_LISTEN_KEY: {
    code: -1125,
    status: 400,
    msg: "This listenKey does not exist. Please use POST /papi/v1/listenKey to recreate listenKey",
  },
  INVALID_RESP_TYPE: { code: -1136, status: 400, msg: "Invalid newOrderRespType." },
  CANCEL_REJECTED: { code: -2011, status: 400, msg: "Unknown order sent." },
  NO_SUCH_ORDER: { code: -2013, status: 400, msg: "Order does not exist." },
  BAD_API_KEY_FMT: { code: -2014, status: 401, msg: "API-key format invalid." },
  REJECTED_MBX_KEY: {
    code: -2015,
    status: 401,
    msg: "Invalid API-key, IP, or permissions for action, request ip: %s",
  },
  BALANCE_INSUFFICIENT: { code: -2018, status: 400, msg: "Balance is insufficient." },
  MARGIN_INSUFFICIENT: { code: -2019, status: 400, msg: "Margin is insufficient." },
  REDUCE_ONLY_REJECT: { code: -2022, status: 400, msg: "ReduceOnly Order is rejected." },
  WOULD_TRIGGER: { code: -2021, status: 400, msg: "Order would immediately trigger." },
  REDUCE_ONLY_ORDER_PERMISSION: { code: -4087, status: 400, msg: "User can only place reduce only order." },
  MAX_OPEN_ORDERS: { code: -2025, status: 400, msg: "Reach max open order limit." },
  PRICE_LESS_THAN_ZERO: { code: -4001, status: 400, msg: "Price less than 0." },
  PRICE_GREATER_THAN_MAX: { code: -4002, status: 400, msg: "Price greater than max price." },
  QTY_LESS_THAN_ZERO: { code: -4003, status: 400, msg: "Quantity less than zero." },
  QTY_LESS_THAN_MIN: { code: -4004, status: 400, msg: "Quantity less than min quantity." },
  QTY_GREATER_THAN_MAX: { code: -4005, status: 400, msg: "Quantity greater than max quantity." },
  PRICE_LESS_THAN_MIN: { code: -4013, status: 400, msg: "Price less than min price." },
  PRICE_NOT_TICK: { code: -4014, status: 400, msg: "Price not increased by tick size." },
  INVALID_CLIENT_ORDER_ID: { code: -4015, status: 400, msg: "Client order id is not valid." },
  PRICE_ABOVE_MULTIPLIER_CAP: {
    code: -4016,
    status: 400,
    msg: "Price is higher than mark price multiplier cap.",
  },
  QTY_NOT_STEP: { code: -4023, status: 400, msg: "Qty not increased by step size." },
  PRICE_BELOW_MULTIPLIER_FLOOR: {
    code: -4024,
    status: 400,
    msg: "Price is lower than mark price multiplier floor.",
  },
  INVALID_LEVERAGE: { code: -4028, status: 400, msg: "Leverage %s is not valid" },
  NO_NEED_TO_CHANGE_POSITION_SIDE: { code: -4059, status: 400, msg: "No need to change position side." },
  INVALID_POSITION_SIDE: { code: -4060, status: 400, msg: "Invalid position side." },
  POSITION_SIDE_MISMATCH: {
    code: -4061,
    status: 400,
    msg: "Order's position side does not match user's setting.",
  },
  POSITION_SIDE_OPEN_ORDERS: {
    code: -4067,
    status: 400,
    msg: "Position side cannot be changed if there exists open orders.",
  },
  POSITION_SIDE_OPEN_POSITION: {
    code: -4068,
    status: 400,
    msg: "Position side cannot be changed if there exists position.",
  },
  DUPLICATE_CLIENT_ORDER_ID: { code: -4116, status: 400, msg: "ClientOrderId is duplicated." },
  MARKET_PRICE_OUTSIDE_PERCENT: {
    code: -4131,
    status: 400,
    msg: "The counterparty's best price does not meet the PERCENT_PRICE filter limit",
  },
  SYMBOL_NOT_TRADING: { code: -4140, status: 400, msg: "Invalid symbol status for opening position" },
  FOK_REJECTED: {
    code: -5021,
    status: 400,
    msg: "Due to the order could not be filled immediately, the FOK order has been rejected.",
  },
  GTX_REJECTED: {
    code: -5022,
    status: 400,
    msg: "Due to the order could not be executed as maker, the Post Only order will be rejected.",
  },
  PATH_INVALID: { code: -5000, status: 404, msg: "Path %s, Method %s is invalid" },
  NO_NEED_TO_MODIFY: { code: -5027, status: 400, msg: "No need to modify the order." },
  // The HTTP envelope itself, where Binance publishes no body (its edge answers these with
  // HTML): request issues keep the -11xx family, -1100 for what cannot be read, -1101 for
  // too much sent.
  MALFORMED_REQUEST: { code: -1100, status: 400, msg: "Malformed HTTP request." },
  REQUEST_TIMEOUT: { code: -1100, status: 408, msg: "Request not received in full within %s ms." },
  EXPECTATION_FAILED: {
    code: -1100,
    status: 417,
    msg: "Unsupported Expect header; only 100-continue is accepted.",
  },
  BAD_WEBSOCKET_HANDSHAKE: { code: -1100, status: 400, msg: "Invalid WebSocket handshake: %s." },
  BODY_TOO_LARGE: {
    code: -1101,
    status: 413,
    msg: "Request body too large; at most %s bytes are accepted.",
  },
  URL_TOO_LONG: { code: -1101, status: 414, msg: "Request URL too long; at most %s bytes are accepted." },
  HEADERS_TOO_LARGE: {
    code: -1101,
    status: 431,
    msg: "Request headers too large; at most %s bytes are accepted for the request line and headers.",
  },
} as const satisfies Record<string, { code: number; status: number; msg: string }>;

export type ErrorName = keyof typeof ERRORS;

/** A Binance error answer. `args` fill the `%s` places of the table's message in order. */
export class VenueError extends Error {
  readonly code: number;
  readonly status: number;
  readonly errorName: ErrorName;

  constructor(name: ErrorName, ...args: Array<string | number>) {
    const entry = ERRORS[name];
    let i = 0;
    super(entry.msg.replace(/%s/g, () => String(args[i++] ?? "")));
    this.name = "VenueError";
    this.errorName = name;
    this.code = entry.code;
    this.status = entry.status;
  }

  /** The wire body: `{"code":…,"msg":…}`. */
  toJSON(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

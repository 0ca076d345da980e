// /papi/v1/listenKey: create (or return and extend), keep alive, close. USER_STREAM
// security: the API key header only; a timestamp or signature, if sent, is ignored.

import type { Route } from "../api/route.js";
import { VenueError } from "../domain/errors.js";
import type { ListenKeys } from "./listen-keys.js";

export function listenKeyRoutes(keys: ListenKeys, closed: (key: string) => void): Route[] {
  return [
    {
      method: "POST",
      url: "/papi/v1/listenKey",
      weight: 1,
      security: "USER_STREAM",
      handler: ({ accountId }) => ({ listenKey: keys.open(accountId) }),
    },
    {
      method: "PUT",
      url: "/papi/v1/listenKey",
      weight: 1,
      security: "USER_STREAM",
      handler: ({ accountId }) => {
        if (!keys.keepalive(accountId)) throw new VenueError("INVALID_LISTEN_KEY");
        return {};
      },
    },
    {
      method: "DELETE",
      url: "/papi/v1/listenKey",
      weight: 1,
      security: "USER_STREAM",
      handler: ({ accountId }) => {
        const key = keys.close(accountId);
        if (key) closed(key);
        return {};
      },
    },
  ];
}

// Signature arithmetic and totalParams, against the published vectors (spec §3.3).
import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseParams } from "../../src/api/params.js";
import { hmacHex, verifySignature } from "../../src/api/signature.js";
import type { ApiKeyEntry } from "../../src/venue/accounts.js";

const FAPI_SECRET = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
const SPOT_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const CM_CANCEL = "symbol=BTCUSD_PERP&orderId=283194212&recvWindow=5000&timestamp=1591702613943";
const ED25519_PUBLIC = "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const ED25519_SIGNATURE =
  "EAFAzpZHQ7NCXBCBrGAhnmZN/PY1gPceRzjqMQPg4vfhnAkUfne84oK7eCc8C0UGtj2vzJAusOhGXRZArw5wDA==";

const hmacKey = (secret: string): ApiKeyEntry => ({
  apiKey: "k",
  accountId: 1,
  type: "HMAC",
  secret: Buffer.from(secret),
  publicKey: undefined,
});

describe("HMAC-SHA256 test vectors", () => {
  it("reproduces the USDⓈ-M docs vector", () => {
    expect(
      hmacHex(
        FAPI_SECRET,
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943",
      ),
    ).toBe("3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
  });

  it("reproduces the spot docs vector with everything in the query", () => {
    expect(
      hmacHex(
        SPOT_SECRET,
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
      ),
    ).toBe("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  });

  it("reproduces the venue's CM cancel vector", () => {
    expect(hmacHex(FAPI_SECRET, CM_CANCEL)).toBe(
      "82d97057d66c8c7374df8de197ee3c791b3b4ed24afee04ab10702f7af23df67",
    );
  });
});

describe("totalParams", () => {
  it("joins query and body with no separator, as the spot docs' mixed example signs them", () => {
    const params = parseParams(
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
      "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77",
    );
    expect(params.totalParams).toBe(
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
    );
    expect(verifySignature(hmacKey(SPOT_SECRET), params.totalParams, params.signature!)).toBe(true);
  });

  it("drops the signature pair from the query and keeps the rest byte for byte", () => {
    const params = parseParams(`${CM_CANCEL}&signature=abc`, "");
    expect(params.totalParams).toBe(CM_CANCEL);
    expect(params.signature).toBe("abc");
  });

  it("lets the query's value win when query and body carry the same name", () => {
    const params = parseParams("symbol=BTCUSD_PERP", "symbol=ETHUSD_PERP");
    expect(params.values.get("symbol")).toBe("BTCUSD_PERP");
    expect(params.duplicated).toBe(false);
  });

  it("flags the same name twice in one source", () => {
    expect(parseParams("symbol=A&symbol=B", "").duplicated).toBe(true);
  });

  it("decodes form values (+ is a space, %2F a slash)", () => {
    expect(parseParams("a=x+y%2Fz", "").values.get("a")).toBe("x y/z");
  });
});

describe("verifySignature", () => {
  it("accepts the HMAC signature in upper-case hex", () => {
    const sig = "82D97057D66C8C7374DF8DE197EE3C791B3B4ED24AFEE04AB10702F7AF23DF67";
    expect(verifySignature(hmacKey(FAPI_SECRET), CM_CANCEL, sig)).toBe(true);
  });

  it("rejects an HMAC signature off by one digit", () => {
    const sig = "82d97057d66c8c7374df8de197ee3c791b3b4ed24afee04ab10702f7af23df68";
    expect(verifySignature(hmacKey(FAPI_SECRET), CM_CANCEL, sig)).toBe(false);
  });

  it("rejects an HMAC signature that is not 64 hex digits", () => {
    expect(verifySignature(hmacKey(FAPI_SECRET), CM_CANCEL, "82d9")).toBe(false);
  });

  it("verifies the RFC 8032 Ed25519 key's signature of the CM cancel, percent-decoded from the wire", () => {
    const key: ApiKeyEntry = {
      apiKey: "k",
      accountId: 1,
      type: "ED25519",
      secret: Buffer.alloc(0),
      publicKey: createPublicKey({ key: Buffer.from(ED25519_PUBLIC, "base64"), format: "der", type: "spki" }),
    };
    const wire =
      "EAFAzpZHQ7NCXBCBrGAhnmZN%2FPY1gPceRzjqMQPg4vfhnAkUfne84oK7eCc8C0UGtj2vzJAusOhGXRZArw5wDA%3D%3D";
    const params = parseParams(`${CM_CANCEL}&signature=${wire}`, "");
    expect(params.signature).toBe(ED25519_SIGNATURE);
    expect(verifySignature(key, params.totalParams, params.signature!)).toBe(true);
    expect(verifySignature(key, `${CM_CANCEL}0`, params.signature!)).toBe(false);
  });
});

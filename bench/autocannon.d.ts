// The part of autocannon's API the HTTP benchmark uses; the package ships no types.
// Shapes follow autocannon 8's documented options and result object.

declare module "autocannon" {
  export interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  export interface RequestTemplate extends Request {
    /** Called before every request on a connection; its answer is what gets sent. */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request | null;
    /** Called with every answer to this request. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    requests?: RequestTemplate[];
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }

  export interface Result {
    /** ms per request. */
    latency: Histogram;
    /** Requests per second, sampled each second. */
    requests: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
  }

  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}

/** What a proxy endpoint answers, written as is (no framework in between). */
export interface ProxyAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** A JSON answer. */
export function jsonAnswer(status: number, body: unknown, headers?: Record<string, string>): ProxyAnswer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body), headers };
}

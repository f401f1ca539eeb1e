import type { Request } from 'express';

/** The request body as sent, unparsed. */
export async function rawBody(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Form fields of an urlencoded or multipart body (themes post both: a `<form>` submit and
 * `fetch(url, { body: new FormData(form) })`), read with the platform's own parser.
 */
export async function formFields(body: Buffer, contentType: string): Promise<Array<[string, string]>> {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  return [...form.entries()].map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : v.name]);
}

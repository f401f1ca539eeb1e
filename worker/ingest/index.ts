export { createIngestProcessor, type IngestDeps, type IngestResult } from './processor';
export { productRecord, orderRecord, refundRecord, htmlToText, parseTags } from './map';
export { productPayload, orderPayload, refundPayload } from './payloads';

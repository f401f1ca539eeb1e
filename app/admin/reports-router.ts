import express, { type Request, type Response, type Router } from 'express';
import type { Db } from '../../shared/db';
import {
  campaignReport,
  campaignsReport,
  modelsReport,
  overviewReport,
  parseReportRange,
  placementsReport,
  statementParams,
  vendorsReport,
  vendorStatement,
  type ReportRange,
} from '../../shared/reports';
import { sendCsv, toCsv } from './csv';
import { campaignColumns, campaignDayColumns, modelColumns, overviewColumns, placementColumns, statementColumns, vendorColumns, type StatementLine } from './report-csv';
import { adminContext } from './session-token';
import { statementHtml } from './statement-html';

export interface ReportsRouterDeps {
  db: Db;
  /** Epoch ms: "today" of the default range. */
  now: () => number;
}

type Format = 'json' | 'csv' | 'html';

/**
 * The statement's parameters, and what PostgreSQL can compare them with: text without NUL, and a
 * month of a year that exists (there is no year 0). Either used to fail the query with a 500.
 */
const statementQuery = statementParams.superRefine((p, ctx) => {
  if (p.vendor.includes('\0')) ctx.addIssue({ code: 'custom', path: ['vendor'], message: 'must not contain NUL characters' });
  if (p.month.startsWith('0000-')) ctx.addIssue({ code: 'custom', path: ['month'], message: 'must be a month of year 0001 or later' });
});

/** The request's format, or a 422 answered and null. */
function format(req: Request, res: Response, allowed: readonly Format[]): Format | null {
  const raw = req.query.format ?? 'json';
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as Format;
  res.status(422).json({ error: 'invalid_format', issues: [{ field: 'format', message: `must be one of ${allowed.join(', ')}` }] });
  return null;
}

/** The request's range (default: the 30 days ending today), or a 422 answered and null. */
function range(req: Request, res: Response, now: number): ReportRange | null {
  const parsed = parseReportRange({ from: req.query.from, to: req.query.to }, now);
  if (parsed.ok) return parsed.range;
  res.status(422).json({ error: 'invalid_range', issues: parsed.issues });
  return null;
}

/**
 * The reports API under /api/reports (docs/reports.md). Mounted behind requireSessionToken: the
 * shop comes only from the verified session token.
 */
export function reportsRouter(deps: ReportsRouterDeps): Router {
  const r = express.Router();

  r.get('/overview', async (req, res) => {
    const f = format(req, res, ['json', 'csv']);
    const rg = f && range(req, res, deps.now());
    if (!f || !rg) return;
    const report = await overviewReport(deps.db, adminContext(res).shop, rg);
    if (f === 'csv') sendCsv(res, `overview-${rg.from}-${rg.to}`, toCsv(overviewColumns, report.series, report.currency));
    else res.json(report);
  });

  r.get('/placements', async (req, res) => {
    const f = format(req, res, ['json', 'csv']);
    const rg = f && range(req, res, deps.now());
    if (!f || !rg) return;
    const report = await placementsReport(deps.db, adminContext(res).shop, rg);
    if (f === 'csv') sendCsv(res, `placements-${rg.from}-${rg.to}`, toCsv(placementColumns, report.rows, report.currency));
    else res.json(report);
  });

  r.get('/models', async (req, res) => {
    const f = format(req, res, ['json', 'csv']);
    const rg = f && range(req, res, deps.now());
    if (!f || !rg) return;
    const report = await modelsReport(deps.db, adminContext(res).shop, rg);
    if (f === 'csv') sendCsv(res, `models-${rg.from}-${rg.to}`, toCsv(modelColumns, report.rows, report.currency));
    else res.json(report);
  });

  r.get('/campaigns', async (req, res) => {
    const f = format(req, res, ['json', 'csv']);
    const rg = f && range(req, res, deps.now());
    if (!f || !rg) return;
    const report = await campaignsReport(deps.db, adminContext(res).shop, rg);
    if (f === 'csv') sendCsv(res, `campaigns-${rg.from}-${rg.to}`, toCsv(campaignColumns, report.rows, report.currency));
    else res.json(report);
  });

  r.get('/campaigns/:id', async (req, res) => {
    const f = format(req, res, ['json', 'csv']);
    const rg = f && range(req, res, deps.now());
    if (!f || !rg) return;
    const report = await campaignReport(deps.db, adminContext(res).shop, { ...rg, campaignId: req.params.id });
    if (!report) res.status(404).json({ error: 'not_found' });
    else if (f === 'csv') sendCsv(res, `campaign-${report.campaign.campaignId}-${rg.from}-${rg.to}`, toCsv(campaignDayColumns, report.series, report.currency));
    else res.json(report);
  });

  r.get('/vendors', async (req, res) => {
    const f = format(req, res, ['json', 'csv']);
    const rg = f && range(req, res, deps.now());
    if (!f || !rg) return;
    const report = await vendorsReport(deps.db, adminContext(res).shop, rg);
    if (f === 'csv') sendCsv(res, `vendors-${rg.from}-${rg.to}`, toCsv(vendorColumns, report.rows, report.currency));
    else res.json(report);
  });

  r.get('/statements', async (req, res) => {
    const f = format(req, res, ['json', 'csv', 'html']);
    if (!f) return;
    const parsed = statementQuery.safeParse({ vendor: req.query.vendor, month: req.query.month });
    if (!parsed.success) {
      res.status(422).json({ error: 'invalid_statement', issues: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message })) });
      return;
    }
    const statement = await vendorStatement(deps.db, adminContext(res).shop, parsed.data);
    if (f === 'html') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      res.send(statementHtml(statement));
    } else if (f === 'csv') {
      const lines: StatementLine[] = [...statement.charges.map((c) => ({ kind: 'charge' as const, ...c })), ...statement.sales.map((s) => ({ kind: 'sale' as const, ...s }))];
      sendCsv(res, `statement-${statement.vendor}-${statement.month}`, toCsv(statementColumns, lines, statement.currency));
    } else res.json(statement);
  });

  return r;
}

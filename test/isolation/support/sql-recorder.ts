import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db } from '../../../shared/db';

/** One statement as the database received it. */
export interface RecordedQuery {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A Kysely plugin that records every statement compiled through the database it is added to
 * (query builder and raw `sql` alike), so a test can check what the web process and the worker
 * actually asked for: the queries themselves are left unchanged.
 */
export function recordQueries(db: Db): { db: Db; queries: RecordedQuery[] } {
  const queries: RecordedQuery[] = [];
  const executor = db.getExecutor();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      try {
        const compiled = executor.compileQuery(node, queryId);
        queries.push({ sql: compiled.sql, parameters: compiled.parameters });
      } catch {
        // A node the compiler cannot take alone (never seen): not a statement of its own.
      }
      return node;
    },
    async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return result;
    },
  };
  return { db: db.withPlugin(plugin), queries };
}

/** Tables a statement reads or writes (after from, join, into, update; quoted or not, schema-qualified or not). */
export function tablesOf(sql: string): string[] {
  const tables = new Set<string>();
  for (const match of sql.matchAll(/\b(?:from|join|into|update)\s+(?:"?\w+"?\.)?"?([a-z_][a-z0-9_]*)"?/gi)) tables.add(match[1]!.toLowerCase());
  return [...tables];
}

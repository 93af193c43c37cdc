import pg from 'pg';

/**
 * Every row of every table in the connection's schema (the journey's fresh one, reached through
 * the URL's search_path) as JSON text, one row a line: what a database administrator, a backup
 * or a stolen dump would see. bytea columns come out as `\x…` hex, which the leak scan covers.
 */
export async function dumpPostgres(url: string): Promise<{ tables: number; text: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        ORDER BY table_name`,
    );
    const lines: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${client.escapeIdentifier(name)} t`,
      );
      for (const { row } of rows.rows) lines.push(`${name}\t${row}`);
    }
    return { tables: tables.rows.length, text: lines.join('\n') };
  } finally {
    await client.end();
  }
}

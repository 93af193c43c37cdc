/** Values the query layer binds; both drivers accept exactly these. */
export type SqlValue = string | number | null;

export type Row = Record<string, unknown>;

/**
 * One query API over SQLite and PostgreSQL. SQL is written once with `?` placeholders and the
 * portable subset both engines share (TEXT, INTEGER, BIGINT, RETURNING, ON CONFLICT).
 */
export interface Queryable {
  all<T extends Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T extends Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement and answers how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export type Dialect = 'sqlite' | 'postgres';

export interface Database extends Queryable {
  readonly dialect: Dialect;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Writes that belong together go through here so no reader ever sees half of them.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

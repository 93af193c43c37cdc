/**
 * A logger per main-process subsystem. Callers log the shape of things (a channel name, a URL's
 * scheme, a length, a reason) and never a payload, token, URL or argv; as a backstop the sink
 * accepts only short scalar fields, so a whole request object can never be written by accident.
 */
export type LogFields = Readonly<Record<string, string | number | boolean>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
}

export type LogSink = (line: string) => void;

const MAX_FIELD_CHARS = 120;

function render(fields: LogFields | undefined): string {
  if (fields === undefined) return '';
  const parts = Object.entries(fields).map(([key, value]) => {
    const text = String(value).replace(/[\r\n]/g, ' ');
    const short = text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text;
    return `${key}=${JSON.stringify(short)}`;
  });
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

export function createLogger(subsystem: string, sink: LogSink = stderrSink): Logger {
  const write = (level: string, message: string, fields?: LogFields) =>
    sink(`${new Date().toISOString()} ${level} [${subsystem}] ${message}${render(fields)}`);
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
  };
}

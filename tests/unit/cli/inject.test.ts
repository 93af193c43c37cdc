import { describe, expect, it } from 'vitest';
import { renderTemplate, templateReferences } from '../../../cli/commands/inject.ts';

describe('inject templates', () => {
  it('finds each {{ coffer://… }} once, with or without inner spaces', () => {
    const template =
      'a={{ coffer://P/x/field/password }}\nb={{coffer://P/x/field/password}}\n' +
      'c={{\tcoffer://P/Orders%20DB/custom/api%20token[1] }}\n';
    expect(templateReferences(template)).toEqual([
      'coffer://P/x/field/password',
      'coffer://P/Orders%20DB/custom/api%20token[1]',
    ]);
  });

  it('leaves bare references, other braces and broken markers alone', () => {
    const template =
      'url=coffer://P/x/title {{ name }} {{ coffer://P/x/title } {coffer://P/x/title}';
    expect(templateReferences(template)).toEqual([]);
    expect(renderTemplate(template, new Map())).toBe(template);
  });

  it('renders values verbatim, even ones that look like markers or $ patterns', () => {
    const values = new Map([['coffer://P/x/notes', '$& {{ coffer://P/y/notes }} $1']]);
    expect(renderTemplate('n={{ coffer://P/x/notes }};', values)).toBe(
      'n=$& {{ coffer://P/y/notes }} $1;',
    );
  });
});

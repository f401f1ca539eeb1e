/**
 * Just enough of the GraphQL grammar to answer the documents the app sends: one operation,
 * fields with aliases and arguments (variables resolved), inline fragments, no fragments by
 * name and no directives beyond skipping them. The stand-in answers by field name, so a
 * full schema would buy nothing here.
 */

export interface FieldNode {
  name: string;
  alias?: string;
  args: Record<string, unknown>;
  /** Child fields; inline fragments are flattened in with their type condition kept. */
  selections: FieldNode[];
  /** Set when the field came from `... on Type { }`. */
  onType?: string;
}

export interface OperationNode {
  kind: 'query' | 'mutation' | 'subscription';
  name?: string;
  fields: FieldNode[];
}

export class GraphqlSyntaxError extends Error {}

type Token = { kind: 'punct' | 'name' | 'string' | 'number' | 'variable'; value: string };

const PUNCTUATORS = new Set(['!', '(', ')', ':', '=', '@', '[', ']', '{', '}', '|', '&']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...' });
      i += 3;
    } else if (PUNCTUATORS.has(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (c === '$') {
      const match = /^\$([_A-Za-z][_0-9A-Za-z]*)/.exec(source.slice(i));
      if (!match) throw new GraphqlSyntaxError(`bad variable at ${i}`);
      tokens.push({ kind: 'variable', value: match[1]! });
      i += match[0].length;
    } else if (/[_A-Za-z]/.test(c)) {
      const match = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', value: match[0] });
      i += match[0].length;
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!match) throw new GraphqlSyntaxError(`bad number at ${i}`);
      tokens.push({ kind: 'number', value: match[0] });
      i += match[0].length;
    } else if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) throw new GraphqlSyntaxError('unterminated block string');
      tokens.push({ kind: 'string', value: blockString(source.slice(i + 3, end)) });
      i = end + 3;
    } else if (c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) throw new GraphqlSyntaxError('unterminated string');
      // GraphQL string escapes are JSON's, so JSON reads them.
      tokens.push({ kind: 'string', value: JSON.parse(source.slice(i, j + 1)) as string });
      i = j + 1;
    } else {
      throw new GraphqlSyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

/** Block strings drop their common indentation and blank first and last lines. */
function blockString(raw: string): string {
  const lines = raw.replace(/\\"""/g, '"""').split(/\r\n|\n|\r/);
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  const out = lines.map((l, idx) => (idx === 0 ? l : l.slice(common)));
  while (out.length && !out[0]!.trim()) out.shift();
  while (out.length && !out[out.length - 1]!.trim()) out.pop();
  return out.join('\n');
}

class Parser {
  private pos = 0;
  private readonly defaults: Record<string, unknown> = {};

  constructor(
    private readonly tokens: Token[],
    private readonly variables: Record<string, unknown>,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new GraphqlSyntaxError('unexpected end of document');
    return token;
  }

  private is(value: string): boolean {
    const token = this.peek();
    return token !== undefined && token.kind === 'punct' && token.value === value;
  }

  private expect(value: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.value !== value) {
      throw new GraphqlSyntaxError(`expected ${value} but found ${token.value}`);
    }
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new GraphqlSyntaxError(`expected a name but found ${token.value}`);
    return token.value;
  }

  operation(): OperationNode {
    let kind: OperationNode['kind'] = 'query';
    let name: string | undefined;
    const first = this.peek();
    if (first?.kind === 'name') {
      if (first.value === 'fragment') throw new GraphqlSyntaxError('named fragments are not supported by the stand-in');
      kind = this.name() as OperationNode['kind'];
      if (this.peek()?.kind === 'name') name = this.name();
      if (this.is('(')) this.variableDefinitions();
      this.skipDirectives();
    }
    const fields = this.selectionSet();
    return { kind, name, fields };
  }

  private variableDefinitions(): void {
    this.expect('(');
    while (!this.is(')')) {
      const token = this.next();
      if (token.kind !== 'variable') throw new GraphqlSyntaxError(`expected a variable but found ${token.value}`);
      this.expect(':');
      this.type();
      if (this.is('=')) {
        this.next();
        this.defaults[token.value] = this.value();
      }
      this.skipDirectives();
    }
    this.expect(')');
  }

  private type(): void {
    if (this.is('[')) {
      this.next();
      this.type();
      this.expect(']');
    } else {
      this.name();
    }
    if (this.is('!')) this.next();
  }

  private skipDirectives(): void {
    while (this.is('@')) {
      this.next();
      this.name();
      if (this.is('(')) this.args();
    }
  }

  private selectionSet(): FieldNode[] {
    this.expect('{');
    const fields: FieldNode[] = [];
    while (!this.is('}')) {
      if (this.is('...')) {
        this.next();
        if (this.peek()?.kind === 'name' && this.peek()?.value === 'on') {
          this.next();
          const onType = this.name();
          this.skipDirectives();
          for (const field of this.selectionSet()) fields.push({ ...field, onType });
        } else {
          throw new GraphqlSyntaxError('fragment spreads are not supported by the stand-in');
        }
        continue;
      }
      let name = this.name();
      let alias: string | undefined;
      if (this.is(':')) {
        this.next();
        alias = name;
        name = this.name();
      }
      const args = this.is('(') ? this.args() : {};
      this.skipDirectives();
      const selections = this.is('{') ? this.selectionSet() : [];
      fields.push({ name, alias, args, selections });
    }
    this.expect('}');
    return fields;
  }

  private args(): Record<string, unknown> {
    this.expect('(');
    const args: Record<string, unknown> = {};
    while (!this.is(')')) {
      const key = this.name();
      this.expect(':');
      args[key] = this.value();
    }
    this.expect(')');
    return args;
  }

  private value(): unknown {
    const token = this.next();
    switch (token.kind) {
      case 'variable':
        return token.value in this.variables ? this.variables[token.value] : this.defaults[token.value];
      case 'string':
        return token.value;
      case 'number':
        return Number(token.value);
      case 'name':
        if (token.value === 'true') return true;
        if (token.value === 'false') return false;
        if (token.value === 'null') return null;
        return token.value; // an enum value
      case 'punct':
        if (token.value === '[') {
          const list: unknown[] = [];
          while (!this.is(']')) list.push(this.value());
          this.next();
          return list;
        }
        if (token.value === '{') {
          const object: Record<string, unknown> = {};
          while (!this.is('}')) {
            const key = this.name();
            this.expect(':');
            object[key] = this.value();
          }
          this.next();
          return object;
        }
    }
    throw new GraphqlSyntaxError(`unexpected ${token.value}`);
  }
}

/** Parses the first operation of `source`, resolving variables into argument values. */
export function parseOperation(source: string, variables: Record<string, unknown> = {}): OperationNode {
  return new Parser(tokenize(source), variables).operation();
}

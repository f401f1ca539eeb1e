import { Liquid, Tag, TokenKind, type TagToken, type TopLevelToken } from 'liquidjs';
import { registerShopifyFilters, type FilterOptions } from './shopify-filters';

/** `{% schema %}…{% endschema %}` renders nothing on a storefront: Shopify reads it at upload. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    while (remain.length) {
      const next = remain.shift()!;
      if (next.kind === TokenKind.Tag && (next as TagToken).name === 'endschema') return;
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }
  *render(): Generator<unknown, void, unknown> {}
}

/** Tags Shopify refuses in theme app extension blocks; a block using one fails here as it would on upload. */
const FORBIDDEN_IN_APP_BLOCKS = ['javascript', 'stylesheet', 'include', 'layout', 'section'];

export interface ThemeEngineOptions extends FilterOptions {
  /** Folders `{% render 'name' %}` looks in: the extension's `snippets/` and the test theme. */
  partials: string[];
}

/** A liquidjs engine that renders Liquid the way a Shopify storefront does for this app's blocks. */
export function createThemeEngine(options: ThemeEngineOptions): Liquid {
  const engine = new Liquid({
    root: options.partials,
    partials: options.partials,
    extname: '.liquid',
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    cache: false,
  });
  engine.registerTag('schema', SchemaTag);
  for (const name of FORBIDDEN_IN_APP_BLOCKS) {
    engine.registerTag(name, {
      parse(token: TagToken) {
        throw new Error(`{% ${name} %} is not allowed in a theme app extension (${token.getText()})`);
      },
      render() {},
    });
  }
  registerShopifyFilters(engine, options);
  return engine;
}

/** One `{% schema %}` setting; headers and paragraphs carry no id. */
export interface BlockSetting {
  id?: string;
  type: string;
  default?: unknown;
}

/** The parts of an app block's or app embed's `{% schema %}` a storefront acts on. */
export interface BlockSchema {
  name: string;
  /** `section` for app blocks; `head`, `body` or `compliance_head` for app embeds. */
  target: string;
  settings?: BlockSetting[];
  /** Asset file Shopify loads once per page (deferred script) when the block is on it. */
  javascript?: string;
  /** Asset file Shopify links once per page when the block is on it. */
  stylesheet?: string;
  /** Templates the block may be used on (app blocks) or is rendered on (app embeds). */
  enabled_on?: { templates?: string[] };
  disabled_on?: { templates?: string[] };
}

/** Whether Shopify offers (app block) or renders (app embed) the block on this template. */
export function enabledOn(schema: BlockSchema, template: string): boolean {
  if (schema.enabled_on?.templates && !schema.enabled_on.templates.some((t) => t === '*' || t === template)) return false;
  return !schema.disabled_on?.templates?.some((t) => t === '*' || t === template);
}

const SCHEMA = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

/** The block's schema JSON; a block without one is not a valid block (Shopify rejects it). */
export function readBlockSchema(source: string, file: string): BlockSchema {
  const match = SCHEMA.exec(source);
  if (!match) throw new Error(`${file}: no {% schema %}`);
  const schema = JSON.parse(match[1]!) as BlockSchema;
  if (typeof schema.name !== 'string' || typeof schema.target !== 'string') throw new Error(`${file}: schema needs name and target`);
  return schema;
}

/**
 * `block.settings` as Shopify fills them for a block the merchant added and never edited: each
 * setting's default (nil without one); `t:` defaults are looked up in the schema locale.
 */
export function defaultSettings(schema: BlockSchema, translate: (key: string) => string): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const setting of schema.settings ?? []) {
    if (!setting.id) continue;
    const value = setting.default;
    settings[setting.id] = typeof value === 'string' && value.startsWith('t:') ? translate(value.slice(2)) : (value ?? null);
  }
  return settings;
}

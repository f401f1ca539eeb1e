import { Command } from 'commander';
import { registerCampaigns } from './commands/campaigns';
import { registerDemo } from './commands/demo';
import { registerEval } from './commands/eval';
import { registerImport } from './commands/import';
import { registerMigrate } from './commands/migrate';
import { registerReplay } from './commands/replay';
import { registerRotateTokenKey } from './commands/rotate-token-key';
import { registerRules } from './commands/rules';
import { registerStart } from './commands/start';
import { registerTrain } from './commands/train';

/**
 * The `shelfwise` CLI: the composition root, the one place allowed to wire app/ and worker/
 * together (the lint rule exempts shared/cli from the shared/ boundary for that reason).
 */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('shelfwise')
    .description('Shelfwise: recommendations, sponsored products and attribution for Shopify stores')
    .showHelpAfterError()
    .exitOverride((err) => {
      if (err.exitCode !== 0) process.exitCode = err.exitCode;
      throw err;
    });
  registerDemo(program);
  registerStart(program);
  registerMigrate(program);
  registerImport(program);
  registerReplay(program);
  registerEval(program);
  registerTrain(program);
  registerRules(program);
  registerCampaigns(program);
  registerRotateTokenKey(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('commander.')) return;
    throw error;
  }
}

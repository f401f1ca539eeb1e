export { TokenCipher } from './token-cipher';
export { customerPseudonym } from './pseudonym';
export { verifyTokenKey } from './token-key-check';
export { resealTokens, type ResealOutcome } from './reseal-tokens';

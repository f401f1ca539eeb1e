export { TokenCipher } from './token-cipher';
export { customerPseudonym } from './pseudonym';

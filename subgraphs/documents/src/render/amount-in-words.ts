// The Spanish amount in words lives in the subgraph kit: the PDF prints it and billing's DTE JSON (totalLetras) needs it.
export { amountInSpanishWords, integerInSpanishWords } from '@ciro/subgraph-common';

export * from './render/amount-in-words';
export * from './render/model';
export * from './render/render-invoice-html';

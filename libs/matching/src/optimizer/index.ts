export * from './arcs';
export { loadHighs } from './highs';
export * from './optimize';

export * from './matching.types';
export * from './feasibility.util';
export * from './score.util';
export * from './optimizer';

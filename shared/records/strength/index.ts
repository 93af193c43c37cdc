export { ESTIMATOR_MAX_CODE_POINTS, warmUpStrengthEstimator } from './estimator.ts';
export {
  STRENGTH_LABELS,
  estimateStrength,
  type StrengthLabel,
  type StrengthResult,
  type StrengthScore,
} from './strength.ts';

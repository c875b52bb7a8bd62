/** The ApiError a call throws (anything else, or no error, fails the test). */
import { ApiError } from '../../../engine/cluster/api';

export function err(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

/** phone.setCallRating's rating and comment rules (spec telegram-phone-api.txt, §8.7). */
import { invalidType, outOfRange } from './argument-errors';

/** The fixed problem list; each is appended to the comment as a #hashtag. */
export const callProblems = [
  'echo',
  'noise',
  'interruptions',
  'distorted_speech',
  'silent_local',
  'silent_remote',
  'dropped',
  'distorted_video',
  'pixelated_video',
] as const;

export type CallProblem = (typeof callProblems)[number];

/** Offered only for calls that had video. */
const videoProblems: readonly CallProblem[] = ['distorted_video', 'pixelated_video'];

export interface RatingOptions {
  /** Free text; sent only for ratings below 5. */
  comment?: string;
  /** Problems the user reports; allowed with any rating. */
  problems?: readonly CallProblem[];
}

/**
 * Checks a rating (an integer 1–5) and builds the comment: the free text (dropped for 5),
 * then `#problem` words, separated by single spaces — e.g. "bad line #echo #dropped".
 */
export function ratingComment(rating: number, options: RatingOptions, hadVideo: boolean): string {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    throw outOfRange(`a call rating is an integer from 1 to 5, got ${String(rating)}`);
  }
  const comment = options.comment ?? '';
  if (typeof comment !== 'string') throw invalidType('the rating comment must be a string');
  const problems = [...new Set(options.problems ?? [])];
  for (const problem of problems) {
    if (!(callProblems as readonly string[]).includes(problem)) {
      throw outOfRange(`unknown call problem ${JSON.stringify(problem)}`);
    }
    if (!hadVideo && videoProblems.includes(problem)) {
      throw outOfRange(`${problem} can only be reported for a call that had video`);
    }
  }
  const words = rating < 5 && comment.trim() !== '' ? [comment.trim()] : [];
  words.push(...problems.map((problem) => `#${problem}`));
  return words.join(' ');
}

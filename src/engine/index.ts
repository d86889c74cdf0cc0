// The engine as a library (dist/engine.js): pure functions from answers to a recommendation.
export { recommend, choose, DEFAULT_KNOWLEDGE } from './recommend.js';
export { normalise, validateAnswers, DEFAULT_ANSWERS, ANSWER_KEYS, type Answers } from './answers.js';
export { answerSpace, ANSWER_SPACE_SIZE } from './space.js';
export type { Recommendation } from './recommendation.js';

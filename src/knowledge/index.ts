// The knowledge base: data only.
export { QUESTIONS, questionById } from './questions.js';
export { RULES, ruleById } from './rules/index.js';
export { CANDIDATES, candidateById } from './candidates.js';
export { PRICES } from './prices.js';
export { SOURCES } from './sources.js';
export { KNOWLEDGE_VERSION } from './version.js';

// Bumped whenever rules, prices or the comparison table change; stamped into every output.
// CHANGELOG: docs/knowledge-changelog.md
export const KNOWLEDGE_VERSION = '2026.11.28';

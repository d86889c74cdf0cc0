declare const __EDGEWISE_VERSION__: string | undefined;
/** Replaced at build time; tests running from source read package.json's version through the fallback. */
export const VERSION: string = typeof __EDGEWISE_VERSION__ === 'string' ? __EDGEWISE_VERSION__ : '0.1.0';

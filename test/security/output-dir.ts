/** The directory where every vitest worker copies its output (provided by the global setup). */
export const OUTPUT_DIR_KEY = 'ttpayOutputDir';

declare module 'vitest' {
  export interface ProvidedContext {
    ttpayOutputDir: string;
  }
}

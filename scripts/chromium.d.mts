/** Debian's chromium package puts the browser here. */
export declare const CHROMIUM: string;
/** Flags that work as root on a closed network (playwright-core adds --headless itself). */
export declare const CHROMIUM_FLAGS: readonly string[];

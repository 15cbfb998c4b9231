/** Exit codes of every CLI command: success, a valid command that could not be carried out, a wrong command line. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The version the command line prints for -v / -V (the package's). */
export const quorateVersion = '0.1.0';

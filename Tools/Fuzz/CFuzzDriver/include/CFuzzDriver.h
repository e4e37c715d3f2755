#ifndef PARLEY_CFUZZDRIVER_H
#define PARLEY_CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

typedef int (*parley_fuzz_callback)(const uint8_t *data, size_t size);

/// 1 when the binary was linked with libFuzzer (`-sanitize=fuzzer`), else 0.
int parley_fuzzer_linked(void);

/// Hands control to libFuzzer's driver (flags, corpus dirs, -runs=N, …); returns its
/// exit status. Only call when `parley_fuzzer_linked()`.
int parley_fuzzer_run(int *argc, char ***argv, parley_fuzz_callback callback);

#endif

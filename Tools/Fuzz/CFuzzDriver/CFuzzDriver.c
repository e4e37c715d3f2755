#include "CFuzzDriver.h"

// Weak: present only when libFuzzer is linked in, so the same targets also build
// (as input replayers) in a plain `swift build`. SwiftPM points `main` at the Swift
// entry point, so libFuzzer's own `main` is never used; we call its driver instead.
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))
    __attribute__((weak));

int parley_fuzzer_linked(void) { return LLVMFuzzerRunDriver != 0; }

int parley_fuzzer_run(int *argc, char ***argv, parley_fuzz_callback callback) {
    return LLVMFuzzerRunDriver(argc, argv, callback);
}

#ifndef RLHF_CREADLINE_SHIM_H
#define RLHF_CREADLINE_SHIM_H
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Ctrl-C for the shell. The handler only counts and writes a byte to a pipe (both async-signal-safe); the shell
   polls: while a cell runs, to cancel it; at the prompt, by waiting on the terminal and the pipe together, so a
   Ctrl-C that lands while readline is busy redrawing is never lost.

   The state is `weak`, not `static`: Swift compiles this header into every object file that calls these functions
   (an optimised build splits a module into one object per source file and inlines across them), and a `static`
   variable would then exist once per object file, so the watcher would poll a counter the handler never writes.
   Weak definitions are merged by the linker into one. */
__attribute__((weak)) volatile sig_atomic_t rlhf_sigint_count = 0;
__attribute__((weak)) volatile sig_atomic_t rlhf_sigterm_count = 0;
__attribute__((weak)) int rlhf_sigint_pipe[2] = {-1, -1};

static void rlhf_on_sigint(int signal_number) {
    if (signal_number == SIGTERM) {
        rlhf_sigterm_count = rlhf_sigterm_count + 1;
    } else {
        rlhf_sigint_count = rlhf_sigint_count + 1;
    }
    if (rlhf_sigint_pipe[1] >= 0) {
        int saved = errno;
        ssize_t ignored = write(rlhf_sigint_pipe[1], "!", 1);
        (void)ignored;
        errno = saved;
    }
}

static inline void rlhf_install_sigint_handler(void) {
    if (rlhf_sigint_pipe[0] < 0 && pipe(rlhf_sigint_pipe) == 0) {
        fcntl(rlhf_sigint_pipe[0], F_SETFL, fcntl(rlhf_sigint_pipe[0], F_GETFL) | O_NONBLOCK);
        fcntl(rlhf_sigint_pipe[1], F_SETFL, fcntl(rlhf_sigint_pipe[1], F_GETFL) | O_NONBLOCK);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = rlhf_on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    /* A parent may have started us with SIGINT blocked (the mask survives exec); Ctrl-C must reach us. */
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
}

/* `rlhf run`: SIGINT and SIGTERM are counted (as for the shell) instead of killing the process, so the running cell
   can be cancelled and recorded. */
static inline void rlhf_install_run_signal_handlers(void) {
    rlhf_install_sigint_handler();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = rlhf_on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigset_t terminate;
    sigemptyset(&terminate);
    sigaddset(&terminate, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &terminate, NULL);
}

/* `rlhf serve`: SIGINT and SIGTERM end the process as they do by default, even when a parent started it with them
   blocked or ignored (the mask and ignored signals survive exec; a test runner's threads block nearly everything). */
static inline void rlhf_default_stop_signals(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &stop, NULL);
}

/* Standard output flushed at every newline even into a pipe or file, so `rlhf run` loses no line it printed when a
   signal ends it (Swift cannot name the C `stdout` stream under strict concurrency checking). */
static inline void rlhf_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

/* Writes bytes to stdout through stdio, so they stay in order with Swift's `print` (a buffered writer's flush). */
static inline void rlhf_write_stdout(const void *bytes, size_t count) { fwrite(bytes, 1, count, stdout); }

/* Returns how many SIGTERM arrived since the last call, and resets the count. */
static inline int rlhf_take_sigterm(void) {
    int count = (int)rlhf_sigterm_count;
    rlhf_sigterm_count = 0;
    return count;
}

/* The read end of the pipe the handler writes to (-1 before installation). */
static inline int rlhf_sigint_fd(void) { return rlhf_sigint_pipe[0]; }

/* Returns how many Ctrl-C arrived since the last call, and resets the count and the pipe. */
static inline int rlhf_take_sigint(void) {
    char drain[64];
    if (rlhf_sigint_pipe[0] >= 0) {
        while (read(rlhf_sigint_pipe[0], drain, sizeof drain) > 0) {}
    }
    int count = (int)rlhf_sigint_count;
    rlhf_sigint_count = 0;
    return count;
}
#endif

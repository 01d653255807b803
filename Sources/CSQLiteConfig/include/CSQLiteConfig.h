#ifndef CSQLITECONFIG_H
#define CSQLITECONFIG_H

/// Sets SQLite's process-wide options before its first connection opens (`sqlite3_config` is variadic, so Swift
/// cannot call it): the multi-thread mode, where SQLite takes no lock per connection or statement because the
/// caller serialises each connection's use (GRDB does: one connection is never used by two threads at once), and no
/// memory statistics, which take a global lock on every allocation. Returns SQLITE_OK, or SQLITE_MISUSE when SQLite
/// was already initialised (the options then stay as they were, which is correct, only slower).
int rlhf_sqlite_configure(void);

#endif

/*
 * crash_at_journal_write.c - a Linux LD_PRELOAD shim of the crash tests
 * (tests/e2e/kill_e2e.sh). Test tooling, not product code: the product is
 * unchanged, this sits under the Wine process that runs otharden.exe.
 *
 * With OTH_CRASH_BEFORE_JOURNAL_WRITE=K in the environment, the process whose
 * name is otharden.exe kills itself with SIGKILL just BEFORE its K-th write to
 * a file whose name ends in ".journal": everything the apply did after its
 * (K-1)-th journal record (the change that record announced, its read-back)
 * has happened, record K never reaches the file. That is a crash at a chosen,
 * exactly repeatable point, where a kill from outside lands wherever the
 * scheduler lets it (and never between two records written back to back).
 *
 * Wine writes a file through the C library (write/pwrite/pwrite64/writev in
 * its ntdll); the shim wraps those, looks the descriptor's path up in
 * /proc/self/fd, and passes every other write through untouched. Without the
 * variable, or in any other process, it does nothing.
 *
 * Build: gcc -shared -fPIC -O1 -o crash_at_journal_write.so crash_at_journal_write.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long g_target = -1; /* K; 0: not in otharden.exe or no variable; -1: not looked up yet */
static long g_count;

/* Wine names the process after the Windows exe only once it runs (PR_SET_NAME):
 * looked up at the first write to a journal, not at load time. */
static long target(void) {
  const char *k;
  char comm[64] = "";
  FILE *f;
  if (g_target >= 0) return g_target;
  g_target = 0;
  k = getenv("OTH_CRASH_BEFORE_JOURNAL_WRITE");
  if (!k || !*k) return 0;
  f = fopen("/proc/self/comm", "r");
  if (!f) return 0;
  if (!fgets(comm, sizeof comm, f)) comm[0] = 0;
  fclose(f);
  comm[strcspn(comm, "\n")] = 0;
  if (strcmp(comm, "otharden.exe") == 0) g_target = strtol(k, NULL, 10);
  return g_target;
}

/* Called before every write: kills the process at the K-th journal write. */
static void before_write(int fd) {
  char link[64], path[4096];
  ssize_t n;
  if (g_target == 0 || fd < 0) return;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink(link, path, sizeof path - 1);
  if (n < 8) return;
  path[n] = 0;
  if (strcmp(path + n - 8, ".journal") != 0) return;
  if (target() < 1) return;
  if (++g_count == g_target) kill(getpid(), SIGKILL);
}

ssize_t write(int fd, const void *buf, size_t len) {
  static ssize_t (*real)(int, const void *, size_t);
  if (!real) real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  before_write(fd);
  return real(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off) {
  static ssize_t (*real)(int, const void *, size_t, off_t);
  if (!real) real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
  before_write(fd);
  return real(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off64_t off) {
  static ssize_t (*real)(int, const void *, size_t, off64_t);
  if (!real) real = (ssize_t(*)(int, const void *, size_t, off64_t))dlsym(RTLD_NEXT, "pwrite64");
  before_write(fd);
  return real(fd, buf, len, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n) {
  static ssize_t (*real)(int, const struct iovec *, int);
  if (!real) real = (ssize_t(*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
  before_write(fd);
  return real(fd, iov, n);
}

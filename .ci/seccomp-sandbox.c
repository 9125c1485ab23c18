/* seccomp-sandbox: runs a program under the seccomp rules systemd 252 installs for three unit options, so that
 * .ci/check-systemd can run q2google as contrib/systemd/q2google.service would, on a machine whose PID 1 is not
 * systemd (a CI container). Usage:
 *   seccomp-sandbox ALLOWED-SYSCALLS-FILE FAMILIES -- PROGRAM ARG...
 * ALLOWED-SYSCALLS-FILE: one name a line (SystemCallFilter=, expanded by systemd-analyze); any other system call
 *   kills the process (systemd would return SystemCallErrorNumber=; a kill cannot go unnoticed).
 * FAMILIES: comma-separated socket families allowed (RestrictAddressFamilies=), e.g. 2,10; others get
 *   EAFNOSUPPORT, as systemd does.
 * Always MemoryDenyWriteExecute=yes as systemd 252 has it: mmap with PROT_WRITE|PROT_EXEC, mprotect and
 *   pkey_mprotect adding PROT_EXEC, shmat with SHM_EXEC fail with EPERM.
 * Build: gcc -O -o seccomp-sandbox .ci/seccomp-sandbox.c -lseccomp   (libseccomp-dev) */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <unistd.h>

static void must(int rc, const char *what) {
  if (rc < 0) { fprintf(stderr, "seccomp-sandbox: %s: %s\n", what, strerror(-rc)); exit(125); }
}

int main(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[3], "--") != 0) {
    fprintf(stderr, "usage: seccomp-sandbox ALLOWED-SYSCALLS-FILE FAMILIES -- PROGRAM ARG...\n");
    return 125;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (!ctx) return 125;
  FILE *list = fopen(argv[1], "r");
  if (!list) { perror(argv[1]); return 125; }
  char name[128];
  int allow_socket = 0;
  while (fgets(name, sizeof name, list)) {
    name[strcspn(name, "\n")] = 0;
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue; /* a name this architecture lacks */
    /* These get argument rules below (allowed only if listed at all). */
    if (nr == SCMP_SYS(socket)) { allow_socket = 1; continue; }
    if (nr == SCMP_SYS(mmap)) {
      const int wx = PROT_WRITE | PROT_EXEC;
      must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, wx, wx)), name);
      must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, wx, 0)), name);
      must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, wx, PROT_WRITE)), name);
      must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, wx, PROT_EXEC)), name);
      continue;
    }
    if (nr == SCMP_SYS(mprotect) || nr == SCMP_SYS(pkey_mprotect) || nr == SCMP_SYS(shmat)) {
      const int exec = nr == SCMP_SYS(shmat) ? SHM_EXEC : PROT_EXEC;
      must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, exec, exec)), name);
      must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, exec, 0)), name);
      continue;
    }
    must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0), name);
  }
  fclose(list);
  if (allow_socket) {
    int allowed[64] = {0};
    for (char *family = strtok(argv[2], ","); family; family = strtok(NULL, ",")) {
      int f = atoi(family);
      if (f > 0 && f < 64) allowed[f] = 1;
    }
    for (int f = 0; f < 64; f++)
      must(seccomp_rule_add(ctx, allowed[f] ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                            SCMP_A0(SCMP_CMP_EQ, f)), "socket");
    must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GE, 64)), "socket");
  }
  must(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1), "no_new_privs");
  must(seccomp_load(ctx), "seccomp_load");
  execv(argv[4], argv + 4);
  perror(argv[4]);
  return 127;
}

/* SPDX-License-Identifier: MIT */
/*
 * The system calls newlib needs, for a bare Mach task (the Mach flavour of
 * libc-port).  newlib for a bare ELF target calls them by their POSIX names
 * (write, sbrk, ...: it is built with MISSING_SYSCALL_NAMES), plus _exit.
 *
 * A Mach task has no files: only standard output and standard error exist,
 * and they go to the kernel console through the quay_console_write trap.
 * Everything else fails with the errno a program can act on: EBADF for a
 * descriptor that is not open, ENOSYS for a service that needs the Unix
 * server.  Nothing pretends to succeed.  Process-level calls are in process.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <mach/mach.h>

/* Is FD the console (standard output or standard error)? */
static int
is_console(int fd)
{
    return fd == STDOUT_FILENO || fd == STDERR_FILENO;
}

/* Set errno and return -1: the failure convention of every call here. */
static int
fail(int error)
{
    errno = error;
    return -1;
}

_Noreturn void
_exit(int status)
{
    for (;;)
        quay_task_exit(status);
}

int
write(int fd, const void *buf, size_t len)
{
    if (!is_console(fd))
        return fail(EBADF);
    if (quay_console_write(buf, len) != KERN_SUCCESS)
        return fail(EIO);
    return (int)len;
}

int
read(int fd, void *buf, size_t len)
{
    (void)fd; /* stdin is not open, and the console is write-only */
    (void)buf;
    (void)len;
    return fail(EBADF);
}

int
open(const char *path, int flags, ...)
{
    (void)path;
    (void)flags;
    return fail(ENOSYS);
}

int
close(int fd)
{
    return fail(is_console(fd) ? ENOSYS : EBADF);
}

off_t
lseek(int fd, off_t offset, int whence)
{
    (void)offset;
    (void)whence;
    return fail(is_console(fd) ? ESPIPE : EBADF);
}

/* The console is a character device; saying so makes stdio line-buffer it. */
int
fstat(int fd, struct stat *st)
{
    if (!is_console(fd))
        return fail(EBADF);
    *st = (struct stat){.st_mode = S_IFCHR | 0200, .st_blksize = 0};
    return 0;
}

int
isatty(int fd)
{
    if (!is_console(fd)) {
        errno = EBADF;
        return 0;
    }
    return 1;
}

int
stat(const char *path, struct stat *st)
{
    (void)path;
    (void)st;
    return fail(ENOSYS);
}

int
link(const char *old, const char *new_path)
{
    (void)old;
    (void)new_path;
    return fail(ENOSYS);
}

int
unlink(const char *path)
{
    (void)path;
    return fail(ENOSYS);
}

int
mkdir(const char *path, mode_t mode)
{
    (void)path;
    (void)mode;
    return fail(ENOSYS);
}

int
fcntl(int fd, int cmd, ...)
{
    (void)cmd;
    return fail(is_console(fd) ? ENOSYS : EBADF);
}

/* SPDX-License-Identifier: MIT */
/*
 * Process-level calls newlib expects, for a bare Mach task: a task is not a
 * Unix process, so process ids, signals, fork and exec need the Unix server
 * and fail here with ENOSYS.  (abort() still ends the task: newlib's abort
 * falls back to _exit(1) when raising SIGABRT fails.)  Time of day comes
 * from the host port; random bytes have no source yet.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_host.h>

static int
fail(int error)
{
    errno = error;
    return -1;
}

pid_t
getpid(void)
{
    return fail(ENOSYS);
}

int
kill(pid_t pid, int sig)
{
    (void)pid;
    (void)sig;
    return fail(ENOSYS);
}

pid_t
fork(void)
{
    return fail(ENOSYS);
}

int
execve(const char *path, char *const argv[], char *const envp[])
{
    (void)path;
    (void)argv;
    (void)envp;
    return fail(ENOSYS);
}

pid_t
wait(int *status)
{
    (void)status;
    return fail(ENOSYS);
}

int
sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    (void)how;
    (void)set;
    (void)old;
    return fail(ENOSYS);
}

clock_t
times(struct tms *buf)
{
    (void)buf;
    return (clock_t)fail(ENOSYS);
}

int
getentropy(void *buf, size_t len)
{
    (void)buf;
    (void)len;
    return fail(ENOSYS);
}

/* Wall-clock time from host_get_time(); EIO if the host port cannot answer. */
int
gettimeofday(struct timeval *tv, void *tz)
{
    mach_port_t host = mach_host_self();
    time_value_t now;
    kern_return_t kr;

    (void)tz;
    kr = host_get_time(host, &now);
    (void)mach_port_deallocate(mach_task_self(), host);
    if (kr != KERN_SUCCESS)
        return fail(EIO);
    if (tv != NULL) {
        tv->tv_sec = (time_t)now.seconds;
        tv->tv_usec = (suseconds_t)now.microseconds;
    }
    return 0;
}
